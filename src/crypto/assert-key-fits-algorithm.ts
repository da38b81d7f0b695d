import type { KeyObject } from 'node:crypto';
import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { algorithmSpec } from './algorithms.ts';

/** RFC 7518 §3.3 and §3.5: RSA keys of 2048 bits or larger MUST be used. */
export const MIN_RSA_MODULUS_BITS = 2048;
/** Signet's own ceiling, not a standard one: a huge imported modulus would make every token of its key set slow to sign. */
export const MAX_RSA_MODULUS_BITS = 8192;

// OpenSSL curve names as reported by KeyObject.asymmetricKeyDetails.namedCurve.
const CURVE_NAMES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** A human description of a key's type and size, e.g. `EC P-384`; never any key material. */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return `RSA ${String(details.modulusLength)}-bit`;
    case 'rsa-pss':
      return 'RSA-PSS-restricted (id-RSASSA-PSS)';
    case 'ec': {
      const curve = details.namedCurve ?? 'unknown';
      return `EC ${CURVE_NAMES[curve] ?? curve}`;
    }
    case 'ed25519':
      return 'Ed25519';
    case undefined:
      return 'symmetric';
    default:
      return key.asymmetricKeyType.toUpperCase();
  }
}

function expectedKey(alg: Algorithm): string {
  const spec = algorithmSpec(alg);
  if (spec.kty === 'RSA') return `RSA (rsaEncryption, ${MIN_RSA_MODULUS_BITS}-${MAX_RSA_MODULUS_BITS} bits)`;
  return spec.kty === 'EC' ? `EC ${String(spec.crv)}` : 'Ed25519';
}

/** Throws ERR_INVALID_KEY unless `key` has the type, curve and size `alg` requires (RFC 7518 §3, RFC 8037 §3.1). */
export function assertKeyFitsAlgorithm(key: KeyObject, alg: Algorithm): void {
  const spec = algorithmSpec(alg);
  const details = key.asymmetricKeyDetails ?? {};
  let fits: boolean;
  switch (spec.kty) {
    case 'RSA':
      // Only plain rsaEncryption keys: a PSS-restricted key cannot sign RS* and cannot be published
      // as a JWK or in an rsaEncryption SPKI that every verifier accepts.
      fits = key.asymmetricKeyType === 'rsa';
      if (fits) {
        const bits = details.modulusLength ?? 0;
        if (bits < MIN_RSA_MODULUS_BITS || bits > MAX_RSA_MODULUS_BITS) {
          throw new SignetError(
            'ERR_INVALID_KEY',
            `${alg} requires an RSA modulus of ${MIN_RSA_MODULUS_BITS} to ${MAX_RSA_MODULUS_BITS} bits, got ${bits} bits`,
          );
        }
        const exponent = details.publicExponent ?? 0n;
        if (exponent < 3n || exponent % 2n === 0n) {
          throw new SignetError('ERR_INVALID_KEY', 'the RSA public exponent must be an odd number of at least 3');
        }
      }
      break;
    case 'EC':
      fits = key.asymmetricKeyType === 'ec' && CURVE_NAMES[details.namedCurve ?? ''] === spec.crv;
      break;
    case 'OKP':
      fits = key.asymmetricKeyType === 'ed25519';
      break;
  }
  if (!fits) {
    throw new SignetError('ERR_INVALID_KEY', `${alg} requires an ${expectedKey(alg)} key, got ${describeKey(key)}`, {
      expected: expectedKey(alg),
      actual: describeKey(key),
    });
  }
}
