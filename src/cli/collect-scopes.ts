import type { CommandContext } from './command.ts';

/** The `--scope` values; one flag may also carry several space-separated scopes, as in OAuth's `scope` parameter. */
export function collectScopes(context: CommandContext): string[] {
  return context
    .flags('scope')
    .flatMap((scope) => scope.split(/\s+/))
    .filter((scope) => scope !== '');
}
