import type { Logger } from 'pino';
import { DEFAULT_SERVER_OPTIONS } from '../config/defaults.ts';
import { dueTransitions, expiringExternalCertificates } from '../domain/compute-schedule.ts';
import type { RequestContext } from '../domain/types.ts';
import type { KeySetView } from '../runtime/build-key-set-view.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { KeyService } from '../services/create-key-service.ts';
import type { CertificateExpiryReporter } from '../services/create-certificate-expiry-reporter.ts';

const SCHEDULER_CONTEXT: RequestContext = {
  actor: { type: 'scheduler', id: 'scheduler', tenantId: null },
  requestId: null,
  sourceIp: null,
  surface: 'scheduler',
};

/**
 * The embedded scheduler: wakes at the soonest scheduled transition (at most every `intervalMs`),
 * and asks the key service to carry out what the key set's schedule says is due, computed once per
 * pass and key set. The key service re-plans under the key set's lock, so a late or duplicate tick
 * changes nothing twice. A CA-issued certificate it does not renew gets one warning when it comes
 * within the renew window.
 */
export function createScheduler(deps: {
  registry: Registry;
  keys: KeyService;
  /** Records a CA certificate's expiry notice (audit and webhook event); only the log line without it. */
  certificateExpiry?: CertificateExpiryReporter;
  now: () => number;
  intervalMs: number;
  logger?: Logger;
  /** The pure rule that picks what is due (the domain's; a test may count its calls). */
  dueTransitions?: typeof dueTransitions;
  /**
   * How often the loop sweeps the token for objects of retired and revoked keys whose destruction
   * failed while it was away (`SIGNET_PKCS11_SWEEP_INTERVAL_SECONDS`): at start, then at this
   * interval; a sweep that failed (the token still away) is retried after `intervalMs`.
   */
  sweepIntervalMs?: number;
}) {
  const findDue = deps.dueTransitions ?? dueTransitions;
  const sweepIntervalMs = deps.sweepIntervalMs ?? DEFAULT_SERVER_OPTIONS.pkcs11SweepIntervalSeconds * 1000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  /** `keySetId/kid/notAfter` of each CA certificate already warned about by this process. */
  const warned = new Set<string>();
  let sweepTimer: NodeJS.Timeout | null = null;
  let sweeping: Promise<boolean> | null = null;

  /** One sweep of the token; false when it failed (logged) and should be retried soon. */
  async function sweep(): Promise<boolean> {
    try {
      const destroyed = await deps.keys.sweepLeftTokenObjects(SCHEDULER_CONTEXT);
      for (const key of destroyed) {
        deps.logger?.info({ keySetId: key.keySetId, kid: key.kid }, 'destroyed a left key on the token');
      }
      return true;
    } catch (error) {
      deps.logger?.warn({ err: error }, 'sweeping the token for left keys failed; will retry');
      return false;
    }
  }

  function scheduleSweep(delay: number): void {
    if (stopped) return;
    sweepTimer = setTimeout(() => {
      sweeping = sweep();
      void sweeping.then((done) => {
        sweeping = null;
        scheduleSweep(done ? sweepIntervalMs : deps.intervalMs);
      });
    }, delay);
    sweepTimer.unref();
  }

  async function warnExpiringExternalCertificates(view: KeySetView, now: number): Promise<void> {
    for (const expiry of expiringExternalCertificates(view.schedule, view.keySet.policy, now)) {
      const seen = `${view.keySet.id}/${expiry.kid}/${expiry.at}`;
      if (warned.has(seen)) continue;
      if (deps.certificateExpiry && expiry.kid !== null) {
        try {
          await deps.certificateExpiry.reportExpiringCertificate(SCHEDULER_CONTEXT, view.keySet, expiry.kid, expiry.at);
        } catch (error) {
          // Not marked as warned: the next pass records it once the database answers again.
          deps.logger?.warn({ err: error, keySetId: view.keySet.id }, 'could not record a certificate expiry notice');
          continue;
        }
      }
      warned.add(seen);
      deps.logger?.warn(
        {
          keySetId: view.keySet.id,
          tenantId: view.keySet.tenantId,
          kid: expiry.kid,
          certificateNotAfter: new Date(expiry.at).toISOString(),
        },
        'a CA-issued certificate expires soon and Signet does not renew it: publish a new key with a fresh certificate',
      );
    }
  }

  async function tick(): Promise<void> {
    const now = deps.now();
    for (const view of deps.registry.listKeySetViews()) {
      await warnExpiringExternalCertificates(view, now);
      // nextChangeAt was computed with the view: a key set with nothing due costs no planning.
      if (view.nextChangeAt === null || view.nextChangeAt > now) continue;
      const due = findDue(view.schedule, now);
      if (due.length === 0) continue;
      try {
        const done = await deps.keys.runDueTransitions(SCHEDULER_CONTEXT, view.keySet.id, due);
        for (const transition of done) {
          deps.logger?.info(
            {
              keySetId: view.keySet.id,
              tenantId: view.keySet.tenantId,
              action: transition.action,
              kid: transition.kid,
            },
            'scheduled transition',
          );
        }
      } catch (error) {
        deps.logger?.error({ err: error, keySetId: view.keySet.id }, 'scheduled transition failed; will retry');
      }
    }
  }

  function schedule(afterTick: boolean): void {
    if (stopped) return;
    const soonest = Math.min(...deps.registry.listKeySetViews().map((view) => view.nextChangeAt ?? Infinity));
    const untilDue = soonest - deps.now();
    // Still due right after a pass means the pass failed: retry after an interval, never spin.
    const delay = untilDue <= 0 && afterTick ? deps.intervalMs : Math.max(0, Math.min(deps.intervalMs, untilDue));
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = null;
        schedule(true);
      });
    }, delay);
    timer.unref();
  }

  return {
    /** Starts the loop. */
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule(false);
      scheduleSweep(0);
    },
    /** Runs one pass now (tests and the CLI use it). */
    runOnce: tick,
    /** Sweeps the token once now; false when it failed (the token is away). */
    sweepOnce: sweep,
    /** Stops the loop and waits for a pass in progress. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (sweepTimer) clearTimeout(sweepTimer);
      await running;
      await sweeping;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
