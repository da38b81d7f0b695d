import { constants, sign, type KeyObject, type SignKeyObjectInput } from 'node:crypto';
import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { algorithmSpec } from './algorithms.ts';
import { assertKeyFitsAlgorithm } from './assert-key-fits-algorithm.ts';
import { derToP1363 } from './der-to-p1363.ts';

/**
 * Signs a JWT claims set into a compact JWS with one fixed key; `typ` overrides the signer's
 * default. It resolves once the signature is computed, which for RSA happens on libuv's thread
 * pool while the event loop serves other requests.
 */
export type JwtSigner = (payload: Record<string, unknown>, typ?: string) => Promise<string>;

export interface CreateJwtSignerOptions {
  alg: Algorithm;
  kid: string;
  privateKey: KeyObject;
  /** The JOSE `typ` header; RFC 9068 §2.1 access tokens use `at+jwt`. */
  typ?: string;
  /**
   * Whether the signature is computed on libuv's thread pool (`crypto.sign` with a callback) instead
   * of on the event loop. Defaults to true for RSA (0.6 ms a signature, worth the hop) and false
   * for EC and EdDSA (40-80 µs: the hop costs more than it frees). See docs/design-notes.md, Hot path.
   */
  offload?: boolean;
}

const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;
const COORDINATE_BYTES = { 'P-256': 32, 'P-384': 48, 'P-521': 66 } as const;

type SignKey = KeyObject | SignKeyObjectInput;
type SignBytes = (data: Buffer) => Promise<Buffer>;

/** One signature with `crypto.sign`, inline or on the thread pool. */
function signer(hash: string | null, key: SignKey, offload: boolean): SignBytes {
  if (!offload) return (data) => Promise.resolve(sign(hash, data, key));
  return (data) =>
    new Promise((resolve, reject) => {
      sign(hash, data, key, (error, signature) => (error ? reject(error) : resolve(signature)));
    });
}

function signBytes(alg: Algorithm, privateKey: KeyObject, offload: boolean | undefined): SignBytes {
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

/**
 * Creates a JWT signer that assembles the compact JWS (RFC 7515 §7.1) and signs with node:crypto
 * directly: a cached KeyObject with `crypto.sign` is faster than jose's WebCrypto hop (performance-facts).
 */
export function createJwtSigner(options: CreateJwtSignerOptions): JwtSigner {
  const { alg, kid, privateKey, typ = 'at+jwt' } = options;
  algorithmSpec(alg);
  if (privateKey.type !== 'private') throw new SignetError('ERR_INVALID_KEY', 'a private key is required to sign');
  assertKeyFitsAlgorithm(privateKey, alg);
  // The header changes only with typ, so each one is encoded once (a few distinct typ values are
  // in use: at+jwt, JWT, logout+jwt, secevent+jwt ...; the cache stops growing past a bound).
  const encodeHeader = (headerTyp: string): string =>
    `${Buffer.from(JSON.stringify({ alg, typ: headerTyp, kid })).toString('base64url')}.`;
  const defaultHeader = encodeHeader(typ);
  const headers = new Map<string, string>();
  const signData = signBytes(alg, privateKey, options.offload);

  return async (payload, headerTyp) => {
    let encodedHeader = defaultHeader;
    if (headerTyp !== undefined && headerTyp !== typ) {
      encodedHeader = headers.get(headerTyp) ?? encodeHeader(headerTyp);
      if (headers.size < 32) headers.set(headerTyp, encodedHeader);
    }
    const signingInput = `${encodedHeader}${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const signature = await signData(Buffer.from(signingInput));
    return `${signingInput}.${signature.toString('base64url')}`;
  };
}
