import { createPublicKey, type KeyObject } from 'node:crypto';
import type { PublicJwk } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { describeKey } from './assert-key-fits-algorithm.ts';

const SUPPORTED_CURVES = new Set(['P-256', 'P-384', 'P-521']);

function member(jwk: Record<string, unknown>, name: string): string {
  const value = jwk[name];
  if (typeof value !== 'string' || value === '') {
    throw new SignetError('ERR_INVALID_KEY', `the public key has no "${name}" member`);
  }
  return value;
}

/** The public JWK of a key (RFC 7517/7518 §6); a private KeyObject is reduced to its public half first. */
export function toPublicJwk(publicKey: KeyObject): PublicJwk {
  if (publicKey.type === 'secret') {
    throw new SignetError('ERR_INVALID_KEY', 'an asymmetric key is required');
  }
  // Derive the public half so private members can never reach the export below.
  const key = publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey;
  const type = key.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec' && type !== 'ed25519') {
    throw new SignetError('ERR_INVALID_KEY', `unsupported key type ${describeKey(key)}`);
  }
  const jwk = key.export({ format: 'jwk' }) as Record<string, unknown>;
  // Copy members by name (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2) so nothing else can leak through.
  switch (type) {
    case 'rsa':
      return { kty: 'RSA', n: member(jwk, 'n'), e: member(jwk, 'e') };
    case 'ec': {
      const crv = member(jwk, 'crv');
      if (!SUPPORTED_CURVES.has(crv)) {
        throw new SignetError('ERR_INVALID_KEY', `unsupported key type ${describeKey(key)}`);
      }
      return { kty: 'EC', crv, x: member(jwk, 'x'), y: member(jwk, 'y') };
    }
    case 'ed25519':
      return { kty: 'OKP', crv: 'Ed25519', x: member(jwk, 'x') };
  }
}
