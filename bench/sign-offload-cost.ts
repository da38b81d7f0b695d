// How the RS256 signature of a token is best taken off the event loop, measured as the design
// notes quote it (docs/design-notes.md, Hot path): `node bench/sign-offload-cost.ts [seconds] [alg]`.
// Each way signs with 10 signatures in flight, in short turns so machine drift hits all alike, and
// reports CPU time per signature (every thread of this process: what the offload costs on top of
// the signature) and signatures/s (what it frees: only meaningful on a quiet machine).
import { createJwtSigner } from '../src/crypto/create-jwt-signer.ts';
import { generateKeyPair } from '../src/crypto/generate-key-pair.ts';
import type { Algorithm } from '../src/domain/types.ts';
import { createWorkerSigner } from './lib/worker-signer.ts';

const seconds = Number(process.argv[2] ?? 6);
const alg = (process.argv[3] ?? 'RS256') as Algorithm;
const IN_FLIGHT = 10;
const TURN_MS = 250;
const { privateKey } = await generateKeyPair(alg);
const payload = {
  iss: 'http://127.0.0.1',
  sub: 'c',
  aud: 'api://default',
  exp: 2e9,
  iat: 1.9e9,
  jti: 'x',
  client_id: 'c',
};

const inline = createJwtSigner({ alg, kid: 'k', privateKey, offload: false });
const pool = createJwtSigner({ alg, kid: 'k', privateKey, offload: true });
const workers = alg === 'RS256' ? createWorkerSigner(privateKey, 2) : null;
const ways: Record<string, () => Promise<unknown>> = {
  'inline crypto.sign': () => inline(payload),
  "libuv's thread pool (crypto.sign callback)": () => pool(payload),
  ...(workers ? { '2 worker threads (postMessage)': () => workers.sign(Buffer.from(JSON.stringify(payload))) } : {}),
};

/** Keeps IN_FLIGHT signatures going for `ms`; returns how many finished and the CPU they took. */
async function turn(
  run: () => Promise<unknown>,
  ms: number,
): Promise<{ count: number; cpuUs: number; wallMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let count = 0;
  const lane = async () => {
    while (performance.now() - started < ms) {
      await run();
      count += 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const used = process.cpuUsage(cpu);
  return { count, cpuUs: used.user + used.system, wallMs: performance.now() - started };
}

const totals = new Map(Object.keys(ways).map((name) => [name, { count: 0, cpuUs: 0, wallMs: 0 }]));
for (const run of Object.values(ways)) await turn(run, 200);
for (let elapsed = 0; elapsed < seconds * 1000; elapsed += TURN_MS * Object.keys(ways).length) {
  for (const [name, run] of Object.entries(ways)) {
    const result = await turn(run, TURN_MS);
    const total = totals.get(name)!;
    total.count += result.count;
    total.cpuUs += result.cpuUs;
    total.wallMs += result.wallMs;
  }
}
for (const [name, total] of totals) {
  process.stdout.write(
    `${alg} ${name}: ${(total.cpuUs / total.count).toFixed(1)} µs CPU per signature, ${Math.round((total.count * 1000) / total.wallMs)} signatures/s\n`,
  );
}
await workers?.close();
