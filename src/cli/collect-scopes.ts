import type { CommandContext } from './command.ts';

/** The `--scope` values; one flag may also carry several space-separated scopes, as in OAuth's `scope` parameter. */
export function collectScopes(context: CommandContext): string[] {
  return context
    .flags('scope')
    .flatMap((scope) => scope.split(/\s+/))
    .filter((scope) => scope !== '');
}

/** The `--sign-for ID` values: the authorization servers a new credential may sign for (absent: every one). */
export function collectSigningServers(context: CommandContext): { authorizationServerIds?: string[] } {
  const ids = context.flags('sign-for');
  return ids.length === 0 ? {} : { authorizationServerIds: ids };
}

/** What the listing says a credential may sign for. */
export function describeSigningServers(ids: readonly string[] | null | undefined): string {
  // An older server sends no field at all.
  return ids ? `; signs only for: ${ids.join(' ')}` : '';
}
