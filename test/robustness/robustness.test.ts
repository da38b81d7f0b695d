import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSoak, SOAK_PROFILES } from './lib/run-soak.ts';

// The robustness suite at the size `npm test` affords (`npm run soak` runs it at full size and
// writes bench/SOAK.md). A fixed seed, so a failure replays: SIGNET_SOAK_SEED=N picks another.
const seed = Number(process.env.SIGNET_SOAK_SEED ?? 20_261_202);

test(`robustness suite (seed ${seed}): no 5xx, leak, crash, invariant break or unauthorised success`, {
  timeout: 600_000,
}, async (t) => {
  const result = await runSoak(SOAK_PROFILES.quick, seed, (line) => t.diagnostic(line));
  const { fuzz, matrix } = result;
  const examples = fuzz.examples.join('\n');
  assert.ok(result.openApi.operations > 0);
  assert.deepEqual(result.openApi.notFuzzed, [], 'every OpenAPI operation is in the fuzzed route table');
  assert.ok(fuzz.requests >= SOAK_PROFILES.quick.fuzz.requests / 2, `the fuzzer sent ${fuzz.requests} requests`);
  assert.deepEqual(
    fuzz.findings,
    { '5xx': 0, 'stack-trace': 0, 'internal-path': 0, 'non-json': 0, 'no-answer': 0 },
    examples,
  );
  assert.equal(fuzz.crashes, 0, examples);
  assert.deepEqual(fuzz.invariantBreaks, []);

  assert.equal(matrix.unauthorisedSuccesses, 0, matrix.examples.join('\n'));
  assert.ok(matrix.controlSuccesses.adminToken > 0, 'the controls succeed somewhere');
  assert.equal(
    matrix.controlSuccesses.resignedJwt,
    matrix.controlSuccesses.adminToken,
    'a re-signed real token works like the admin token',
  );

  assert.equal(result.storms.length, 2);
  for (const storm of result.storms) {
    assert.ok(storm.acknowledged > 0, `${storm.database}: some rotations were acknowledged before the kill`);
    assert.equal(storm.acknowledgedMissing, 0, storm.examples.join('\n'));
    assert.deepEqual(storm.invariantBreaks, [], storm.database);
  }
  for (const scan of result.scans) {
    assert.ok(
      scan.privateMembersChecked > 0 && scan.secretsChecked > 0,
      `${scan.database}: the scan had something to look for`,
    );
    assert.deepEqual(
      { privateKeyLeaks: scan.privateKeyLeaks, pemHeaderLeaks: scan.pemHeaderLeaks, secretLeaks: scan.secretLeaks },
      { privateKeyLeaks: 0, pemHeaderLeaks: 0, secretLeaks: 0 },
      scan.examples.join('\n'),
    );
  }
});
