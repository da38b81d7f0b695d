import { importPrivateKey } from '../crypto/import-private-key.ts';
import { importedKid } from '../crypto/imported-kid.ts';
import { randomToken } from '../crypto/random-token.ts';
import { SignetError } from '../errors.ts';
import { applyPolicyChange } from '../domain/apply-policy-change.ts';
import { planEmergencyRotate } from '../domain/plan-emergency-rotate.ts';
import { planImport } from '../domain/plan-import.ts';
import { planRevoke } from '../domain/plan-revoke.ts';
import { planRotate, type RotateMode } from '../domain/plan-rotate.ts';
import { computeSchedule, type ScheduledTransition } from '../domain/compute-schedule.ts';
import {
  PUBLISHED_STATES,
  type Algorithm,
  type Custody,
  type Key,
  type KeySet,
  type KeySetOwnerType,
  type KeyState,
  type RequestContext,
  type RotationPolicy,
  type RsaModulusLength,
} from '../domain/types.ts';
import type { Sealer } from '../crypto/create-sealer.ts';
import type { StoreTx } from '../storage/store.ts';
import { createDueTransitionRunner } from './create-due-transition-runner.ts';
import { createKeyIntake } from './create-key-intake.ts';
import { createLifecycleWriter, type LifecycleResult, type LifecycleWriterDeps } from './create-lifecycle-writer.ts';
import type { ReadinessService } from './create-readiness-service.ts';
import { resolvePolicy } from './resolve-policy.ts';
import { auditEvent } from './audit-event.ts';
import { installCommittedKeySet } from './install-committed-key-set.ts';
import { sweepLeftTokenObjects } from './sweep-left-token-objects.ts';

export type KeyServiceDeps = LifecycleWriterDeps & {
  sealer: Sealer;
  /** The readiness gate (docs/spec.md §7, rollout safety); without it no rotation is gated. */
  readiness?: Pick<ReadinessService, 'gate' | 'assertGateOpen'>;
};

export interface CreateKeySetInput {
  ownerType: KeySetOwnerType;
  ownerId: string;
  alg: Algorithm;
  rsaModulusLength?: RsaModulusLength | null;
  policy?: Partial<RotationPolicy>;
  /** A PEM or JWK private key to start with as the active key (moving from another provider). */
  privateKey?: string | Record<string, unknown>;
  /** Where the key set's private keys live; the instance's default custody when absent. */
  custody?: Custody;
}

export type { LifecycleResult } from './create-lifecycle-writer.ts';

/** Key material minted for a new key set, ready to be written in a transaction. */
export interface PreparedKeySet {
  input: CreateKeySetInput;
  draft: Pick<KeySet, 'id' | 'alg' | 'rsaModulusLength' | 'policy' | 'custody'>;
  active: Key;
  next: Key;
}

export type KeyService = ReturnType<typeof createKeyService>;

/**
 * The key lifecycle use cases shared by every surface (native API, vendor dialects, CLI through
 * the API, scheduler). Each runs the pure domain planner under the key set's row lock and writes the
 * changes and their audit events in one transaction; key material is minted before it.
 */
export function createKeyService(deps: KeyServiceDeps) {
  const { store, registry, now } = deps;

  const writer = createLifecycleWriter(deps);
  const { mint, loadOwned, lockOwned, commitPlan, runLifecycle } = writer;
  const dueTransitionRunner = createDueTransitionRunner({ ...deps, writer });

  const service = {
    /** Mints the two keys of a new key set outside any transaction (RSA generation is slow). */
    async prepareKeySet(input: CreateKeySetInput): Promise<PreparedKeySet> {
      const policy = resolvePolicy(input.policy ?? {});
      const rsaModulusLength =
        input.alg.startsWith('RS') || input.alg.startsWith('PS') ? (input.rsaModulusLength ?? 2048) : null;
      const custody = input.custody ?? deps.custodies.defaultCustody;
      // Refused before any key is made: a custody that is off, or a token without the algorithm.
      deps.custodies.assertCanCreate(custody, input.alg);
      const draft = { id: randomToken('ks_', 12), alg: input.alg, rsaModulusLength, policy, custody };
      const imported = input.privateKey === undefined ? undefined : importPrivateKey(input.privateKey, input.alg);
      const kid = input.privateKey === undefined ? undefined : importedKid(input.privateKey, undefined);
      const [active, next] = await Promise.all([
        mint(draft, imported ? 'imported' : 'generated', imported, kid),
        mint(draft, 'generated'),
      ]);
      return { input, draft, active, next };
    },

    /** Writes a prepared key set (one active, one next key) in the caller's transaction. */
    async writeKeySet(
      tx: StoreTx,
      context: RequestContext,
      tenantId: string,
      prepared: PreparedKeySet,
    ): Promise<LifecycleResult> {
      const { input, draft } = prepared;
      const server =
        input.ownerType === 'authorizationServer'
          ? await tx.getAuthorizationServer(tenantId, input.ownerId)
          : undefined;
      if (input.ownerType === 'authorizationServer' && !server) {
        throw new SignetError('ERR_AUTH_SERVER_NOT_FOUND', `authorization server ${input.ownerId} not found`, {
          authorizationServerId: input.ownerId,
        });
      }
      const idp =
        input.ownerType === 'identityProvider' ? await tx.getIdentityProvider(tenantId, input.ownerId) : undefined;
      if (input.ownerType === 'identityProvider' && !idp) {
        throw new SignetError('ERR_IDENTITY_PROVIDER_NOT_FOUND', `identity provider ${input.ownerId} not found`, {
          identityProviderId: input.ownerId,
        });
      }
      const at = now();
      const keySet: KeySet = {
        ...draft,
        tenantId,
        ownerType: input.ownerType,
        ownerId: input.ownerId,
        jwksCacheHorizonAt: null,
        createdAt: at,
        updatedAt: at,
      };
      await tx.insertKeySet(keySet);
      // The first key set of a server signs its tokens; likewise an IdP's signs its requests.
      if (server && !server.signingKeySetId)
        await tx.updateAuthorizationServer({ ...server, signingKeySetId: keySet.id });
      if (idp && !idp.signingKeySetId) await tx.updateIdentityProvider({ ...idp, signingKeySetId: keySet.id });
      await tx.appendAuditEvent(
        auditEvent(context, tenantId, at, 'keySet.created', 'createKeySet', {
          keySetId: keySet.id,
          details: { alg: keySet.alg, custody: keySet.custody, policy: { ...keySet.policy } },
        }),
      );
      await commitPlan(
        tx,
        context,
        keySet,
        { updates: [], changes: [], newKeyState: 'active' },
        prepared.active,
        'createKeySet',
        at,
      );
      return commitPlan(
        tx,
        context,
        keySet,
        { updates: [], changes: [], newKeyState: 'next' },
        prepared.next,
        'createKeySet',
        at,
      );
    },

    /** Creates a key set with an active and a next key. */
    async createKeySet(context: RequestContext, tenantId: string, input: CreateKeySetInput): Promise<LifecycleResult> {
      const prepared = await service.prepareKeySet(input);
      const result = await store.transaction((tx) => service.writeKeySet(tx, context, tenantId, prepared));
      installCommittedKeySet(deps, result);
      if (input.ownerType === 'authorizationServer') await registry.refreshAuthorizationServer(tenantId, input.ownerId);
      return result;
    },

    /**
     * Rotates a key set; `safe` enforces publish-before-use and the readiness gate, `force` and
     * `vendor` rotate now. `within` writes what belongs to the same operation in the rotation's transaction.
     */
    async rotate(
      context: RequestContext,
      tenantId: string,
      keySetId: string,
      mode: RotateMode,
      within?: (tx: StoreTx, at: number) => Promise<void>,
    ): Promise<LifecycleResult> {
      if (mode === 'safe' && deps.readiness) {
        const { keySet } = await loadOwned(tenantId, keySetId);
        await deps.readiness.assertGateOpen(keySet);
      }
      return runLifecycle(
        context,
        tenantId,
        keySetId,
        'rotate',
        (keys, keySet, at) =>
          planRotate({ keys, policy: keySet.policy, now: at, mode, cacheHorizonAt: keySet.jwksCacheHorizonAt }),
        undefined,
        within,
      );
    },

    /** Revokes a draining or next key (a next key is replaced); the active key is refused. */
    revoke(context: RequestContext, tenantId: string, keySetId: string, kid: string): Promise<LifecycleResult> {
      return runLifecycle(context, tenantId, keySetId, 'revoke', (keys, _keySet, at) =>
        planRevoke({ keys, kid, now: at }),
      );
    },

    /** Rotates at once and revokes the old active key, for a compromised key. */
    emergencyRotate(context: RequestContext, tenantId: string, keySetId: string): Promise<LifecycleResult> {
      return runLifecycle(context, tenantId, keySetId, 'emergencyRotate', (keys, keySet, at) =>
        planEmergencyRotate({ keys, policy: keySet.policy, now: at }),
      );
    },

    /**
     * Imports a PEM or JWK private key as the next key (or the active key of an empty key set),
     * keeping its kid when one is given or the JWK has one.
     */
    async importKey(
      context: RequestContext,
      tenantId: string,
      keySetId: string,
      privateKey: string | Record<string, unknown>,
      kid?: string,
    ): Promise<LifecycleResult> {
      const { keySet, keys } = await loadOwned(tenantId, keySetId);
      const pair = importPrivateKey(privateKey, keySet.alg);
      const fresh = await mint(keySet, 'imported', pair, importedKid(privateKey, kid));
      if (keys.some((key) => key.kid === fresh.kid)) {
        throw new SignetError('ERR_ALREADY_EXISTS', `key ${fresh.kid} is already in key set ${keySetId}`, {
          kid: fresh.kid,
        });
      }
      return runLifecycle(
        context,
        tenantId,
        keySetId,
        'import',
        (current, _ks, at) => planImport({ keys: current, now: at }),
        async () => fresh,
      );
    },

    /** Changes a key set's rotation policy; contradictions of docs/spec.md §3 are refused naming both values. */
    async updatePolicy(
      context: RequestContext,
      tenantId: string,
      keySetId: string,
      patch: Partial<RotationPolicy>,
    ): Promise<KeySet> {
      const result = await store.transaction(async (tx) => {
        const { keySet, keys } = await lockOwned(tx, tenantId, keySetId);
        const policy = resolvePolicy(patch, keySet.policy);
        const at = now();
        // Copies served under the old, longer max-age stay cached until at + that max-age.
        const shortened = policy.jwksMaxAgeSeconds < keySet.policy.jwksMaxAgeSeconds;
        const jwksCacheHorizonAt = shortened
          ? Math.max(keySet.jwksCacheHorizonAt ?? -Infinity, at + keySet.policy.jwksMaxAgeSeconds * 1000)
          : keySet.jwksCacheHorizonAt;
        const updated: KeySet = {
          ...keySet,
          policy,
          jwksCacheHorizonAt,
          updatedAt: Math.max(at, keySet.updatedAt + 1),
        };
        await tx.updateKeySet(updated);
        const changed = new Map(applyPolicyChange(keys, policy, keySet.policy).map((key) => [key.kid, key]));
        for (const key of changed.values()) await tx.updateKey(key);
        await tx.appendAuditEvent(
          auditEvent(context, tenantId, at, 'keySet.policyUpdated', 'updatePolicy', {
            keySetId,
            details: {
              before: { ...keySet.policy },
              after: { ...policy },
            },
          }),
        );
        const published = keys
          .map((key) => changed.get(key.kid) ?? key)
          .filter((key) => PUBLISHED_STATES.includes(key.state));
        return { keySet: updated, keys: published };
      });
      // A new certificate validity is what the pool's next prepared certificates must carry.
      installCommittedKeySet(deps, result);
      return result.keySet;
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
      if (!key)
        throw new SignetError('ERR_KEY_NOT_FOUND', `key ${kid} not found in key set ${keySetId}`, { kid, keySetId });
      return key;
    },

    /** The scheduled transitions of a key set, soonest first. */
    async getSchedule(tenantId: string, keySetId: string): Promise<ScheduledTransition[]> {
      const { keySet, keys } = await loadOwned(tenantId, keySetId);
      return computeSchedule(keys, keySet.policy, keySet.jwksCacheHorizonAt);
    },

    /** Carries out what the schedule says is due now for a key set (see createDueTransitionRunner). */
    runDueTransitions: dueTransitionRunner.runDueTransitions,

    /** Destroys what retired and revoked keys left on the token (see sweepLeftTokenObjects). */
    sweepLeftTokenObjects: (context: RequestContext) => sweepLeftTokenObjects(deps, context),
  };
  return { ...service, ...createKeyIntake({ sealer: deps.sealer, writer, getKey: service.getKey }) };
}
