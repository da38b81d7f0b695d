import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSoftHsmToken, SOFTHSM2_MODULE } from '../../test/helpers/softhsm-token.ts';
import { nativeApi, startSignet } from '../lib/start-signet.ts';
import { compareUnderLoad, perRun } from './compare-under-load.ts';
import { loadFigures, notMeasured, ratio, type BenchContext, type WorkloadResult } from './types.ts';

const ID = 'custody-pkcs11';
const TITLE = 'client_credentials tokens, pkcs11 custody on SoftHSM2 against sealed custody';
const BODY = 'grant_type=client_credentials';
const ALGS = ['RS256', 'ES256'] as const;

/**
 * RS256 and ES256 tokens/s of one Signet whose key sets keep their keys sealed in the database or
 * on a SoftHSM2 token (docs/spec.md §7), measured in turns within each run: the ratio is what
 * signing through PKCS#11 costs (a thread-pool hop and the module's own work per token).
 */
export async function runCustodyWorkload(context: BenchContext): Promise<WorkloadResult> {
  const method = `One Signet process, four authorization servers (RS256 and ES256, each sealed and pkcs11 on a SoftHSM2 token), ${context.settings.connections} keep-alive connections, ${context.settings.durationSeconds} s per run, in turns.`;
  const ratioNames = ALGS.map(
    (alg) =>
      [`pkcs11 / sealed, ${alg} tokens/s`, { op: '>=' as const, value: 0.7 }, 'x'] as [
        string,
        { op: '>='; value: number },
        string,
      ],
  );
  if (!existsSync(SOFTHSM2_MODULE)) {
    return notMeasured(
      ID,
      TITLE,
      method,
      `SoftHSM2 is not installed (${SOFTHSM2_MODULE}); apt-get install softhsm2`,
      ratioNames,
    );
  }
  context.log(`${ID}: ${TITLE}`);
  const token = createSoftHsmToken({ label: 'signet-bench' });
  const dataDir = join(context.tmpDir, 'custody');
  mkdirSync(dataDir);
  const signet = await startSignet({ dataDir, env: token.env });
  try {
    const client = await nativeApi<{ clientId: string; clientSecret: string }>(signet.origin, 'POST', '/clients', {
      name: 'bench custody',
      scopes: ['keys:read'],
    });
    const authorization = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
    const subjects = [];
    for (const alg of ALGS) {
      for (const custody of ['sealed', 'pkcs11'] as const) {
        const id = `${alg.toLowerCase()}-${custody}`;
        await nativeApi(signet.origin, 'POST', '/authorization-servers', {
          id,
          audiences: ['api://default'],
          alg,
          custody,
        });
        subjects.push({
          name: id,
          origin: signet.origin,
          pid: signet.pid,
          paths: [`/oauth2/${id}/v1/token`],
          method: 'POST' as const,
          body: BODY,
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
          expectStatus: 200,
        });
      }
    }
    const runs = await compareUnderLoad(context, ID, subjects);
    const rps = (r: { requestsPerSecond: number }) => r.requestsPerSecond;
    return {
      id: ID,
      title: TITLE,
      status: 'measured',
      method,
      figures: subjects.flatMap((subject) => loadFigures(subject.name, runs.get(subject.name)!, 'tokens')),
      ratios: ALGS.map((alg) => {
        const sealed = runs.get(`${alg.toLowerCase()}-sealed`)!;
        const pkcs11 = runs.get(`${alg.toLowerCase()}-pkcs11`)!;
        return ratio(`pkcs11 / sealed, ${alg} tokens/s`, perRun(pkcs11, sealed, rps), { op: '>=', value: 0.7 });
      }),
      notes: [
        'SoftHSM2 is a software token: a network or PCIe HSM adds its own latency per signature, which the thread pool overlaps across requests but cannot remove.',
        "SoftHSM2's RSA C_Sign rebuilds the OpenSSL key and its blinding at every signature (~470 µs CPU against ~250 µs for a cached KeyObject, plus ~36 µs of C_SignInit): with both subjects CPU-bound, RS256 cannot pass about 0.55x on SoftHSM2 (docs/design-notes.md, Key custody).",
      ],
    };
  } finally {
    await signet.stop();
    token.remove();
  }
}
