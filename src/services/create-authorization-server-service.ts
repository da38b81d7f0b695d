import { SignetError } from '../errors.ts';
import type {
  Algorithm,
  AuthorizationServer,
  RequestContext,
  RotationPolicy,
  RsaModulusLength,
  Custody,
} from '../domain/types.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Store, StoreTx } from '../storage/store.ts';
import type { KeyService } from './create-key-service.ts';
import { assertAudiences, assertIssuerUrl, assertSlug } from './validate-input.ts';
import { auditEvent } from './audit-event.ts';

export interface CreateAuthorizationServerInput {
  id: string;
  name?: string;
  audiences: string[];
  accessTokenLifetimeSeconds?: number;
  alg?: Algorithm;
  rsaModulusLength?: RsaModulusLength;
  policy?: Partial<RotationPolicy>;
  /** A PEM or JWK private key to start with as the active key (moving from another provider). */
  privateKey?: string | Record<string, unknown>;
  /** Where the signing key set keeps its private keys; the instance's default when absent. */
  custody?: Custody;
  /** An issuer outside Signet whose tokens this server signs; null or absent for Signet's own. */
  externalIssuer?: string | null;
}

/** What an authorization server's update may change. */
export interface UpdateAuthorizationServerInput {
  name?: string;
  audiences?: string[];
  accessTokenLifetimeSeconds?: number;
  /** null goes back to Signet's own issuer URL. */
  externalIssuer?: string | null;
}

export type AuthorizationServerService = ReturnType<typeof createAuthorizationServerService>;

function assertLifetime(value: unknown): asserts value is number {
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > 365 * 86_400) {
    throw new SignetError('ERR_VALIDATION', 'accessTokenLifetimeSeconds must be an integer from 1 to 31536000', {
      fields: ['accessTokenLifetimeSeconds'],
    });
  }
}

/** Authorization servers: each created with its signing key set in one transaction. */
export function createAuthorizationServerService({
  store,
  registry,
  now,
  keys,
}: {
  store: Store;
  registry: Registry;
  now: () => number;
  keys: KeyService;
}) {
  return {
    /** Creates an authorization server and its signing key set; `before` runs first in the same transaction. */
    async createAuthorizationServer(
      context: RequestContext,
      tenantId: string,
      input: CreateAuthorizationServerInput,
      before?: (tx: StoreTx) => Promise<void>,
    ): Promise<AuthorizationServer> {
      assertSlug('id', input.id);
      assertAudiences(input.audiences);
      const accessTokenLifetimeSeconds = input.accessTokenLifetimeSeconds ?? 3600;
      assertLifetime(accessTokenLifetimeSeconds);
      if (typeof input.externalIssuer === 'string') assertIssuerUrl('externalIssuer', input.externalIssuer);
      const prepared = await keys.prepareKeySet({
        ownerType: 'authorizationServer',
        ownerId: input.id,
        alg: input.alg ?? 'RS256',
        rsaModulusLength: input.rsaModulusLength ?? null,
        policy: input.policy ?? {},
        ...(input.privateKey !== undefined ? { privateKey: input.privateKey } : {}),
        ...(input.custody !== undefined ? { custody: input.custody } : {}),
      });
      const server: AuthorizationServer = {
        tenantId,
        id: input.id,
        name: input.name ?? input.id,
        audiences: [...new Set(input.audiences)],
        accessTokenLifetimeSeconds,
        signingKeySetId: null,
        externalIssuer: input.externalIssuer ?? null,
        createdAt: now(),
      };
      const created = await store.transaction(async (tx) => {
        await before?.(tx);
        if (!(await tx.getTenant(tenantId)))
          throw new SignetError('ERR_TENANT_NOT_FOUND', `tenant ${tenantId} not found`, { tenantId });
        await tx.insertAuthorizationServer(server);
        await tx.appendAuditEvent(
          auditEvent(context, tenantId, server.createdAt, 'authorizationServer.created', 'createAuthorizationServer', {
            details: {
              authorizationServerId: server.id,
              audiences: server.audiences,
              externalIssuer: server.externalIssuer,
            },
          }),
        );
        const { keySet } = await keys.writeKeySet(tx, context, tenantId, prepared);
        return { ...server, signingKeySetId: keySet.id };
      });
      await registry.refreshKeySet(created.signingKeySetId!);
      await registry.refreshAuthorizationServer(tenantId, created.id);
      return created;
    },

    listAuthorizationServers: (tenantId: string): Promise<AuthorizationServer[]> =>
      store.read((reader) => reader.listAuthorizationServers(tenantId)),

    /** Reads an authorization server of the tenant. */
    async getAuthorizationServer(tenantId: string, id: string): Promise<AuthorizationServer> {
      const server = await store.read((reader) => reader.getAuthorizationServer(tenantId, id));
      if (!server)
        throw new SignetError('ERR_AUTH_SERVER_NOT_FOUND', `authorization server ${id} not found`, {
          authorizationServerId: id,
        });
      return server;
    },

    /** Changes name, audiences, access-token lifetime or external issuer. */
    async updateAuthorizationServer(
      context: RequestContext,
      tenantId: string,
      id: string,
      patch: UpdateAuthorizationServerInput,
    ): Promise<AuthorizationServer> {
      if (patch.audiences) assertAudiences(patch.audiences);
      if (typeof patch.externalIssuer === 'string') assertIssuerUrl('externalIssuer', patch.externalIssuer);
      if (patch.accessTokenLifetimeSeconds !== undefined) assertLifetime(patch.accessTokenLifetimeSeconds);
      const updated = await store.transaction(async (tx) => {
        const server = await tx.getAuthorizationServer(tenantId, id);
        if (!server)
          throw new SignetError('ERR_AUTH_SERVER_NOT_FOUND', `authorization server ${id} not found`, {
            authorizationServerId: id,
          });
        const next: AuthorizationServer = {
          ...server,
          name: patch.name ?? server.name,
          audiences: patch.audiences ? [...new Set(patch.audiences)] : server.audiences,
          accessTokenLifetimeSeconds: patch.accessTokenLifetimeSeconds ?? server.accessTokenLifetimeSeconds,
          externalIssuer: patch.externalIssuer === undefined ? server.externalIssuer : patch.externalIssuer,
        };
        await tx.updateAuthorizationServer(next);
        await tx.appendAuditEvent(
          auditEvent(context, tenantId, now(), 'authorizationServer.updated', 'updateAuthorizationServer', {
            details: {
              authorizationServerId: id,
              audiences: next.audiences,
              accessTokenLifetimeSeconds: next.accessTokenLifetimeSeconds,
              externalIssuer: next.externalIssuer,
            },
          }),
        );
        return next;
      });
      await registry.refreshAuthorizationServer(tenantId, id);
      return updated;
    },
  };
}
