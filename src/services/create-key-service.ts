import type { KeyMaterialPool } from '../crypto/create-key-material-pool.ts';
import type { Sealer } from '../crypto/create-sealer.ts';
import type { KeyPair } from '../crypto/generate-key-pair.ts';
import { importPrivateKey } from '../crypto/import-private-key.ts';
import { importedKid } from '../crypto/imported-kid.ts';
import { mintKey } from '../crypto/mint-key.ts';
import { reissueCertificate } from '../crypto/reissue-certificate.ts';
import { randomToken } from '../crypto/random-token.ts';
import { SignetError } from '../errors.ts';
import { applyPolicyChange } from '../domain/apply-policy-change.ts';
import { changeKeyState, type LifecyclePlan } from '../domain/key-change.ts';
import { planEmergencyRotate } from '../domain/plan-emergency-rotate.ts';
import { planImport } from '../domain/plan-import.ts';
import { planRevoke } from '../domain/plan-revoke.ts';
import { planRotate, type RotateMode } from '../domain/plan-rotate.ts';
import { dueTransitions, planSchedule, type ScheduledTransition } from '../domain/plan-schedule.ts';
import { placeNewKey } from '../domain/place-new-key.ts';
import {
  PUBLISHED_STATES, type Algorithm, type Key, type KeyOrigin, type KeySet, type KeySetOwnerType, type KeyState,
  type RequestContext, type RotationPolicy, type RsaModulusLength,
} from '../domain/types.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Store, StoreTx } from '../storage/store.ts';
import { auditKeyChanges, auditNewKey } from './audit-key-changes.ts';
import { resolvePolicy } from './resolve-policy.ts';

export interface KeyServiceDeps {
  store: Store;
  registry: Registry;
  pool: KeyMaterialPool;
  sealer: Sealer;
  now: () => number;
}

export interface CreateKeySetInput {
  ownerType: KeySetOwnerType;
  ownerId: string;
  alg: Algorithm;
  rsaModulusLength?: RsaModulusLength | null;
  policy?: Partial<RotationPolicy>;
  /** A PEM or JWK private key to start with as the active key (moving from another provider). */
  privateKey?: string | Record<string, unknown>;
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

/** Key material minted for a new key set, ready to be written in a transaction. */
export interface PreparedKeySet {
  input: CreateKeySetInput;
  draft: Pick<KeySet, 'id' | 'alg' | 'rsaModulusLength' | 'policy'>;
  active: Key;
  next: Key;
}

export type KeyService = ReturnType<typeof createKeyService>;

/**
 * The key lifecycle use cases shared by every surface (native API, vendor dialects, CLI through
 * the API, scheduler). Each runs the pure domain plan under the key set's row lock and writes the
 * changes and their audit events in one transaction; key material is minted before it.
 */
export function createKeyService(deps: KeyServiceDeps) {
  const { store, registry, pool, sealer, now } = deps;

  async function mint(keySet: Pick<KeySet, 'id' | 'alg' | 'rsaModulusLength' | 'policy'>, origin: KeyOrigin, keyPair?: KeyPair, kid?: string): Promise<Key> {
    const pair = keyPair ?? (await pool.take(keySet.alg, keySet.rsaModulusLength));
    return mintKey({
      keySetId: keySet.id,
      alg: keySet.alg,
      keyPair: pair,
      sealer,
      now: now(),
      state: 'next',
      origin,
      certificateValiditySeconds: keySet.policy.certificateValiditySeconds,
      tokenLifetimeCeilingSeconds: keySet.policy.maxTokenLifetimeSeconds,
      ...(kid !== undefined ? { kid } : {}),
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
    if (!keySet || keySet.tenantId !== tenantId) throw new SignetError('ERR_KEY_SET_NOT_FOUND', `key set ${keySetId} not found`, { keySetId });
    return { keySet, keys: await tx.listKeys(keySetId) };
  }

  /** Writes a plan: updates in order, then the fresh key, each with its audit event. */
  async function commitPlan(
    tx: StoreTx, context: RequestContext, keySet: KeySet, plan: LifecyclePlan, fresh: Key | null, operation: string, at: number,
  ): Promise<LifecycleResult> {
    for (const key of plan.updates) await tx.updateKey(key);
    await auditKeyChanges(tx, context, keySet, plan.changes, operation, at);
    let created: Key | null = null;
    if (plan.newKeyState) {
      if (!fresh) throw new SignetError('ERR_INTERNAL', 'a lifecycle plan asked for a key that was not minted');
      created = placeNewKey(fresh, plan.newKeyState, keySet.policy, at);
      await tx.insertKey(created);
      await auditNewKey(tx, context, keySet, created, operation, at);
    }
    const keys = await tx.listKeys(keySet.id, PUBLISHED_STATES);
    // I1 "exactly one": the schema allows at most one active key; the transaction refuses none.
    if (keys.filter((key) => key.state === 'active').length !== 1) {
      throw new SignetError('ERR_INVALID_TRANSITION', `key set ${keySet.id} would be left without an active key`, { keySetId: keySet.id });
    }
    // A key changed twice (emergency rotate: active -> draining -> revoked) is reported once, as it ends.
    const changed = [...new Map([...plan.updates, ...(created ? [created] : [])].map((key) => [key.kid, key])).values()];
    return { keySet, keys, changed, created };
  }

  /** Runs a lifecycle operation: mint first (outside the lock), then plan and commit under it. */
  async function runLifecycle(
    context: RequestContext, tenantId: string, keySetId: string, operation: string,
    plan: (keys: Key[], keySet: KeySet, at: number) => LifecyclePlan, fresh?: (keySet: KeySet) => Promise<Key>,
  ): Promise<LifecycleResult> {
    const before = await loadOwned(tenantId, keySetId);
    // Plan once before minting so a refused operation costs no key generation.
    const preview = plan(before.keys, before.keySet, now());
    const minted = preview.newKeyState ? await (fresh ?? ((ks) => mint(ks, 'generated')))(before.keySet) : null;
    const result = await store.transaction(async (tx) => {
      const { keySet, keys } = await lockOwned(tx, tenantId, keySetId);
      const at = now();
      const final = plan(keys, keySet, at);
      if (final.newKeyState && !minted) throw new SignetError('ERR_UNAVAILABLE', 'the key set changed during the operation; retry');
      return commitPlan(tx, context, keySet, final, minted, operation, at);
    });
    await registry.refreshKeySet(keySetId);
    pool.warm(result.keySet.alg, result.keySet.rsaModulusLength);
    return result;
  }

  const service = {
    /** Mints the two keys of a new key set outside any transaction (RSA generation is slow). */
    async prepareKeySet(input: CreateKeySetInput): Promise<PreparedKeySet> {
      const policy = resolvePolicy(input.policy ?? {});
      const rsaModulusLength = input.alg.startsWith('RS') || input.alg.startsWith('PS') ? (input.rsaModulusLength ?? 2048) : null;
      const draft = { id: randomToken('ks_', 12), alg: input.alg, rsaModulusLength, policy };
      const imported = input.privateKey === undefined ? undefined : importPrivateKey(input.privateKey, input.alg);
      const kid = input.privateKey === undefined ? undefined : importedKid(input.privateKey, undefined);
      const [active, next] = await Promise.all([mint(draft, imported ? 'imported' : 'generated', imported, kid), mint(draft, 'generated')]);
      return { input, draft, active, next };
    },

    /** Writes a prepared key set (one active, one next key) in the caller's transaction. */
    async writeKeySet(tx: StoreTx, context: RequestContext, tenantId: string, prepared: PreparedKeySet): Promise<LifecycleResult> {
      const { input, draft } = prepared;
      const server = input.ownerType === 'authorizationServer' ? await tx.getAuthorizationServer(tenantId, input.ownerId) : undefined;
      if (input.ownerType === 'authorizationServer' && !server) {
        throw new SignetError('ERR_AUTH_SERVER_NOT_FOUND', `authorization server ${input.ownerId} not found`, { authorizationServerId: input.ownerId });
      }
      const at = now();
      const keySet: KeySet = { ...draft, tenantId, ownerType: input.ownerType, ownerId: input.ownerId, createdAt: at, updatedAt: at };
      await tx.insertKeySet(keySet);
      // The first key set of a server signs its tokens.
      if (server && !server.signingKeySetId) await tx.updateAuthorizationServer({ ...server, signingKeySetId: keySet.id });
      await tx.appendAuditEvent({
        tenantId, at, actor: context.actor, action: 'keySet.created', keySetId: keySet.id, kid: null, fromState: null, toState: null,
        operation: 'createKeySet', sourceIp: context.sourceIp, requestId: context.requestId, details: { alg: keySet.alg, policy: { ...keySet.policy } },
      });
      await commitPlan(tx, context, keySet, { updates: [], changes: [], newKeyState: 'active' }, prepared.active, 'createKeySet', at);
      return commitPlan(tx, context, keySet, { updates: [], changes: [], newKeyState: 'next' }, prepared.next, 'createKeySet', at);
    },

    /** Creates a key set with an active and a next key. */
    async createKeySet(context: RequestContext, tenantId: string, input: CreateKeySetInput): Promise<LifecycleResult> {
      const prepared = await service.prepareKeySet(input);
      const result = await store.transaction((tx) => service.writeKeySet(tx, context, tenantId, prepared));
      await registry.refreshKeySet(result.keySet.id);
      if (input.ownerType === 'authorizationServer') await registry.refreshAuthorizationServer(tenantId, input.ownerId);
      return result;
    },

    /** Rotates a key set; `safe` enforces publish-before-use, `force` and `vendor` rotate now. */
    rotate(context: RequestContext, tenantId: string, keySetId: string, mode: RotateMode): Promise<LifecycleResult> {
      return runLifecycle(context, tenantId, keySetId, 'rotate', (keys, keySet, at) => planRotate({ keys, policy: keySet.policy, now: at, mode }));
    },

    /** Revokes a draining or next key (a next key is replaced); the active key is refused. */
    revoke(context: RequestContext, tenantId: string, keySetId: string, kid: string): Promise<LifecycleResult> {
      return runLifecycle(context, tenantId, keySetId, 'revoke', (keys, _keySet, at) => planRevoke({ keys, kid, now: at }));
    },

    /** Rotates at once and revokes the old active key, for a compromised key. */
    emergencyRotate(context: RequestContext, tenantId: string, keySetId: string): Promise<LifecycleResult> {
      return runLifecycle(context, tenantId, keySetId, 'emergencyRotate', (keys, keySet, at) => planEmergencyRotate({ keys, policy: keySet.policy, now: at }));
    },

    /**
     * Imports a PEM or JWK private key as the next key (or the active key of an empty key set),
     * keeping its kid when one is given or the JWK has one.
     */
    async importKey(
      context: RequestContext, tenantId: string, keySetId: string, privateKey: string | Record<string, unknown>, kid?: string,
    ): Promise<LifecycleResult> {
      const { keySet, keys } = await loadOwned(tenantId, keySetId);
      const pair = importPrivateKey(privateKey, keySet.alg);
      const fresh = await mint(keySet, 'imported', pair, importedKid(privateKey, kid));
      if (keys.some((key) => key.kid === fresh.kid)) {
        throw new SignetError('ERR_ALREADY_EXISTS', `key ${fresh.kid} is already in key set ${keySetId}`, { kid: fresh.kid });
      }
      return runLifecycle(context, tenantId, keySetId, 'import', (current, _ks, at) => planImport({ keys: current, now: at }), async () => fresh);
    },

    /** Changes a key set's rotation policy; contradictions of SPEC §3 are refused naming both values. */
    async updatePolicy(context: RequestContext, tenantId: string, keySetId: string, patch: Partial<RotationPolicy>): Promise<KeySet> {
      const result = await store.transaction(async (tx) => {
        const { keySet, keys } = await lockOwned(tx, tenantId, keySetId);
        const policy = resolvePolicy(patch, keySet.policy);
        const at = now();
        const updated: KeySet = { ...keySet, policy, updatedAt: at };
        await tx.updateKeySet(updated);
        for (const key of applyPolicyChange(keys, policy)) await tx.updateKey(key);
        await tx.appendAuditEvent({
          tenantId, at, actor: context.actor, action: 'keySet.policyUpdated', keySetId, kid: null, fromState: null, toState: null,
          operation: 'updatePolicy', sourceIp: context.sourceIp, requestId: context.requestId,
          details: { before: { ...keySet.policy }, after: { ...policy } },
        });
        return updated;
      });
      await registry.refreshKeySet(keySetId);
      return result;
    },

    /** Reads a key set of the tenant. */
    async getKeySet(tenantId: string, keySetId: string): Promise<KeySet> {
      return (await loadOwned(tenantId, keySetId)).keySet;
    },

    /** Lists the tenant's key sets, optionally of one owner. */
    listKeySets(tenantId: string, owner?: { ownerType: KeySetOwnerType; ownerId: string }): Promise<KeySet[]> {
      return store.read((reader) => reader.listKeySets({ tenantId, ...owner }));
    },

    /** Lists a key set's keys, optionally only in some states (all states by default). */
    async listKeys(tenantId: string, keySetId: string, states?: readonly KeyState[]): Promise<Key[]> {
      await loadOwned(tenantId, keySetId);
      return store.read((reader) => reader.listKeys(keySetId, states));
    },

    /** Reads one key of a key set. */
    async getKey(tenantId: string, keySetId: string, kid: string): Promise<Key> {
      await loadOwned(tenantId, keySetId);
      const key = await store.read((reader) => reader.getKey(keySetId, kid));
      if (!key) throw new SignetError('ERR_KEY_NOT_FOUND', `key ${kid} not found in key set ${keySetId}`, { kid, keySetId });
      return key;
    },

    /** The scheduled transitions of a key set, soonest first. */
    async getPlan(tenantId: string, keySetId: string): Promise<ScheduledTransition[]> {
      const { keySet, keys } = await loadOwned(tenantId, keySetId);
      return planSchedule(keys, keySet.policy);
    },

    /**
     * Carries out every transition of a key set that is due now, re-planned under the row lock so
     * that concurrent schedulers (or a repeated call) change nothing twice.
     */
    async runDueTransitions(context: RequestContext, keySetId: string): Promise<ScheduledTransition[]> {
      const view = registry.getKeySetView(keySetId);
      if (!view) return [];
      const expected = dueTransitions(view.plan, now());
      if (expected.length === 0) return [];
      const needsKey = expected.some((t) => t.action === 'rotate' || t.action === 'generateNext');
      const minted = needsKey ? await mint(view.keySet, 'generated') : null;
      const done = await store.transaction(async (tx) => {
        const keySet = await tx.lockKeySet(keySetId);
        if (!keySet) return [];
        let keys = await tx.listKeys(keySetId, PUBLISHED_STATES);
        const at = now();
        const carried: ScheduledTransition[] = [];
        for (const transition of dueTransitions(planSchedule(keys, keySet.policy), at)) {
          if (await applyScheduled(tx, context, keySet, keys, transition, minted, at, carried)) {
            carried.push(transition);
            keys = await tx.listKeys(keySetId, PUBLISHED_STATES);
          }
        }
        return carried;
      });
      if (done.length > 0) {
        await registry.refreshKeySet(keySetId);
        pool.warm(view.keySet.alg, view.keySet.rsaModulusLength);
      }
      return done;
    },
  };
  return service;

  async function applyScheduled(
    tx: StoreTx, context: RequestContext, keySet: KeySet, keys: Key[], transition: ScheduledTransition,
    minted: Key | null, at: number, carried: ScheduledTransition[],
  ): Promise<boolean> {
    const key = keys.find((candidate) => candidate.kid === transition.kid);
    const usesMinted = carried.some((t) => t.action === 'rotate' || t.action === 'generateNext');
    switch (transition.action) {
      case 'retire': {
        if (!key) return false;
        const retired = changeKeyState(key, 'retired', { retiredAt: at });
        await commitPlan(tx, context, keySet, { updates: [retired.key], changes: [retired.change], newKeyState: null }, null, 'schedule', at);
        return true;
      }
      case 'renewCertificate': {
        if (!key) return false;
        const certificate = await reissueCertificate({ key, sealer, now: at, certificateValiditySeconds: keySet.policy.certificateValiditySeconds });
        await tx.updateKey({ ...key, ...certificate });
        await tx.appendAuditEvent({
          tenantId: keySet.tenantId, at, actor: context.actor, action: 'key.certificateRenewed', keySetId: keySet.id, kid: key.kid,
          fromState: key.state, toState: key.state, operation: 'schedule', sourceIp: context.sourceIp, requestId: context.requestId,
          details: { certificateNotAfter: new Date(certificate.certificateNotAfter).toISOString() },
        });
        return true;
      }
      case 'rotate':
      case 'generateNext': {
        if (!minted || usesMinted) return false;
        const plan: LifecyclePlan = transition.action === 'rotate'
          ? planRotate({ keys, policy: keySet.policy, now: at, mode: 'safe' })
          : { updates: [], changes: [], newKeyState: 'next' };
        await commitPlan(tx, context, keySet, plan, minted, 'schedule', at);
        return true;
      }
    }
  }
}
