import type { InvariantBreak } from './check-invariants.ts';
import type { Prng } from './create-prng.ts';
import type { Ledger } from './create-ledger.ts';
import { settledInvariants } from './settled-invariants.ts';
import type { SoakTarget } from './start-soak-target.ts';

/** Figures of the kill -9 storms on one database. */
export interface KillStormResult {
  database: 'sqlite' | 'postgres';
  cycles: number;
  rotationsSent: number;
  /** Rotations answered 2xx before the kill: each must be in the database after the restart. */
  acknowledged: number;
  acknowledgedMissing: number;
  /** Requests the kill cut off (no answer) or that were refused (4xx/5xx) meanwhile. */
  cutOff: number;
  refused: number;
  invariantBreaks: InvariantBreak[];
  examples: string[];
}

export interface KillStormOptions {
  cycles: number;
  concurrency: number;
  /** Longest wait after the cycle's first acknowledged rotation before the kill, in ms; each cycle draws a delay up to it. */
  maxKillDelayMs: number;
}

/**
 * On `serverId` (a key set whose keys are quick to generate), runs forced rotations from
 * `concurrency` loops through the native API and Okta's keyRotate, kills the process with SIGKILL
 * after a random delay, restarts it, and checks the invariants and that the key every acknowledged
 * rotation reported active was activated in the database (its audit chain reaches `active`).
 */
export async function runKillStorm(
  target: SoakTarget,
  serverId: string,
  keySetId: string,
  authorization: string,
  prng: Prng,
  ledger: Ledger,
  options: KillStormOptions,
): Promise<KillStormResult> {
  const result: KillStormResult = {
    database: target.databaseUrl ? 'postgres' : 'sqlite',
    cycles: 0,
    rotationsSent: 0,
    acknowledged: 0,
    acknowledgedMissing: 0,
    cutOff: 0,
    refused: 0,
    invariantBreaks: [],
    examples: [],
  };
  const acknowledgedKids = new Set<string>();
  for (let cycle = 0; cycle < options.cycles; cycle += 1) {
    let killed = false;
    let firstAck: () => void = () => undefined;
    const acknowledgedOnce = new Promise<void>((resolve) => {
      firstAck = resolve;
    });
    const loops = Array.from({ length: options.concurrency }, async (_, loop) => {
      for (let n = 0; !killed; n += 1) {
        const okta = (loop + n) % 3 === 0;
        const url = okta
          ? `${target.url}/api/v1/authorizationServers/${serverId}/credentials/lifecycle/keyRotate`
          : `${target.url}/signet/v1/key-sets/${keySetId}/rotate`;
        result.rotationsSent += 1;
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { authorization, 'content-type': 'application/json' },
            body: okta ? '{"use":"sig"}' : '{"force":true}',
            signal: AbortSignal.timeout(30_000),
          });
          const text = await response.text();
          ledger.record(response.status, Object.fromEntries(response.headers), text);
          if (response.status >= 300) {
            result.refused += 1;
            continue;
          }
          const body = JSON.parse(text) as { keys?: unknown[] } | unknown[];
          const keys = (Array.isArray(body) ? body : (body.keys ?? [])) as {
            kid: string;
            state?: string;
            status?: string;
          }[];
          const active = keys.find((key) => key.state === 'active' || key.status === 'ACTIVE');
          result.acknowledged += 1;
          if (active) acknowledgedKids.add(active.kid);
          firstAck();
        } catch {
          result.cutOff += 1;
        }
      }
    });
    // The kill comes a random while after the first acknowledged rotation of the cycle (on a loaded
    // machine the first one can take seconds), so every cycle has something to lose.
    await Promise.race([acknowledgedOnce, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    await new Promise((resolve) => setTimeout(resolve, prng.int(options.maxKillDelayMs)));
    killed = true;
    await target.kill9();
    await Promise.all(loops);
    await target.restart();
    result.cycles += 1;
    const { breaks, facts } = await settledInvariants(target);
    result.invariantBreaks.push(...breaks.slice(0, 20));
    const activated = new Set(
      facts.keyEvents.filter((event) => event.keySetId === keySetId && event.toState === 'active').map((e) => e.kid),
    );
    for (const kid of acknowledgedKids) {
      if (!activated.has(kid)) {
        result.acknowledgedMissing += 1;
        result.examples.push(`cycle ${cycle}: rotation to ${kid} was acknowledged but is not in the database`);
      }
    }
    acknowledgedKids.clear();
  }
  return result;
}
