import { constants, sign, type KeyObject, type SignKeyObjectInput } from 'node:crypto';
import type { Algorithm } from '../domain/types.ts';
import { algorithmSpec } from './algorithms.ts';
import { derToP1363 } from './der-to-p1363.ts';

const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;
const COORDINATE_BYTES = { 'P-256': 32, 'P-384': 48, 'P-521': 66 } as const;

type SignKey = KeyObject | SignKeyObjectInput;
/** Signs bytes with one fixed key, answering the JWS form of the signature. */
export type KeyObjectSignBytes = (data: Buffer) => Promise<Buffer>;

/** One signature with `crypto.sign`, inline or on the thread pool. */
function signer(hash: string | null, key: SignKey, offload: boolean): KeyObjectSignBytes {
  if (!offload) return (data) => Promise.resolve(sign(hash, data, key));
  return (data) =>
    new Promise((resolve, reject) => {
      sign(hash, data, key, (error, signature) => (error ? reject(error) : resolve(signature)));
    });
}

/**
 * Signs with a KeyObject under `alg`, answering the JWS signature form (RFC 7518 §3: ECDSA as
 * R || S), on libuv's thread pool when `offload` (the default for RSA) or inline.
 */
export function keyObjectSigner(alg: Algorithm, privateKey: KeyObject, offload?: boolean): KeyObjectSignBytes {
  const spec = algorithmSpec(alg);
  const hash = spec.hash;
  if (spec.kty === 'EC') {
    // RFC 7518 §3.4 wants fixed-width R || S. Node's `dsaEncoding: 'ieee-p1363'` option measured
    // about half the throughput of signing with the bare KeyObject and converting the DER here.
    const size = COORDINATE_BYTES[spec.crv as keyof typeof COORDINATE_BYTES];
    const der = signer(hash, privateKey, offload ?? false);
    return async (data) => derToP1363(await der(data), size);
  }
  if (spec.kty === 'RSA' && spec.pss) {
    // RFC 7518 §3.5: MGF1 with the same hash and a salt as long as the hash output.
    const options: SignKeyObjectInput = {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: HASH_BYTES[hash as keyof typeof HASH_BYTES],
    };
    return signer(hash, options, offload ?? true);
  }
  // RS*: PKCS#1 v1.5 is the default padding of an RSA KeyObject (RFC 7518 §3.3). EdDSA: a null
  // digest, as Ed25519 hashes internally (RFC 8037 §3.1). A bare KeyObject is the fastest input.
  return signer(hash, privateKey, offload ?? spec.kty === 'RSA');
}
