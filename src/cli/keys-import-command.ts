import { apiPath } from './api-path.ts';
import type { LifecycleResponse } from '../http/native/resource-types.ts';
import { UsageError } from './cli-errors.ts';
import type { Command } from './command.ts';
import { readInput } from './read-input.ts';
import { formatLifecycle } from './format-lifecycle.ts';
import { KEY_SET_OPTIONS, KEY_SET_USAGE, resolveKeySetId } from './resolve-key-set-id.ts';

/** `signet keys import FILE`: a PEM or JWK private key (`-` reads stdin) becomes the next key. */
export const keysImportCommand: Command = {
  usage: `FILE ${KEY_SET_USAGE} [--kid KID]`,
  summary:
    "import a PEM or JWK private key as the next key (FILE - reads stdin); --kid keeps a previous provider's kid",
  options: { ...KEY_SET_OPTIONS, kid: { type: 'string' } },
  args: ['FILE'],
  async run(context) {
    const privateKey = parsePrivateKey(await readInput(context, context.args[0]!));
    const keySetId = await resolveKeySetId(context);
    const kid = context.flag('kid');
    const body = kid === undefined ? { privateKey } : { privateKey, kid };
    const result = await context.api.request<LifecycleResponse>('POST', apiPath`/key-sets/${keySetId}/keys/import`, {
      body,
    });
    return { data: result, text: formatLifecycle(result) };
  },
};

/** A JWK is sent as an object, anything else as PEM text; the server decides whether it is a usable key. */
function parsePrivateKey(text: string): string | Record<string, unknown> {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    return JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    // JSON.parse quotes the input in its message, and the input is a private key: say only that it failed.
    throw new UsageError('the key file starts with { but is not valid JSON (expected a JWK or a PEM file)');
  }
}
