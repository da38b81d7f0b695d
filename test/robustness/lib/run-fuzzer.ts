import { buildFuzzCase, buildWrongTypeCases, FUZZ_KINDS, type FuzzKind, type FuzzTargets } from './build-fuzz-case.ts';
import type { InvariantBreak } from './check-invariants.ts';
import type { Prng } from './create-prng.ts';
import type { Ledger } from './create-ledger.ts';
import { isParserAnswer, judgeAnswer, type Finding } from './judge-answer.ts';
import type { RouteEntry } from './list-routes.ts';
import { sendRaw } from './send-raw.ts';
import { settledInvariants } from './settled-invariants.ts';
import type { SoakTarget } from './start-soak-target.ts';

/** The fuzzer's figures. */
export interface FuzzResult {
  requests: number;
  batches: number;
  routes: number;
  /** Fields of native body schemas each sent once with a wrong type (before the random draw). */
  wrongTypeFields: number;
  byKind: Record<FuzzKind, number>;
  /** Answers by status class (2xx, 4xx, ...), and those Node's HTTP parser gave before any route ran. */
  byStatus: Record<string, number>;
  parserAnswers: number;
  findings: Record<Finding, number>;
  crashes: number;
  invariantBreaks: InvariantBreak[];
  /** The first few offending requests of each finding, to reproduce by hand. */
  examples: string[];
  durationMs: number;
}

export interface FuzzOptions {
  requests: number;
  batchSize: number;
  concurrency: number;
  /** Stop starting batches after this long (the request count is then not reached). */
  maxDurationMs: number;
}

/**
 * Sends `requests` hostile requests, spread evenly over every route and kind of attack, in
 * batches; after each batch checks that the process still runs (a crash is counted and the
 * process restarted) and that the invariants hold.
 */
export async function runFuzzer(
  target: SoakTarget,
  routes: readonly RouteEntry[],
  targets: FuzzTargets,
  prng: Prng,
  ledger: Ledger,
  options: FuzzOptions,
): Promise<FuzzResult> {
  const started = Date.now();
  const result: FuzzResult = {
    requests: 0,
    batches: 0,
    routes: routes.length,
    wrongTypeFields: 0,
    byKind: Object.fromEntries(FUZZ_KINDS.map((kind) => [kind, 0])) as Record<FuzzKind, number>,
    byStatus: {},
    parserAnswers: 0,
    findings: { '5xx': 0, 'stack-trace': 0, 'internal-path': 0, 'non-json': 0, 'no-answer': 0 },
    crashes: 0,
    invariantBreaks: [],
    examples: [],
    durationMs: 0,
  };
  const perFinding = new Map<Finding, number>();
  let sequence = 0;
  // Every field of every body schema gets its wrong type first; then the random draw.
  let systematic = buildWrongTypeCases(prng, targets);
  result.wrongTypeFields = systematic.length;
  while (result.requests < options.requests && Date.now() - started < options.maxDurationMs) {
    const size = Math.min(options.batchSize, options.requests - result.requests);
    const first = systematic.slice(0, size);
    systematic = systematic.slice(size);
    // Round-robin over routes x kinds, so every route meets every kind of attack.
    const drawn = Array.from({ length: size - first.length }, () => {
      const n = sequence++;
      const route = routes[n % routes.length]!;
      const kind = FUZZ_KINDS[Math.floor(n / routes.length) % FUZZ_KINDS.length]!;
      return buildFuzzCase(prng, route, targets, kind);
    });
    const cases = [...first, ...drawn];
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < cases.length) {
          const fuzzCase = cases[next++]!;
          const answer = await sendRaw(target.port, fuzzCase.request);
          result.requests += 1;
          result.byKind[fuzzCase.kind] += 1;
          const statusClass = answer.error ? answer.error : `${Math.floor(answer.status / 100)}xx`;
          result.byStatus[statusClass] = (result.byStatus[statusClass] ?? 0) + 1;
          if (isParserAnswer(answer)) result.parserAnswers += 1;
          ledger.record(answer.status, answer.headers, answer.body.toString('utf8'));
          for (const finding of judgeAnswer(answer, fuzzCase.expectsJson, fuzzCase.request.method)) {
            result.findings[finding] += 1;
            const seen = perFinding.get(finding) ?? 0;
            perFinding.set(finding, seen + 1);
            if (seen < 3) {
              const path = fuzzCase.request.target.toString().slice(0, 160);
              result.examples.push(
                `${finding}: ${fuzzCase.kind} ${fuzzCase.request.method} ${path} -> ${answer.status} ${answer.body.toString('utf8').slice(0, 200)}`,
              );
            }
          }
        }
      }),
    );
    result.batches += 1;
    if (!target.alive()) {
      result.crashes += 1;
      result.examples.push(`crash after batch ${result.batches}: ${target.logs().slice(-2_000)}`);
      await target.restart();
    }
    const { breaks } = await settledInvariants(target);
    for (const broken of breaks) {
      if (result.invariantBreaks.length < 50) result.invariantBreaks.push(broken);
    }
  }
  result.durationMs = Date.now() - started;
  return result;
}
