import { apiPath } from './api-path.ts';
import type { LifecycleResponse } from '../http/native/resource-types.ts';
import { UsageError } from './cli-errors.ts';
import type { Command } from './command.ts';
import { formatLifecycle } from './format-lifecycle.ts';
import { KEY_SET_OPTIONS, KEY_SET_USAGE, resolveKeySetId } from './resolve-key-set-id.ts';

/** `signet keys emergency-rotate --yes`: rotate now and revoke the old active key in one step. */
export const keysEmergencyRotateCommand: Command = {
  usage: `${KEY_SET_USAGE} --yes`,
  summary: 'rotate now and revoke the active key (for a compromised key)',
  options: { ...KEY_SET_OPTIONS, yes: { type: 'boolean' } },
  async run(context) {
    if (!context.isSet('yes')) {
      throw new UsageError(
        'emergency-rotate revokes the active key at once: every token it signed stops verifying as soon as verifiers ' +
          'refresh their JWKS, and the next key signs before verifiers may have fetched it. ' +
          'Use it only for a compromised key, and pass --yes to confirm (for a routine rotation use `signet keys rotate`).',
      );
    }
    const keySetId = await resolveKeySetId(context);
    const result = await context.api.request<LifecycleResponse>(
      'POST',
      apiPath`/key-sets/${keySetId}/emergency-rotate`,
      { body: {} },
    );
    return { data: result, text: formatLifecycle(result) };
  },
};
