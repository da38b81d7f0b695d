import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const WORKLOADS = [
  'jwks-200',
  'jwks-304',
  'tokens-RS256',
  'tokens-ES256',
  'tokens-EdDSA',
  'sign-RS256',
  'sign-ES256',
  'rotate',
  'tenants',
  'workers',
  'propagation',
  'custody-pkcs11',
];

interface Spread {
  median: number | null;
  min: number | null;
  max: number | null;
}
interface Ratio extends Spread {
  name: string;
  target: { op: string; value: number } | null;
  met: boolean | null;
}
interface Workload {
  id: string;
  title: string;
  status: string;
  reason?: string;
  figures: Array<Spread & { subject: string; metric: string }>;
  ratios: Ratio[];
}

const digest = (path: string): string | null =>
  existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null;

// A smoke test of `npm run bench -- --quick` on a tiny budget: it checks that the harness runs every
// workload and writes well-formed results, never how fast anything was.
describe('npm run bench -- --quick', () => {
  const out = mkdtempSync(join(tmpdir(), 'signet-bench-smoke-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  test('runs every workload on a tiny budget and writes results.json, RESULTS.md and the chart, leaving the committed results alone', {
    // About 90 s on a quiet 2-core machine (more with the custody workload's own Signet); loaded
    // machines have needed over 190 s.
    timeout: 300_000,
  }, async () => {
    const committed = ['results.json', 'RESULTS.md', 'results.svg'].map((name) => digest(join(ROOT, 'bench', name)));
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bench', 'run-bench.ts'),
        '--quick',
        '--out',
        out,
        '--runs',
        '1',
        '--duration',
        '0.5',
        '--warmup',
        '0',
        '--tenants',
        '1,3',
        '--rotations',
        '2',
        '--rotation-spacing-ms',
        '300',
        '--rotation-rsa-bits',
        '2048',
        '--propagation-changes',
        '2',
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, stderr);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      mode: string;
      machine: Record<string, unknown>;
      workloads: Workload[];
    };
    assert.equal(results.mode, 'quick');
    for (const fact of ['cpuModel', 'cores', 'memoryGiB', 'node', 'signetDependencies', 'peers'])
      assert.ok(results.machine[fact], fact);
    assert.deepEqual(
      results.workloads.map((w) => w.id),
      WORKLOADS,
    );
    for (const workload of results.workloads) {
      assert.ok(
        workload.ratios.some((r) => r.target),
        `${workload.id} has a targeted ratio`,
      );
      if (workload.status === 'not measured') {
        assert.match(workload.reason ?? '', /.+/, `${workload.id} says why it was not measured`);
        continue;
      }
      assert.equal(workload.status, 'measured');
      assert.ok(workload.figures.length > 0, workload.id);
      for (const item of [...workload.figures, ...workload.ratios]) {
        for (const value of [item.median, item.min, item.max])
          assert.ok(Number.isFinite(value), `${workload.id}: ${JSON.stringify(item)}`);
        assert.ok(item.min! <= item.median! && item.median! <= item.max!, `${workload.id}: ${JSON.stringify(item)}`);
      }
      for (const ratio of workload.ratios)
        assert.equal(typeof ratio.met, ratio.target ? 'boolean' : 'object', `${workload.id}: ${ratio.name}`);
    }

    const markdown = readFileSync(join(out, 'RESULTS.md'), 'utf8');
    for (const workload of results.workloads) assert.ok(markdown.includes(`## ${workload.title}`), workload.title);
    for (const fact of ['CPU', 'memory', 'Node.js', 'oidc-provider']) assert.match(markdown, new RegExp(`\\| ${fact}`));
    assert.match(
      readFileSync(join(out, 'results.svg'), 'utf8'),
      /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/,
    );
    assert.deepEqual(
      ['results.json', 'RESULTS.md', 'results.svg'].map((name) => digest(join(ROOT, 'bench', name))),
      committed,
    );
  });
});
