import { parseClientCredentials, type ClientCredentials } from '../../public/parse-client-credentials.ts';

// OneLogin's legacy header: `Authorization: client_id:<id>, client_secret:<secret>`.
const ONELOGIN_HEADER = /^\s*client_id\s*:\s*([^\s,]+)\s*,\s*client_secret\s*:\s*(\S(?:.*\S)?)\s*$/i;

/**
 * Reads client authentication in the three forms OneLogin documents for Generate Token v2: its own
 * `client_id:…, client_secret:…` header, HTTP Basic, or `client_id`/`client_secret` in the body.
 */
export function parseOneLoginCredentials(
  authorization: string | undefined,
  params: Record<string, string>,
): ClientCredentials {
  const legacy = authorization?.match(ONELOGIN_HEADER);
  if (legacy) return { clientId: legacy[1]!, clientSecret: legacy[2]!, method: 'client_secret_basic' };
  return parseClientCredentials(authorization, params);
}
