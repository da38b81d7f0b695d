import type { SignatureResource } from '../http/native/resource-types.ts';
import { apiPath } from './api-path.ts';
import { UsageError } from './cli-errors.ts';
import type { Command } from './command.ts';
import { readInput } from './read-input.ts';

/** `signet sign --auth-server ID --claims FILE|-`: signs a claims set with the signing API; prints the JWT. */
export const signCommand: Command = {
  usage: '--auth-server ID --claims FILE|- [--expires-in SECONDS] [--typ TYP] [--alg ALG]',
  summary: "sign a JWT claims set (JSON) with the authorization server's active key; prints the JWT",
  options: {
    'auth-server': { type: 'string' },
    claims: { type: 'string' },
    'expires-in': { type: 'string' },
    typ: { type: 'string' },
    alg: { type: 'string' },
  },
  async run(context) {
    const serverId = context.flag('auth-server');
    const file = context.flag('claims');
    if (serverId === undefined || file === undefined) throw new UsageError('--auth-server and --claims are required');
    const claims = parseClaims(await readInput(context, file));
    const expiresIn = context.flag('expires-in');
    if (expiresIn !== undefined && !/^\d+$/.test(expiresIn))
      throw new UsageError('--expires-in must be a whole number of seconds');
    const typ = context.flag('typ');
    const alg = context.flag('alg');
    const result = await context.api.request<SignatureResource>(
      'POST',
      apiPath`/authorization-servers/${serverId}/sign`,
      {
        body: {
          claims,
          ...(expiresIn === undefined ? {} : { expiresIn: Number(expiresIn) }),
          ...(typ === undefined ? {} : { typ }),
          ...(alg === undefined ? {} : { alg }),
        },
      },
    );
    return { data: result, text: result.jwt };
  },
};

// Anything that is JSON goes to the server, which says what a claims set may be; only text that is
// not JSON at all is refused here.
function parseClaims(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError('--claims must hold a JSON object');
  }
}
