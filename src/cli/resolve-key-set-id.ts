import { BOOTSTRAP_DEFAULTS } from '../config/defaults.ts';
import { apiPath } from './api-path.ts';
import type { AuthorizationServerResource } from '../http/native/resource-types.ts';
import { ApiError, UsageError } from './cli-errors.ts';
import type { CommandContext } from './command.ts';

/** The flags that pick a key set. */
export const KEY_SET_OPTIONS = {
  'key-set': { type: 'string' },
  'auth-server': { type: 'string' },
} as const;

/** How the usage text shows them. */
export const KEY_SET_USAGE = '[--key-set ID | --auth-server ID]';

/** The key set a command acts on: `--key-set`, else the signing key set of `--auth-server` (default `default`). */
export async function resolveKeySetId(context: CommandContext, explicit?: string): Promise<string> {
  const keySetId = explicit ?? context.flag('key-set');
  const authServerId = context.flag('auth-server');
  if (keySetId !== undefined && authServerId !== undefined)
    throw new UsageError('give --key-set or --auth-server, not both');
  if (keySetId !== undefined) return keySetId;
  const id = authServerId ?? BOOTSTRAP_DEFAULTS.authorizationServerId;
  const server = await context.api.request<AuthorizationServerResource>('GET', apiPath`/authorization-servers/${id}`);
  if (server.signingKeySetId === null) {
    throw new ApiError(404, 'ERR_KEY_SET_NOT_FOUND', `authorization server ${id} has no signing key set`, null);
  }
  return server.signingKeySetId;
}
