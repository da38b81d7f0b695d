import { BOOTSTRAP_DEFAULTS } from '../config/defaults.ts';
import { SignetError } from '../errors.ts';
import {
  ALL_SCOPES,
  type Algorithm,
  type AuthorizationServer,
  type RequestContext,
  type Tenant,
} from '../domain/types.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Store } from '../storage/store.ts';
import type { AuthorizationServerService } from './create-authorization-server-service.ts';
import type { CreatedApiToken, CredentialService } from './create-credential-service.ts';
import { assertSlug, normaliseHostNames } from './validate-input.ts';
import { auditEvent } from './audit-event.ts';

export interface CreateTenantInput {
  id: string;
  displayName?: string;
  hostNames?: string[];
  /** Signing algorithm of the default server's key set; RS256 (docs/spec.md §4) unless given. */
  alg?: Algorithm;
}

/** A new tenant with its default authorization server and a first admin token (shown once). */
export interface CreatedTenant {
  tenant: Tenant;
  authorizationServer: AuthorizationServer;
  adminToken: CreatedApiToken | null;
}

export type TenantService = ReturnType<typeof createTenantService>;

/** Tenants: create (with their default authorization server and RS256 key set), list, read, update. */
export function createTenantService(deps: {
  store: Store;
  registry: Registry;
  now: () => number;
  authorizationServers: AuthorizationServerService;
  credentials: CredentialService;
}) {
  const { store, registry, now, authorizationServers, credentials } = deps;
  return {
    /** Creates a tenant, its `default` authorization server and key set; optionally a tenant admin token. */
    async createTenant(
      context: RequestContext,
      input: CreateTenantInput,
      options: { withAdminToken: boolean },
    ): Promise<CreatedTenant> {
      assertSlug('id', input.id);
      const tenant: Tenant = {
        id: input.id,
        displayName: input.displayName ?? input.id,
        hostNames: normaliseHostNames(input.hostNames ?? []),
        createdAt: now(),
      };
      const adminToken = options.withAdminToken
        ? credentials.prepareApiToken(tenant.id, {
            name: 'tenant admin',
            scopes: ALL_SCOPES.filter((s) => !s.startsWith('tenants:')),
          })
        : null;
      // The tenant, its server, key set and first credential are written in one transaction: a
      // tenant is never left without a way to manage it.
      const authorizationServer = await authorizationServers.createAuthorizationServer(
        context,
        tenant.id,
        {
          id: BOOTSTRAP_DEFAULTS.authorizationServerId,
          name: 'Default',
          audiences: [...BOOTSTRAP_DEFAULTS.audiences],
          accessTokenLifetimeSeconds: BOOTSTRAP_DEFAULTS.accessTokenLifetimeSeconds,
          alg: input.alg ?? BOOTSTRAP_DEFAULTS.alg,
        },
        async (tx) => {
          await tx.insertTenant(tenant);
          await tx.appendAuditEvent(
            auditEvent(context, tenant.id, tenant.createdAt, 'tenant.created', 'createTenant', {
              details: { hostNames: tenant.hostNames },
            }),
          );
          if (adminToken) await credentials.writeApiToken(tx, context, adminToken.apiToken);
        },
      );
      await registry.refreshTenant(tenant.id);
      if (adminToken) await registry.refreshApiToken(tenant.id, adminToken.apiToken.id);
      return { tenant, authorizationServer, adminToken };
    },

    listTenants: (): Promise<Tenant[]> => store.read((reader) => reader.listTenants()),

    /** Reads a tenant. */
    async getTenant(id: string): Promise<Tenant> {
      const tenant = await store.read((reader) => reader.getTenant(id));
      if (!tenant) throw new SignetError('ERR_TENANT_NOT_FOUND', `tenant ${id} not found`, { tenantId: id });
      return tenant;
    },

    /** Changes a tenant's display name or claimed host names. */
    async updateTenant(
      context: RequestContext,
      id: string,
      patch: { displayName?: string; hostNames?: string[] },
    ): Promise<Tenant> {
      const updated = await store.transaction(async (tx) => {
        const tenant = await tx.getTenant(id);
        if (!tenant) throw new SignetError('ERR_TENANT_NOT_FOUND', `tenant ${id} not found`, { tenantId: id });
        const next: Tenant = {
          ...tenant,
          displayName: patch.displayName ?? tenant.displayName,
          hostNames: patch.hostNames ? normaliseHostNames(patch.hostNames) : tenant.hostNames,
        };
        await tx.updateTenant(next);
        await tx.appendAuditEvent(
          auditEvent(context, id, now(), 'tenant.updated', 'updateTenant', {
            details: { displayName: next.displayName, hostNames: next.hostNames },
          }),
        );
        return next;
      });
      await registry.refreshTenant(id);
      return updated;
    },
  };
}
