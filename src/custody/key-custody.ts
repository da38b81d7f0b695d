import type { KeyObject } from 'node:crypto';
import type { Algorithm, Custody, RsaModulusLength } from '../domain/types.ts';

/** Every custody, in the order the API and the CLI list them. */
export const CUSTODIES: readonly Custody[] = ['sealed', 'pkcs11'];

/** What storage keeps of a key's private half: exactly one of the two is set. */
export interface HeldPrivateKey {
  /** The sealer's envelope (custody `sealed`). */
  sealedPrivateKey: string | null;
  /** The token object's `CKA_ID`, hex (custody `pkcs11`); the token holds the key itself. */
  tokenObjectId: string | null;
}

/**
 * Signs bytes with one private key under the JWS algorithm `alg` and answers the signature in its
 * JWS form (RFC 7518 §3: PKCS#1 v1.5, PSS with a hash-long salt, ECDSA as R || S, Ed25519).
 */
export type SignBytes = (alg: Algorithm, data: Buffer) => Promise<Buffer>;

/** A key pair the custody holds, not yet bound to a key row. */
export interface CustodyKeyPair {
  publicKey: KeyObject;
  sign: SignBytes;
  /**
   * Binds the private half to its row: `sealed` seals it under the row's additional data, `pkcs11`
   * labels the token object with it. Answers what storage keeps.
   */
  bind(keySetId: string, kid: string): Promise<HeldPrivateKey>;
  /** Forgets a pair that will never be stored (an instance that lost a race): the token object is destroyed. */
  discard(): Promise<void>;
}

/** A stored key as far as custody needs it. */
export interface CustodyKeyRef {
  keySetId: string;
  kid: string;
  held: HeldPrivateKey;
}

/** The custody port: generate a key pair, sign bytes, read the public key, destroy. */
export interface KeyCustody {
  readonly custody: Custody;
  /** Throws ERR_UNSUPPORTED_ALGORITHM (400) when this custody cannot generate or sign with `alg`. */
  assertSupports(alg: Algorithm): void;
  /** Generates a fresh key pair for `alg` without blocking the event loop. */
  generate(alg: Algorithm, rsaModulusLength?: RsaModulusLength): Promise<CustodyKeyPair>;
  /** Takes an existing private key into custody (pkcs11: a non-extractable token object). */
  importPrivateKey(privateKey: KeyObject): Promise<CustodyKeyPair>;
  /**
   * A signer for a stored key, made without I/O (the registry builds signers synchronously): a
   * sealed key is unsealed now, a token key is looked up at its first signature.
   */
  open(key: CustodyKeyRef): SignBytes;
  /** The public key of a stored key, as the custody holds it. */
  readPublicKey(key: CustodyKeyRef): Promise<KeyObject>;
  /** Destroys the private half of a retired or revoked key where the custody holds it (the token). */
  destroy(key: CustodyKeyRef): Promise<void>;
  /**
   * The object ids (`CKA_ID`, hex) of every key object the custody holds, read from the token now
   * (never from a cache), so a sweep finds the objects of keys whose destruction failed; sealed: none.
   */
  listHeldObjectIds(): Promise<ReadonlySet<string>>;
  /** True while the custody can sign (a token that went away answers false until it is back). */
  isAvailable(): boolean;
  /** Asks the custody whether it can sign now (pkcs11: a round trip to the token, reconnecting if it was away). */
  check(): Promise<boolean>;
  /** Releases what the custody holds open (sessions, the module). */
  close(): Promise<void>;
}
