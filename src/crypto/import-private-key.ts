import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { algorithmSpec, isAlgorithm } from './algorithms.ts';
import { assertKeyFitsAlgorithm } from './assert-key-fits-algorithm.ts';
import type { KeyPair } from './generate-key-pair.ts';
import { readJwkInput } from './read-jwk-input.ts';
import { toPublicJwk } from './to-public-jwk.ts';

// Every message below is fixed text or derived facts (type, curve, size): the input may be a
// private key and must never be echoed (docs/spec.md I3).
const UNPARSEABLE = 'the key is neither a PEM private key nor a private JWK';
const PRIVATE_REQUIRED = 'a private key is required';
const INCONSISTENT = 'the private key is inconsistent: its public part does not match';

function invalidKey(message: string): SignetError {
  return new SignetError('ERR_INVALID_KEY', message);
}

function fromPem(pem: string): KeyObject {
  // PKCS#8 (RFC 5208 §6), PKCS#1 (RFC 8017 A.1.2) and SEC1 (RFC 5915 §3) labels, per RFC 7468.
  const label = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----/.exec(pem)?.[1];
  // RFC 1421 headers mark a legacy encrypted PKCS#1/SEC1 PEM.
  if (label === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(pem)) {
    throw invalidKey('the PEM private key is encrypted; decrypt it first (for example with `openssl pkey`)');
  }
  if (label === undefined) {
    if (/-----BEGIN (?:RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(pem))
      throw invalidKey(PRIVATE_REQUIRED);
    throw invalidKey(UNPARSEABLE);
  }
  try {
    // Node picks the block by its label and ignores any other block (a certificate alongside, say).
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw invalidKey(UNPARSEABLE);
  }
}

function fromJwk(jwk: Record<string, unknown>, alg: Algorithm): KeyObject {
  if (typeof jwk.kty !== 'string') throw invalidKey(UNPARSEABLE);
  if (jwk.d === undefined) throw invalidKey(PRIVATE_REQUIRED);
  // RFC 7517 §4.4 and §4.2: a key declared for another algorithm or for encryption is refused.
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    // Name the declared algorithm only when it is one of ours: any other value is user text.
    throw invalidKey(`the JWK "alg" is ${isAlgorithm(jwk.alg) ? jwk.alg : 'another algorithm'}, not ${alg}`);
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') throw invalidKey('the JWK "use" must be "sig"');
  try {
    return createPrivateKey({ key: jwk as never, format: 'jwk' });
  } catch {
    throw invalidKey(UNPARSEABLE);
  }
}

/** The JWK object in `input`, if it is one (an object, or JSON text of one). */
function parse(
  input: string | Record<string, unknown>,
  jwk: Record<string, unknown> | undefined,
  alg: Algorithm,
): KeyObject {
  if (jwk !== undefined) return fromJwk(jwk, alg);
  if (typeof input !== 'string') throw invalidKey(UNPARSEABLE);
  const text = input.trim();
  if (text.includes('-----BEGIN ')) return fromPem(text);
  throw invalidKey(UNPARSEABLE);
}

/** Compares base64url big-endian integers, tolerating the leading zero octets some encoders keep. */
function sameInteger(given: unknown, derived: unknown): boolean {
  if (typeof given !== 'string' || typeof derived !== 'string') return false;
  const strip = (value: string): Buffer => {
    const bytes = Buffer.from(value, 'base64url');
    const first = bytes.findIndex((byte) => byte !== 0);
    return first === -1 ? Buffer.alloc(0) : bytes.subarray(first);
  };
  return strip(given).equals(strip(derived));
}

/**
 * A JWK can carry a public part that does not belong to its `d` (and PEM files get mixed up);
 * a test signature proves the published half verifies what the private half signs (docs/spec.md I4).
 */
function assertConsistent(
  privateKey: KeyObject,
  publicKey: KeyObject,
  alg: Algorithm,
  jwk: Record<string, unknown> | undefined,
): void {
  if (jwk !== undefined) {
    // Node derives an OKP public key from `d` and ignores `x`, so the JWK's own public members are
    // compared too: the kid the user expects must be the kid Signet publishes.
    const derived = toPublicJwk(publicKey) as unknown as Record<string, unknown>;
    if (jwk.crv !== undefined && jwk.crv !== derived.crv) throw invalidKey(INCONSISTENT);
    for (const member of ['n', 'e', 'x', 'y']) {
      if (jwk[member] !== undefined && !sameInteger(jwk[member], derived[member])) throw invalidKey(INCONSISTENT);
    }
  }
  const spec = algorithmSpec(alg);
  const message = Buffer.from('signet:import-key-consistency-check');
  let valid = false;
  try {
    const signature = sign(spec.hash, message, privateKey);
    valid = verify(spec.hash, message, publicKey, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw invalidKey(INCONSISTENT);
}

/** Imports a PEM (PKCS#8, PKCS#1, SEC1) or JWK private key for `alg`, refusing anything unfit to sign with it. */
export function importPrivateKey(input: string | Record<string, unknown>, alg: Algorithm): KeyPair {
  algorithmSpec(alg);
  const jwk = readJwkInput(input);
  const privateKey = parse(input, jwk, alg);
  if (privateKey.type !== 'private') throw invalidKey(PRIVATE_REQUIRED);
  assertKeyFitsAlgorithm(privateKey, alg);
  const publicKey = createPublicKey(privateKey);
  assertConsistent(privateKey, publicKey, alg, jwk);
  return { privateKey, publicKey };
}
