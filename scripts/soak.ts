import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderSoakResults } from '../test/robustness/lib/render-soak-results.ts';
import { isClean, runSoak, SOAK_PROFILES } from '../test/robustness/lib/run-soak.ts';

/**
 * `npm run soak [-- --quick] [-- --seed N]`: the robustness suite at full size (or the size
 * `npm test` runs), against real `signet serve` processes on loopback; writes bench/SOAK.md and
 * exits 1 when it found anything.
 */
const { values } = parseArgs({ options: { quick: { type: 'boolean' }, seed: { type: 'string' } } });
const profile = values.quick ? SOAK_PROFILES.quick : SOAK_PROFILES.full;
const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
const command = `npm run soak --${values.quick ? ' --quick' : ''} --seed ${seed}`.replace(/ --$/, '');
const result = await runSoak(profile, seed, (line) => process.stderr.write(`${line}\n`));
const path = join(import.meta.dirname, '..', 'bench', 'SOAK.md');
writeFileSync(path, renderSoakResults(result, command));
process.stderr.write(`wrote ${path}; ${isClean(result) ? 'no defect found' : 'DEFECTS FOUND'}\n`);
process.exitCode = isClean(result) ? 0 : 1;
