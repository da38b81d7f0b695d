import { reissueCertificate } from '../crypto/reissue-certificate.ts';
import { changeKeyState, type LifecyclePlan } from '../domain/key-change.ts';
import { planRotate } from '../domain/plan-rotate.ts';
import { dueTransitions, planSchedule, type ScheduledTransition } from '../domain/plan-schedule.ts';
import { PUBLISHED_STATES, type Key, type KeySet, type RequestContext } from '../domain/types.ts';
import type { StoreTx } from '../storage/store.ts';
import type { LifecycleWriter, LifecycleWriterDeps } from './create-lifecycle-writer.ts';
import { destroyLeftKeys } from './destroy-left-keys.ts';

/**
 * The scheduler's use case: carries out the transitions the pure plan says are due (rotate,
 * retire, renew a certificate Signet issued, publish a missing next key).
 */
export function createDueTransitionRunner(deps: LifecycleWriterDeps & { writer: LifecycleWriter }) {
  const { store, registry, pool, custodies, now, writer } = deps;
  const { mint, commitPlan, touchKeySet, discardUnused } = writer;

  return {
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
      // Keys retired by this pass: their token objects are destroyed once it committed.
      const left: Key[] = [];
      const done = await store
        .transaction(async (tx) => {
          const keySet = await tx.lockKeySet(keySetId);
          if (!keySet) return [];
          let keys = await tx.listKeys(keySetId, PUBLISHED_STATES);
          const at = now();
          const carried: ScheduledTransition[] = [];
          for (const transition of dueTransitions(planSchedule(keys, keySet.policy, keySet.jwksCacheHorizonAt), at)) {
            if (await applyScheduled(tx, context, keySet, keys, transition, minted, at, carried, left)) {
              carried.push(transition);
              keys = await tx.listKeys(keySetId, PUBLISHED_STATES);
            }
          }
          return carried;
        })
        .catch(async (error: unknown) => {
          await discardUnused(view.keySet, minted);
          throw error;
        });
      if (!done.some((t) => t.action === 'rotate' || t.action === 'generateNext'))
        await discardUnused(view.keySet, minted);
      if (done.length > 0) {
        await registry.refreshKeySet(keySetId);
        await destroyLeftKeys(deps, context, view.keySet, left);
        pool.warm(view.keySet.alg, view.keySet.rsaModulusLength);
      }
      return done;
    },
  };

  async function applyScheduled(
    tx: StoreTx,
    context: RequestContext,
    keySet: KeySet,
    keys: Key[],
    transition: ScheduledTransition,
    minted: Key | null,
    at: number,
    carried: ScheduledTransition[],
    left: Key[],
  ): Promise<boolean> {
    const key = keys.find((candidate) => candidate.kid === transition.kid);
    const usesMinted = carried.some((t) => t.action === 'rotate' || t.action === 'generateNext');
    switch (transition.action) {
      case 'retire': {
        if (!key) return false;
        const retired = changeKeyState(key, 'retired', { retiredAt: at });
        left.push(retired.key);
        await commitPlan(
          tx,
          context,
          keySet,
          { updates: [retired.key], changes: [retired.change], newKeyState: null },
          null,
          'schedule',
          at,
        );
        return true;
      }
      case 'renewCertificate': {
        // The plan renews only Signet's own certificates; a CA's is never replaced by a self-signed one.
        if (key?.certificateIssuer !== 'signet') return false;
        const certificate = await reissueCertificate({
          key,
          custody: custodies.get(keySet.custody),
          now: at,
          certificateValiditySeconds: keySet.policy.certificateValiditySeconds,
        });
        await touchKeySet(tx, keySet, at);
        await tx.updateKey({ ...key, ...certificate });
        await tx.appendAuditEvent({
          tenantId: keySet.tenantId,
          at,
          actor: context.actor,
          action: 'key.certificateRenewed',
          keySetId: keySet.id,
          kid: key.kid,
          fromState: key.state,
          toState: key.state,
          operation: 'schedule',
          sourceIp: context.sourceIp,
          requestId: context.requestId,
          details: { certificateNotAfter: new Date(certificate.certificateNotAfter).toISOString() },
        });
        return true;
      }
      case 'certificateExpires':
        // Informational: dueTransitions never yields it, and Signet never replaces a CA's certificate.
        return false;
      case 'rotate':
      case 'generateNext': {
        if (!minted || usesMinted) return false;
        const plan: LifecyclePlan =
          transition.action === 'rotate'
            ? planRotate({
                keys,
                policy: keySet.policy,
                now: at,
                mode: 'safe',
                cacheHorizonAt: keySet.jwksCacheHorizonAt,
              })
            : { updates: [], changes: [], newKeyState: 'next' };
        await commitPlan(tx, context, keySet, plan, minted, 'schedule', at);
        return true;
      }
    }
  }
}
