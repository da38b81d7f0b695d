import { reissueCertificate } from '../crypto/reissue-certificate.ts';
import { changeKeyState, type LifecyclePlan } from '../domain/key-change.ts';
import { planRotate } from '../domain/plan-rotate.ts';
import { rotationOverdueMs } from '../domain/rotation-overdue.ts';
import { computeSchedule, dueTransitions, type ScheduledTransition } from '../domain/compute-schedule.ts';
import { PUBLISHED_STATES, type Key, type KeySet, type RequestContext } from '../domain/types.ts';
import type { StoreTx } from '../storage/store.ts';
import { auditEvent } from './audit-event.ts';
import type { LifecycleWriter, LifecycleWriterDeps } from './create-lifecycle-writer.ts';
import { destroyLeftKeys } from './destroy-left-keys.ts';
import { installCommittedKeySet } from './install-committed-key-set.ts';

/** A key set and its published keys as a transaction has left them so far. */
type Committed = { keySet: KeySet; keys: Key[] };

/**
 * The scheduler's use case: carries out the transitions the key set's schedule says are due (rotate,
 * retire, renew a certificate Signet issued, publish a missing next key).
 */
export function createDueTransitionRunner(deps: LifecycleWriterDeps & { writer: LifecycleWriter }) {
  const { store, registry, custodies, now, writer } = deps;
  const { mint, commitPlan, touchKeySet, discardUnused } = writer;

  return {
    /**
     * Carries out every transition of a key set that is due now, re-planned under the row lock so
     * that concurrent schedulers (or a repeated call) change nothing twice. `due` is what the
     * caller found due in the registry's schedule (the scheduler computes it once per pass);
     * without it the runner computes it.
     */
    async runDueTransitions(
      context: RequestContext,
      keySetId: string,
      due?: readonly ScheduledTransition[],
    ): Promise<ScheduledTransition[]> {
      const view = registry.getKeySetView(keySetId);
      if (!view) return [];
      const expected = due ?? dueTransitions(view.schedule, now());
      if (expected.length === 0) return [];
      const needsKey = expected.some((t) => t.action === 'rotate' || t.action === 'generateNext');
      const minted = needsKey ? await mint(view.keySet, 'generated') : null;
      // Keys retired by this pass: their token objects are destroyed once it committed.
      const left: Key[] = [];
      const outcome = await store
        .transaction(async (tx) => {
          const locked = await tx.lockKeySet(keySetId);
          if (!locked) return null;
          let state: Committed = { keySet: locked, keys: await tx.listKeys(keySetId, PUBLISHED_STATES) };
          const at = now();
          const carried: ScheduledTransition[] = [];
          const schedule = computeSchedule(state.keys, locked.policy, locked.jwksCacheHorizonAt);
          for (const transition of dueTransitions(schedule, at)) {
            const after = await applyScheduled(tx, context, state, transition, minted, at, carried, left);
            if (after) {
              carried.push(transition);
              state = after;
            }
          }
          return { carried, state };
        })
        .catch(async (error: unknown) => {
          await discardUnused(view.keySet, minted);
          throw error;
        });
      // A key minted for a rotation another instance already carried out never reaches the token's users.
      if (!outcome?.carried.some((t) => t.action === 'rotate' || t.action === 'generateNext'))
        await discardUnused(view.keySet, minted);
      if (!outcome || outcome.carried.length === 0) return [];
      installCommittedKeySet(deps, outcome.state);
      await destroyLeftKeys(deps, context, outcome.state.keySet, left);
      return outcome.carried;
    },
  };

  async function applyScheduled(
    tx: StoreTx,
    context: RequestContext,
    { keySet, keys }: Committed,
    transition: ScheduledTransition,
    minted: Key | null,
    at: number,
    carried: ScheduledTransition[],
    left: Key[],
  ): Promise<Committed | null> {
    const key = keys.find((candidate) => candidate.kid === transition.kid);
    const usesMinted = carried.some((t) => t.action === 'rotate' || t.action === 'generateNext');
    switch (transition.action) {
      case 'retire': {
        if (!key) return null;
        const retired = changeKeyState(key, 'retired', { retiredAt: at });
        left.push(retired.key);
        return commitPlan(
          tx,
          context,
          keySet,
          { updates: [retired.key], changes: [retired.change], newKeyState: null },
          null,
          'schedule',
          at,
        );
      }
      case 'renewCertificate': {
        // The schedule renews only Signet's own certificates; a CA's is never replaced by a self-signed one.
        if (key?.certificateIssuer !== 'signet') return null;
        const certificate = await reissueCertificate({
          key,
          custody: custodies.get(keySet.custody),
          now: at,
          certificateValiditySeconds: keySet.policy.certificateValiditySeconds,
        });
        const touched = await touchKeySet(tx, keySet, at);
        const renewed: Key = { ...key, ...certificate };
        await tx.updateKey(renewed);
        await tx.appendAuditEvent(
          auditEvent(context, keySet.tenantId, at, 'key.certificateRenewed', 'schedule', {
            keySetId: keySet.id,
            kid: key.kid,
            fromState: key.state,
            toState: key.state,
            details: { certificateNotAfter: new Date(certificate.certificateNotAfter).toISOString() },
          }),
        );
        return { keySet: touched, keys: keys.map((other) => (other.kid === key.kid ? renewed : other)) };
      }
      case 'certificateExpires':
        // Informational: dueTransitions never yields it, and Signet never replaces a CA's certificate.
        return null;
      case 'rotate':
      case 'generateNext': {
        if (!minted || usesMinted) return null;
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
        const committed = await commitPlan(tx, context, keySet, plan, minted, 'schedule', at);
        const late = transition.action === 'rotate' && committed ? rotationOverdueMs(transition.at, at) : null;
        if (late !== null) {
          // Reported with the rotation it is about, in its transaction: the lag is known only once it ran.
          await tx.appendAuditEvent(
            auditEvent(context, keySet.tenantId, at, 'keySet.rotationOverdue', 'schedule', {
              keySetId: keySet.id,
              kid: transition.kid,
              details: { dueAt: new Date(transition.at).toISOString(), overdueSeconds: Math.round(late / 1000) },
            }),
          );
        }
        return committed;
      }
    }
  }
}
