import { apiPath } from './api-path.ts';
import type { LifecycleResponse } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { formatLifecycle } from './format-lifecycle.ts';
import { KEY_SET_OPTIONS, KEY_SET_USAGE, resolveKeySetId } from './resolve-key-set-id.ts';

/** `signet keys rotate`: next becomes active, active starts draining, a fresh next key is published. */
export const keysRotateCommand: Command = {
  usage: `${KEY_SET_USAGE} [--force]`,
  summary: 'rotate keys; --force rotates even before the next key is safe to use',
  options: { ...KEY_SET_OPTIONS, force: { type: 'boolean' } },
  async run(context) {
    const keySetId = await resolveKeySetId(context);
    const body = context.isSet('force') ? { force: true } : {};
    const result = await context.api.request<LifecycleResponse>('POST', apiPath`/key-sets/${keySetId}/rotate`, {
      body,
    });
    return { data: result, text: formatLifecycle(result) };
  },
};
