import { createJwtSigner, type JwtSigner } from '../crypto/create-jwt-signer.ts';
import { createCustodyJwtSigner } from '../crypto/create-custody-jwt-signer.ts';
import type { Sealer } from '../crypto/create-sealer.ts';
import { custodyRef, type Custodies } from '../custody/create-custodies.ts';
import { toJwksEntry, type JwksEntry } from '../crypto/to-jwks-entry.ts';
import { unsealPrivateKey } from '../crypto/unseal-private-key.ts';
import { nextChangeAt } from '../domain/jwks-max-age.ts';
import { computeSchedule, type ScheduledTransition } from '../domain/compute-schedule.ts';
import type { Algorithm, Key, KeySet } from '../domain/types.ts';

/** The active key of a key set, ready to sign without touching the database. */
export interface Signer {
  kid: string;
  alg: Algorithm;
  certificateNotAfter: number;
  /** Unseals the private key on its first call, then signs with the cached KeyObject. */
  sign: JwtSigner;
}

/** How the registry gets a signer for a key set's active key, whatever its custody. */
export interface KeySigning {
  sealer: Sealer;
  custodies: Custodies;
}

/** A published key as the registry holds it: everything but the sealed private key. */
export type PublishedKey = Omit<Key, 'sealedPrivateKey'>;

/** Everything the hot path and the scheduler need about one key set, held in memory. */
export interface KeySetView {
  keySet: KeySet;
  /**
   * Published keys (next, active, draining), oldest first, without their sealed private keys: only
   * the active one is needed, once, to build the signer; the rest stay in the database.
   */
  keys: PublishedKey[];
  jwksEntries: JwksEntry[];
  schedule: ScheduledTransition[];
  nextChangeAt: number | null;
  signer: Signer | null;
}

/** Builds the in-memory view of a key set from its published keys, unsealing only the active key. */
export function buildKeySetView(
  keySet: KeySet,
  publishedKeys: Key[],
  signing: KeySigning,
  previous?: KeySetView,
): KeySetView {
  const schedule = computeSchedule(publishedKeys, keySet.policy, keySet.jwksCacheHorizonAt);
  const active = publishedKeys.find((key) => key.state === 'active');
  let signer: Signer | null = null;
  if (active) {
    // Unsealing costs an AES-GCM open and a key import: reuse the previous signer when it is the same key.
    const reusable = previous?.signer?.kid === active.kid ? previous.signer : null;
    signer = {
      kid: active.kid,
      alg: active.alg,
      certificateNotAfter: active.certificateNotAfter,
      sign: reusable?.sign ?? signerOf(active, keySet, signing),
    };
  }
  // A key's entry changes only with its certificate; a key set with many draining keys (after a
  // burst of rotations) would otherwise hash every certificate again on each refresh.
  const previousEntries = new Map(
    previous?.keys.map((key, i) => [key.kid, { certificateDer: key.certificateDer, entry: previous.jwksEntries[i]! }]),
  );
  const jwksEntries = publishedKeys.map((key) => {
    const reusable = previousEntries.get(key.kid);
    return reusable?.certificateDer === key.certificateDer ? reusable.entry : toJwksEntry(key);
  });
  return {
    keySet,
    keys: publishedKeys.map(withoutSealedKey),
    jwksEntries,
    schedule,
    nextChangeAt: nextChangeAt(schedule),
    signer,
  };
}

/** The signer of an active key: through its token for a pkcs11 key set, else unsealed on first use. */
function signerOf(active: Key, keySet: KeySet, signing: KeySigning): JwtSigner {
  if (active.tokenObjectId === null) return lazySigner(active, signing.sealer);
  // The token signs on libuv's thread pool (C_SignAsync); the object is found on the first token.
  const sign = signing.custodies.get(keySet.custody).open(custodyRef(active));
  return createCustodyJwtSigner({ alg: active.alg, kid: active.kid, sign });
}

/**
 * A signer that unseals its key on the first token: an unsealed KeyObject costs ~10 KB of native
 * memory (an EC key carries its own group), which tenants that never issue a token should not pay,
 * and a rotation installs its new active key without waiting for the import (RSA-4096: milliseconds).
 * Start-up still proves the master key (create-registry's assertUnsealable).
 */
function lazySigner(active: Key, sealer: Sealer): JwtSigner {
  let sealed: Pick<Key, 'keySetId' | 'kid' | 'sealedPrivateKey'> | null = {
    keySetId: active.keySetId,
    kid: active.kid,
    sealedPrivateKey: active.sealedPrivateKey,
  };
  const { alg, kid } = active;
  let sign: JwtSigner | null = null;
  return (payload, typ) => {
    if (sign === null) {
      sign = createJwtSigner({ alg, kid, privateKey: unsealPrivateKey(sealed!, sealer) });
      sealed = null;
    }
    return sign(payload, typ);
  };
}

function withoutSealedKey(key: Key): PublishedKey {
  const { sealedPrivateKey: _sealed, ...published } = key;
  return published;
}
