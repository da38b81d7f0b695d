import { createHmac, createPublicKey, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';

/** The JWTs of the authorisation matrix for one management audience, all but `control` invalid. */
export interface ForgedTokens {
  /** The real token re-signed unchanged with the server's key: must be accepted (proves the forgeries are otherwise right). */
  control: string;
  expired: string;
  otherAudience: string;
  algNone: string;
  hs256WithPublicKey: string;
}

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Forges the matrix's JWTs from `real`, a management access token the server issued: the same
 * claims re-signed with the server's active private key (unsealed by the test) but expired; the
 * same claims signed with `alg: none`; and HMAC-SHA256 signed with the public key's PEM as secret
 * (the algorithm-confusion attack). `otherAudience` is a real token for the resource audience.
 */
export async function forgeTokens(real: string, otherAudience: string, privateKey: KeyObject): Promise<ForgedTokens> {
  const header = decodeProtectedHeader(real);
  const claims = decodeJwt(real);
  const resign = (changes: Record<string, unknown>) =>
    new SignJWT({ ...claims, ...changes }).setProtectedHeader({ ...header, alg: header.alg! }).sign(privateKey);
  const now = Math.floor(Date.now() / 1000);
  const publicPem = createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();
  const hsInput = `${b64({ ...header, alg: 'HS256' })}.${b64(claims)}`;
  return {
    control: await resign({}),
    expired: await resign({ iat: now - 7_200, nbf: now - 7_200, exp: now - 3_600 }),
    otherAudience,
    algNone: `${b64({ ...header, alg: 'none' })}.${b64(claims)}.`,
    hs256WithPublicKey: `${hsInput}.${createHmac('sha256', publicPem).update(hsInput).digest('base64url')}`,
  };
}
