import { apiPath } from './api-path.ts';
import type { LifecycleResponse } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { formatLifecycle } from './format-lifecycle.ts';
import { KEY_SET_OPTIONS, KEY_SET_USAGE, resolveKeySetId } from './resolve-key-set-id.ts';

/** `signet keys revoke KID`: a draining key leaves the JWKS at once; a next key is replaced. */
export const keysRevokeCommand: Command = {
  usage: `KID ${KEY_SET_USAGE}`,
  summary: 'revoke a draining or next key (the active key is refused)',
  options: KEY_SET_OPTIONS,
  args: ['KID'],
  async run(context) {
    const keySetId = await resolveKeySetId(context);
    const result = await context.api.request<LifecycleResponse>(
      'POST',
      apiPath`/key-sets/${keySetId}/keys/${context.args[0]!}/revoke`,
      { body: {} },
    );
    return { data: result, text: formatLifecycle(result) };
  },
};
