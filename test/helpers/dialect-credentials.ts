import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, type TestContext } from './create-test-context.ts';

/** Creates an API token of the root tenant with `scopes` through the native API; returns its Authorization header. */
export async function apiTokenWith(
  context: TestContext,
  scopes: string[],
  tenantPath = '',
): Promise<{ authorization: string }> {
  const response = await context.app.inject({
    method: 'POST',
    url: `${tenantPath}/signet/v1/api-tokens`,
    headers: context.admin,
    payload: { name: `scopes ${scopes.join(' ')}`, scopes },
  });
  if (response.statusCode !== 201) throw new Error(`creating an API token failed: ${response.body}`);
  return { authorization: `Bearer ${response.json().token}` };
}

/** Creates an API client of the root tenant with `scopes`; returns its id and secret. */
export async function clientWith(
  context: TestContext,
  scopes: string[],
): Promise<{ clientId: string; clientSecret: string }> {
  const response = await context.app.inject({
    method: 'POST',
    url: '/signet/v1/clients',
    headers: context.admin,
    payload: { name: 'dialect client', scopes },
  });
  if (response.statusCode !== 201) throw new Error(`creating a client failed: ${response.body}`);
  return { clientId: response.json().clientId, clientSecret: response.json().clientSecret };
}

/** Asks a token endpoint for a client_credentials token as the bootstrap admin client; returns the inject response. */
export function adminClientCredentials(context: TestContext, url: string, params: Record<string, string> = {}) {
  return context.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: ADMIN_CLIENT_ID,
      client_secret: ADMIN_CLIENT_SECRET,
      ...params,
    }).toString(),
  });
}
