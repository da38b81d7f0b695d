import { calculateJwkThumbprint } from 'jose';
import type { PublicJwk } from '../domain/types.ts';

/** The key id: the RFC 7638 JWK thumbprint, base64url SHA-256 over the required public members. */
export async function computeKid(jwk: PublicJwk): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}
