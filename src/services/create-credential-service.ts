import { hashSecret, secretMatches } from '../crypto/secret-hash.ts';
import { randomToken } from '../crypto/random-token.ts';
import { SignetError } from '../errors.ts';
import type { OAuthClient, ApiToken, RequestContext } from '../domain/types.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Store, StoreTx } from '../storage/store.ts';
import type { Principal } from './authorize.ts';
import { createDetailsAuditor } from './create-details-auditor.ts';

export interface CredentialServiceDeps {
  store: Store;
  registry: Registry;
  now: () => number;
  /** The default (root) tenant: only its credentials may hold `tenants:*` scopes. */
  rootTenantId: string;
}

/** A created secret, returned exactly once. */
export interface CreatedClient {
  client: OAuthClient;
  clientSecret: string;
}
export interface CreatedApiToken {
  apiToken: ApiToken;
  token: string;
}

const SCOPE_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/; // RFC 6749 §3.3 scope-token

export type CredentialService = ReturnType<typeof createCredentialService>;

/**
 * API clients (client_credentials) and API tokens: create with scopes, list, delete, and
 * authenticate. Secrets are generated, shown once and stored as SHA-256 hashes.
 */
export function createCredentialService({ store, registry, now, rootTenantId }: CredentialServiceDeps) {
  function checkScopes(tenantId: string, scopes: readonly string[]): string[] {
    const unique = [...new Set(scopes)];
    for (const scope of unique) {
      if (!SCOPE_PATTERN.test(scope))
        throw new SignetError('ERR_VALIDATION', `invalid scope ${JSON.stringify(scope)}`, { scope });
      if (scope.startsWith('tenants:') && tenantId !== rootTenantId) {
        throw new SignetError('ERR_VALIDATION', `scope ${scope} can only be granted on the root tenant`, { scope });
      }
    }
    return unique;
  }

  const audit = createDetailsAuditor(now);

  const service = {
    /** Creates an API client; the secret is generated unless given (bootstrap) and returned once. */
    async createClient(
      context: RequestContext,
      tenantId: string,
      input: {
        name: string;
        scopes: string[];
        clientId?: string;
        clientSecret?: string;
        authorizationServerIds?: string[] | null;
      },
    ): Promise<CreatedClient> {
      const clientSecret = input.clientSecret ?? randomToken('sgs_');
      const client: OAuthClient = {
        tenantId,
        clientId: input.clientId ?? randomToken('sgc_', 12),
        name: input.name,
        secretHash: hashSecret(clientSecret),
        scopes: checkScopes(tenantId, input.scopes),
        authorizationServerIds: checkServerIds(input.authorizationServerIds),
        createdAt: now(),
      };
      await store.transaction(async (tx) => {
        await tx.insertClient(client);
        await audit(tx, context, tenantId, 'client.created', {
          clientId: client.clientId,
          scopes: client.scopes,
          authorizationServerIds: client.authorizationServerIds,
        });
      });
      await registry.refreshClient(client.clientId);
      return { client, clientSecret };
    },

    listClients: (tenantId: string): Promise<OAuthClient[]> => store.read((reader) => reader.listClients(tenantId)),

    /** Deletes an API client of the tenant; its tokens stop working at the next request. */
    async deleteClient(context: RequestContext, tenantId: string, clientId: string): Promise<void> {
      await store.transaction(async (tx) => {
        if (!(await tx.deleteClient(tenantId, clientId))) {
          throw new SignetError('ERR_CLIENT_NOT_FOUND', `client ${clientId} not found`, { clientId });
        }
        await audit(tx, context, tenantId, 'client.deleted', { clientId });
      });
      await registry.refreshClient(clientId);
    },

    /** Builds an API token with a fresh (or given) secret, to be written with `writeApiToken`. */
    prepareApiToken(
      tenantId: string,
      input: { name: string; scopes: string[]; token?: string; authorizationServerIds?: string[] | null },
    ): CreatedApiToken {
      const token = input.token ?? randomToken('sgt_');
      const apiToken: ApiToken = {
        tenantId,
        id: randomToken('tok_', 12),
        name: input.name,
        tokenHash: hashSecret(token),
        scopes: checkScopes(tenantId, input.scopes),
        authorizationServerIds: checkServerIds(input.authorizationServerIds),
        createdAt: now(),
      };
      return { apiToken, token };
    },

    /**
     * Writes a prepared API token and its audit event in the caller's transaction; once it commits,
     * the caller refreshes `registry.refreshApiToken` so the token works on this instance at once.
     */
    async writeApiToken(tx: StoreTx, context: RequestContext, apiToken: ApiToken): Promise<void> {
      await tx.insertApiToken(apiToken);
      await audit(tx, context, apiToken.tenantId, 'apiToken.created', {
        apiTokenId: apiToken.id,
        scopes: apiToken.scopes,
        authorizationServerIds: apiToken.authorizationServerIds,
      });
    },

    /** Creates an API token; the token is generated unless given (bootstrap) and returned once. */
    async createApiToken(
      context: RequestContext,
      tenantId: string,
      input: { name: string; scopes: string[]; token?: string; authorizationServerIds?: string[] | null },
    ): Promise<CreatedApiToken> {
      const created = service.prepareApiToken(tenantId, input);
      await store.transaction((tx) => service.writeApiToken(tx, context, created.apiToken));
      await registry.refreshApiToken(tenantId, created.apiToken.id);
      return created;
    },

    listApiTokens: (tenantId: string): Promise<ApiToken[]> => store.read((reader) => reader.listApiTokens(tenantId)),

    /** Deletes an API token of the tenant; it stops authenticating at the next request. */
    async deleteApiToken(context: RequestContext, tenantId: string, id: string): Promise<void> {
      await store.transaction(async (tx) => {
        if (!(await tx.deleteApiToken(tenantId, id)))
          throw new SignetError('ERR_API_TOKEN_NOT_FOUND', `API token ${id} not found`, { id });
        await audit(tx, context, tenantId, 'apiToken.deleted', { apiTokenId: id });
      });
      await registry.refreshApiToken(tenantId, id);
    },

    /**
     * Resolves an opaque API token to its principal, or undefined, from the in-memory registry (no
     * database read): every instance learns of a created or deleted token through the change feed,
     * as it does of clients.
     */
    authenticateApiToken(token: string): Principal | undefined {
      const apiToken = registry.getApiTokenByHash(hashSecret(token));
      if (!apiToken) return undefined;
      return {
        actor: { type: 'apiToken', id: apiToken.id, tenantId: apiToken.tenantId },
        tenantId: apiToken.tenantId,
        // Vendor scopes ride along: the dialects and the native API read them through the scope catalog.
        scopes: new Set(apiToken.scopes),
        authorizationServerIds: apiToken.authorizationServerIds,
      };
    },

    /** Checks client credentials against the in-memory registry (no database read). */
    authenticateClient(clientId: string, clientSecret: string): OAuthClient | undefined {
      const client = registry.getClient(clientId);
      return client && secretMatches(clientSecret, client.secretHash) ? client : undefined;
    },
  };
  return service;
}

/** A credential's signing restriction: distinct server ids, or null (every server). */
function checkServerIds(ids: readonly string[] | null | undefined): string[] | null {
  if (ids === undefined || ids === null) return null;
  if (ids.length === 0 || ids.some((id) => typeof id !== 'string' || id === ''))
    throw new SignetError('ERR_VALIDATION', 'authorizationServerIds must list at least one authorization server id', {
      fields: ['authorizationServerIds'],
    });
  return [...new Set(ids)];
}
