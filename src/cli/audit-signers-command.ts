import type { SignersResource } from '../http/native/resource-types.ts';
import { apiPath } from './api-path.ts';
import { UsageError } from './cli-errors.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';
import { KEY_SET_OPTIONS, KEY_SET_USAGE, resolveKeySetId } from './resolve-key-set-id.ts';

/** `signet audit signers --kid KID`: which credentials signed with a key, how many tokens, when. */
export const auditSignersCommand: Command = {
  usage: `--kid KID ${KEY_SET_USAGE}`,
  summary: 'list the credentials that signed with a key (after a compromise), with counts and minutes',
  options: { kid: { type: 'string' }, ...KEY_SET_OPTIONS },
  async run(context) {
    const kid = context.flag('kid');
    if (kid === undefined) throw new UsageError('--kid is required');
    const keySetId = await resolveKeySetId(context);
    const answer = await context.api.request<SignersResource>(
      'GET',
      apiPath`/key-sets/${keySetId}/keys/${kid}/signers`,
    );
    const rows = answer.signers.map((signer) => [
      signer.credentialId,
      String(signer.count),
      signer.firstAt,
      signer.lastAt,
    ]);
    return { data: answer, text: formatTable(['CREDENTIAL', 'TOKENS', 'FIRST MINUTE', 'LAST MINUTE'], rows) };
  },
};
