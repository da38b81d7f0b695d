import { apiPath } from './api-path.ts';
import type { SimulationResource } from '../http/native/resource-types.ts';
import { UsageError } from './cli-errors.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';
import { KEY_SET_OPTIONS, KEY_SET_USAGE, resolveKeySetId } from './resolve-key-set-id.ts';

type Window = SimulationResource['verifiers'][number]['rejectsValidTokens'];

const formatWindow = (window: Window) =>
  window === null ? 'no' : `${window.from} until ${window.until ?? 'the verifier restarts'}`;

/** `signet simulate --action ACTION`: what a rotate, emergency rotate or revoke would do to verifier libraries. */
export const simulateCommand: Command = {
  usage: `${KEY_SET_USAGE} --action rotate|emergency-rotate|revoke [--kid KID] [--at TIME]`,
  summary: 'simulate an action against the JWKS caches of verifier libraries (changes nothing)',
  options: { ...KEY_SET_OPTIONS, action: { type: 'string' }, kid: { type: 'string' }, at: { type: 'string' } },
  async run(context) {
    const action = context.flag('action');
    if (action === undefined) throw new UsageError('give --action rotate, emergency-rotate or revoke');
    const keySetId = await resolveKeySetId(context);
    const kid = context.flag('kid');
    const at = context.flag('at');
    const result = await context.api.request<SimulationResource>('GET', apiPath`/key-sets/${keySetId}/simulation`, {
      query: { action, ...(kid !== undefined ? { kid } : {}), ...(at !== undefined ? { at } : {}) },
    });
    const rows = result.verifiers.map((verdict) => [
      verdict.library,
      formatWindow(verdict.rejectsValidTokens),
      formatWindow(verdict.acceptsRevokedKey),
    ]);
    const table = formatTable(['LIBRARY', 'REJECTS VALID TOKENS', 'ACCEPTS REVOKED KEY'], rows);
    return { data: result, text: `${result.action} at ${result.at}, worst case per library:\n${table}` };
  },
};
