import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { algorithmSpec } from '../crypto/algorithms.ts';
import type { Algorithm } from '../domain/types.ts';

// PKCS#11 v3.0 §2.3.14 (Edwards curves): not among pkcs11js's constants.
export const CKK_EC_EDWARDS = 0x40;
export const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
export const CKM_EDDSA = 0x1057;

/** How one JWS algorithm signs on a PKCS#11 token. */
export interface Pkcs11Mechanism {
  /** The key-pair generation mechanism of the algorithm's key type. */
  generate: number;
  sign: pkcs11js.Mechanism;
  /** Hashes the JWS signing input first where the mechanism signs a digest (CKM_ECDSA). */
  prepare(data: Buffer): Buffer;
}

const HASH = {
  sha256: { ckm: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256, bytes: 32 },
  sha384: { ckm: pkcs11js.CKM_SHA384, mgf: pkcs11js.CKG_MGF1_SHA384, bytes: 48 },
  sha512: { ckm: pkcs11js.CKM_SHA512, mgf: pkcs11js.CKG_MGF1_SHA512, bytes: 64 },
} as const;

const RSA_PKCS = {
  sha256: pkcs11js.CKM_SHA256_RSA_PKCS,
  sha384: pkcs11js.CKM_SHA384_RSA_PKCS,
  sha512: pkcs11js.CKM_SHA512_RSA_PKCS,
};
const RSA_PSS = {
  sha256: pkcs11js.CKM_SHA256_RSA_PKCS_PSS,
  sha384: pkcs11js.CKM_SHA384_RSA_PKCS_PSS,
  sha512: pkcs11js.CKM_SHA512_RSA_PKCS_PSS,
};

const asIs = (data: Buffer): Buffer => data;

/** The PKCS#11 mechanisms that produce the JWS signature of `alg` (RFC 7518 §3, RFC 8037 §3.1). */
export function pkcs11Mechanism(alg: Algorithm): Pkcs11Mechanism {
  const spec = algorithmSpec(alg);
  if (spec.kty === 'OKP')
    return { generate: CKM_EC_EDWARDS_KEY_PAIR_GEN, sign: { mechanism: CKM_EDDSA }, prepare: asIs };
  const hash = spec.hash as keyof typeof HASH;
  if (spec.kty === 'EC') {
    // CKM_ECDSA signs a digest and answers R || S already, the JWS form (RFC 7518 §3.4).
    return {
      generate: pkcs11js.CKM_EC_KEY_PAIR_GEN,
      sign: { mechanism: pkcs11js.CKM_ECDSA },
      prepare: (data) => createHash(hash).update(data).digest(),
    };
  }
  if (spec.pss) {
    // RFC 7518 §3.5: MGF1 with the same hash and a salt as long as the hash output.
    const parameter: pkcs11js.RsaPSS = {
      type: pkcs11js.CK_PARAMS_RSA_PSS,
      hashAlg: HASH[hash].ckm,
      mgf: HASH[hash].mgf,
      saltLen: HASH[hash].bytes,
    };
    return {
      generate: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN,
      sign: { mechanism: RSA_PSS[hash], parameter },
      prepare: asIs,
    };
  }
  return { generate: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN, sign: { mechanism: RSA_PKCS[hash] }, prepare: asIs };
}
