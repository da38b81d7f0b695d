import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';

/** What a JWS algorithm needs from a key and from node:crypto. */
export interface AlgorithmSpec {
  kty: 'RSA' | 'EC' | 'OKP';
  /** node:crypto digest name; null for EdDSA, which hashes internally (RFC 8037 §3.1). */
  hash: 'sha256' | 'sha384' | 'sha512' | null;
  crv?: 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
  /** RSASSA-PSS (RFC 7518 §3.5) rather than RSASSA-PKCS1-v1_5 (§3.3). */
  pss: boolean;
}

const spec = (value: AlgorithmSpec): Readonly<AlgorithmSpec> => Object.freeze(value);

/** Every algorithm Signet signs with (docs/spec.md §4) and its key requirements (RFC 7518 §3.1, RFC 8037 §3.1). */
export const ALGORITHMS: Readonly<Record<Algorithm, Readonly<AlgorithmSpec>>> = Object.freeze({
  RS256: spec({ kty: 'RSA', hash: 'sha256', pss: false }),
  RS384: spec({ kty: 'RSA', hash: 'sha384', pss: false }),
  RS512: spec({ kty: 'RSA', hash: 'sha512', pss: false }),
  PS256: spec({ kty: 'RSA', hash: 'sha256', pss: true }),
  PS384: spec({ kty: 'RSA', hash: 'sha384', pss: true }),
  PS512: spec({ kty: 'RSA', hash: 'sha512', pss: true }),
  // RFC 7518 §3.4: each ES algorithm is bound to exactly one curve.
  ES256: spec({ kty: 'EC', hash: 'sha256', crv: 'P-256', pss: false }),
  ES384: spec({ kty: 'EC', hash: 'sha384', crv: 'P-384', pss: false }),
  ES512: spec({ kty: 'EC', hash: 'sha512', crv: 'P-521', pss: false }),
  EdDSA: spec({ kty: 'OKP', hash: null, crv: 'Ed25519', pss: false }),
});

/** True when `value` names an algorithm Signet supports. */
export function isAlgorithm(value: unknown): value is Algorithm {
  return typeof value === 'string' && Object.hasOwn(ALGORITHMS, value);
}

/** The spec of `alg`, or ERR_UNSUPPORTED_ALGORITHM when a caller slipped past the type system. */
export function algorithmSpec(alg: Algorithm): Readonly<AlgorithmSpec> {
  if (!isAlgorithm(alg)) {
    throw new SignetError(
      'ERR_UNSUPPORTED_ALGORITHM',
      `unsupported algorithm; supported: ${Object.keys(ALGORITHMS).join(', ')}`,
    );
  }
  return ALGORITHMS[alg];
}
