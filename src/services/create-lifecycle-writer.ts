import type { KeyMaterialPool } from '../crypto/create-key-material-pool.ts';
import type { CertificateResult } from '../crypto/create-certificate.ts';
import type { KeyPair } from '../crypto/generate-key-pair.ts';
import { mintKey } from '../crypto/mint-key.ts';
import { custodyRef, type Custodies } from '../custody/create-custodies.ts';
import { SignetError } from '../errors.ts';
import type { LifecyclePlan } from '../domain/key-change.ts';
import { placeNewKey } from '../domain/place-new-key.ts';
import {
  PUBLISHED_STATES,
  type CertificateIssuer,
  type Key,
  type KeyOrigin,
  type KeySet,
  type RequestContext,
} from '../domain/types.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Store, StoreTx } from '../storage/store.ts';
import { auditEvent } from './audit-event.ts';
import { destroyLeftKeys } from './destroy-left-keys.ts';
import { installCommittedKeySet } from './install-committed-key-set.ts';

export interface LifecycleWriterDeps {
  store: Store;
  registry: Registry;
  pool: KeyMaterialPool;
  custodies: Custodies;
  now: () => number;
}

/** The outcome of a lifecycle operation: what changed and the published keys after it. */
export interface LifecycleResult {
  keySet: KeySet;
  /** Published keys after the operation (next, active, draining), oldest first. */
  keys: Key[];
  /** Every key the operation changed or created, in their new state. */
  changed: Key[];
  /** The key the operation created, if any. */
  created: Key | null;
}

export type LifecycleWriter = ReturnType<typeof createLifecycleWriter>;

/**
 * The shared mechanics of every lifecycle use case: mint key material outside any lock, load or
 * lock a tenant's key set, and write a pure plan with its audit events in one transaction.
 */
export function createLifecycleWriter(deps: LifecycleWriterDeps) {
  const { store, pool, custodies, now } = deps;

  /**
   * Mints a key (from the pool unless a key pair is given) as a `next` record of the key set, with
   * a fresh self-signed certificate unless one issued elsewhere is given.
   */
  async function mint(
    keySet: Pick<KeySet, 'id' | 'alg' | 'rsaModulusLength' | 'policy' | 'custody'>,
    origin: KeyOrigin,
    keyPair?: KeyPair,
    kid?: string,
    certificate?: CertificateResult,
    certificateIssuer?: CertificateIssuer,
  ): Promise<Key> {
    const validity = keySet.policy.certificateValiditySeconds;
    const custody = custodies.get(keySet.custody);
    // A pooled pair comes with its certificate signed ahead, so a rotation signs nothing in the
    // request; a token generates its own keys (they never exist outside it), without a pool.
    const material = keyPair
      ? { keyPair: await custody.importPrivateKey(keyPair.privateKey), certificate: null }
      : keySet.custody === 'pkcs11'
        ? { keyPair: await custody.generate(keySet.alg, keySet.rsaModulusLength ?? undefined), certificate: null }
        : await pool
            .takeWithCertificate(keySet.alg, keySet.rsaModulusLength, validity)
            .then(async (taken) => ({ ...taken, keyPair: await custody.importPrivateKey(taken.keyPair.privateKey) }));
    return mintKey({
      keySetId: keySet.id,
      alg: keySet.alg,
      keyPair: material.keyPair,
      now: now(),
      state: 'next',
      origin,
      certificateValiditySeconds: validity,
      tokenLifetimeCeilingSeconds: keySet.policy.maxTokenLifetimeSeconds,
      ...(kid !== undefined ? { kid } : {}),
      ...(certificate !== undefined ? { certificate } : {}),
      ...(certificateIssuer !== undefined ? { certificateIssuer } : {}),
      ...(material.certificate ? { preparedCertificate: material.certificate } : {}),
    });
  }

  async function loadOwned(tenantId: string, keySetId: string): Promise<{ keySet: KeySet; keys: Key[] }> {
    const found = await store.read(async (reader) => {
      const keySet = await reader.getKeySet(keySetId);
      return keySet && keySet.tenantId === tenantId ? { keySet, keys: await reader.listKeys(keySetId) } : undefined;
    });
    if (!found) throw new SignetError('ERR_KEY_SET_NOT_FOUND', `key set ${keySetId} not found`, { keySetId });
    return found;
  }

  async function lockOwned(tx: StoreTx, tenantId: string, keySetId: string): Promise<{ keySet: KeySet; keys: Key[] }> {
    const keySet = await tx.lockKeySet(keySetId);
    if (!keySet || keySet.tenantId !== tenantId)
      throw new SignetError('ERR_KEY_SET_NOT_FOUND', `key set ${keySetId} not found`, { keySetId });
    return { keySet, keys: await tx.listKeys(keySetId) };
  }

  /**
   * Marks the key set as changed: `updatedAt` moves forward with every change of its keys, so the
   * periodic reconcile finds a key set whose change notification an instance missed with one query.
   */
  async function touchKeySet(tx: StoreTx, keySet: KeySet, at: number): Promise<KeySet> {
    const touched: KeySet = { ...keySet, updatedAt: Math.max(at, keySet.updatedAt + 1) };
    await tx.updateKeySet(touched);
    return touched;
  }

  /** Writes a plan: updates in order, then the fresh key, each with its audit event. */
  async function commitPlan(
    tx: StoreTx,
    context: RequestContext,
    current: KeySet,
    plan: LifecyclePlan,
    fresh: Key | null,
    operation: string,
    at: number,
  ): Promise<LifecycleResult> {
    const keySet = await touchKeySet(tx, current, at);
    for (const key of plan.updates) await tx.updateKey(key);
    for (const change of plan.changes) {
      await tx.appendAuditEvent(
        auditEvent(context, keySet.tenantId, at, change.action, operation, {
          keySetId: keySet.id,
          kid: change.kid,
          fromState: change.from,
          toState: change.to,
        }),
      );
    }
    let created: Key | null = null;
    if (plan.newKeyState) {
      if (!fresh) throw new SignetError('ERR_INTERNAL', 'a lifecycle plan asked for a key that was not minted');
      created = placeNewKey(fresh, plan.newKeyState, keySet.policy, at);
      await tx.insertKey(created);
      await tx.appendAuditEvent(
        auditEvent(
          context,
          keySet.tenantId,
          at,
          created.origin === 'imported' ? 'key.imported' : 'key.generated',
          operation,
          { keySetId: keySet.id, kid: created.kid, toState: created.state },
        ),
      );
    }
    const keys = await tx.listKeys(keySet.id, PUBLISHED_STATES);
    // I1 "exactly one": the schema allows at most one active key; the transaction refuses none.
    if (keys.filter((key) => key.state === 'active').length !== 1) {
      throw new SignetError('ERR_INVALID_TRANSITION', `key set ${keySet.id} would be left without an active key`, {
        keySetId: keySet.id,
      });
    }
    // A key changed twice (emergency rotate: active -> draining -> revoked) is reported once, as it ends.
    const changed = [
      ...new Map([...plan.updates, ...(created ? [created] : [])].map((key) => [key.kid, key])).values(),
    ];
    return { keySet, keys, changed, created };
  }

  /**
   * Runs a lifecycle operation: mint first (outside the lock), then let `planner` make the plan and commit it under the lock;
   * `within` writes what belongs to the same operation (and its audit events) in that transaction.
   */
  async function runLifecycle(
    context: RequestContext,
    tenantId: string,
    keySetId: string,
    operation: string,
    planner: (keys: Key[], keySet: KeySet, at: number) => LifecyclePlan,
    fresh?: (keySet: KeySet) => Promise<Key>,
    within?: (tx: StoreTx, at: number) => Promise<void>,
  ): Promise<LifecycleResult> {
    const before = await loadOwned(tenantId, keySetId);
    // Plan once before minting so a refused operation costs no key generation.
    const preview = planner(before.keys, before.keySet, now());
    const minted = preview.newKeyState ? await (fresh ?? ((ks) => mint(ks, 'generated')))(before.keySet) : null;
    const result = await store
      .transaction(async (tx) => {
        const { keySet, keys } = await lockOwned(tx, tenantId, keySetId);
        const at = now();
        const final = planner(keys, keySet, at);
        if (final.newKeyState && !minted)
          throw new SignetError('ERR_UNAVAILABLE', 'the key set changed during the operation; retry');
        const committed = await commitPlan(tx, context, keySet, final, minted, operation, at);
        await within?.(tx, at);
        return committed;
      })
      .catch(async (error: unknown) => {
        // An instance that lost the race (or a refused plan) leaves no orphan object on the token.
        await discardUnused(before.keySet, minted);
        throw error;
      });
    if (minted && result.created?.kid !== minted.kid) await discardUnused(before.keySet, minted);
    // The transaction read the published keys it left: serve them before answering, without a read.
    installCommittedKeySet(deps, result);
    await destroyLeftKeys(deps, context, result.keySet, result.changed);
    return result;
  }

  /** Destroys the token objects of a minted key that was never written (sealed keys hold nothing outside their row). */
  async function discardUnused(keySet: Pick<KeySet, 'custody'>, minted: Key | null): Promise<void> {
    if (minted?.tokenObjectId == null) return;
    await custodies
      .get(keySet.custody)
      .destroy(custodyRef(minted))
      .catch(() => undefined);
  }

  return { mint, loadOwned, lockOwned, touchKeySet, commitPlan, runLifecycle, discardUnused };
}
