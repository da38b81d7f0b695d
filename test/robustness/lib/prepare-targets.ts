import type { KeyObject } from 'node:crypto';
import { createSealer } from '../../../src/crypto/create-sealer.ts';
import { parseMasterKeys } from '../../../src/crypto/master-key.ts';
import { unsealPrivateKey } from '../../../src/crypto/unseal-private-key.ts';
import { ALL_SCOPES } from '../../../src/domain/types.ts';
import type { FuzzTargets } from './build-fuzz-case.ts';
import type { Ledger } from './create-ledger.ts';
import type { MatrixInputs } from './run-auth-matrix.ts';
import { readDatabaseFacts } from './read-database-facts.ts';
import type { BodySchema } from './sample-from-schema.ts';
import { SOAK_API_TOKEN, SOAK_CLIENT_ID, SOAK_CLIENT_SECRET, type SoakTarget } from './start-soak-target.ts';

/** The authorization server the rotation storms hammer (ES256: its keys are generated in microseconds). */
export const STORM_SERVER_ID = 'soak-storm';
const OTHER_TENANT = 'soak-other';
// A tenant's own credentials hold every scope but the root tenant's tenants:* ones.
const ALL_TENANT_SCOPES = ALL_SCOPES.filter((scope) => !scope.startsWith('tenants:'));

/** Everything the attacks need, created through the API of a freshly started target. */
export interface PreparedTargets {
  fuzz: FuzzTargets;
  matrix: MatrixInputs;
  stormKeySetId: string;
  /** Every operation of the served OpenAPI document, as `METHOD /path/:param`. */
  openApiOperations: string[];
}

export const ADMIN = `Bearer ${SOAK_API_TOKEN}`;

/**
 * Creates, through the native API, what the attacks address: another tenant (with its admin token
 * and a management JWT of its own), an ES256 server for the storms, throwaway clients, tokens and
 * an identity provider to put in paths, and API tokens with one scope each; reads the body schemas
 * from the served OpenAPI document and the default server's signing key from the database.
 */
export async function prepareTargets(target: SoakTarget, ledger: Ledger): Promise<PreparedTargets> {
  const call = async (path: string, body?: unknown, authorization = ADMIN): Promise<Record<string, unknown>> => {
    const response = await fetch(`${target.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    ledger.record(response.status, Object.fromEntries(response.headers), text);
    if (response.status >= 300) throw new Error(`set-up ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const tokenFor = async (tenantPath: string, clientId: string, secret: string, audience: string): Promise<string> => {
    const response = await fetch(`${target.url}${tenantPath}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', audience }).toString(),
    });
    const text = await response.text();
    ledger.record(response.status, Object.fromEntries(response.headers), text);
    if (response.status !== 200) throw new Error(`token for ${audience} answered ${response.status}: ${text}`);
    return (JSON.parse(text) as { access_token: string }).access_token;
  };

  const other = await call('/signet/v1/tenants', { id: OTHER_TENANT, displayName: 'Soak other tenant' });
  const otherTenantToken = (other.adminToken as { token: string }).token;
  const otherClient = await call(
    `/t/${OTHER_TENANT}/signet/v1/clients`,
    { name: 'other tenant client', scopes: ALL_TENANT_SCOPES },
    `Bearer ${otherTenantToken}`,
  );
  const otherTenantJwt = await tokenFor(
    `/t/${OTHER_TENANT}`,
    String(otherClient.clientId),
    String(otherClient.clientSecret),
    'urn:signet:management',
  );
  const storm = await call('/signet/v1/authorization-servers', {
    id: STORM_SERVER_ID,
    audiences: ['api://soak-storm'],
    alg: 'ES256',
  });
  const throwawayClient = await call('/signet/v1/clients', { name: 'throwaway', scopes: ['keys:read'] });
  const throwawayToken = await call('/signet/v1/api-tokens', { name: 'throwaway', scopes: ['keys:read'] });
  const auditOnly = await call('/signet/v1/api-tokens', { name: 'audit only', scopes: ['audit:read'] });
  const keysOnly = await call('/signet/v1/api-tokens', { name: 'keys only', scopes: ['keys:read'] });
  const idp = await call('/signet/v1/identity-providers', { type: 'OIDC', name: 'soak idp', protocolType: 'OIDC' });
  const keySets = (await call('/signet/v1/key-sets')).items as { id: string }[];

  const facts = await readDatabaseFacts(target);
  const defaultKeySetId = facts.servers.find((s) => s.tenantId === 'default' && s.id === 'default')!.signingKeySetId!;
  const kids = facts.keys.filter((key) => key.keySetId === defaultKeySetId).map((key) => key.kid);
  const active = facts.keys.find((key) => key.keySetId === defaultKeySetId && key.state === 'active')!;
  const signingKey: KeyObject = unsealPrivateKey(active, createSealer(parseMasterKeys(target.masterKey)));

  const servers = ['default', STORM_SERVER_ID];
  const params: Record<string, string[]> = {
    keySetId: [defaultKeySetId, ...keySets.map((k) => k.id)],
    kid: kids,
    keyId: kids,
    authorizationServerId: servers,
    authServerId: servers,
    serverId: servers,
    tenantId: ['default', OTHER_TENANT],
    clientId: [String(throwawayClient.clientId)],
    apiTokenId: [String(throwawayToken.id)],
    identityProviderId: [String(idp.id)],
    idpId: [String(idp.id)],
  };

  const openApi = (await (await fetch(`${target.url}/signet/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: BodySchema }> } }>>;
  };
  const bodySchemas = new Map<string, BodySchema>();
  const openApiOperations: string[] = [];
  for (const [path, operations] of Object.entries(openApi.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      openApiOperations.push(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      if (schema) bodySchemas.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, schema);
    }
  }

  return {
    fuzz: {
      params,
      prefixes: [`/t/${OTHER_TENANT}`, '/t/default', '/t/no-such-tenant', '/t/%2e%2e', `/t/${'x'.repeat(200)}`],
      adminAuthorization: ADMIN,
      bodySchemas,
    },
    matrix: {
      params,
      adminAuthorization: ADMIN,
      otherTenantToken,
      otherTenantJwt,
      auditOnlyToken: String(auditOnly.token),
      keysOnlyToken: String(keysOnly.token),
      issueToken: (audience) => tokenFor('', SOAK_CLIENT_ID, SOAK_CLIENT_SECRET, audience),
      signingKey,
    },
    stormKeySetId: String(storm.signingKeySetId),
    openApiOperations,
  };
}
