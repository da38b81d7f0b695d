import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findCurrentKeys } from '../../../domain/find-keys.ts';
import { PUBLISHED_STATES, type AuthorizationServer, type Key, type RotationMode } from '../../../domain/types.ts';
import type { Services } from '../../../services/create-services.ts';
import { tenantIdOf } from '../../native/request-context.ts';
import { dialectContext } from '../shared/dialect-context.ts';
import { refuseOtherMethods } from '../shared/refuse-other-methods.ts';
import { oktaNotFound, withOktaNotFound } from './okta-not-found.ts';
import { authorizationServerJson, authorizationServerKeyJson, type SigningState } from './okta-resources.ts';
import { oktaValidationError } from './okta-validation-error.ts';

const read = { surface: 'okta' as const, vendorScopes: ['okta.authorizationServers.read'] };
const manage = { surface: 'okta' as const, vendorScopes: ['okta.authorizationServers.manage'] };

const BASE = '/api/v1/authorizationServers';

interface ServerParams {
  authServerId: string;
}
interface ReplaceBody {
  name?: unknown;
  audiences?: unknown;
  credentials?: { signing?: { rotationMode?: unknown; use?: unknown } };
}

/**
 * Okta custom authorization servers and their keys (docs/vendor-contracts.md §2.2) over the one
 * lifecycle: keyRotate is the key service's rotate in `vendor` mode ("rotate now"), rotationMode
 * is the key set policy's `mode`, and nextRotation comes from the key set's real schedule.
 */
export async function oktaAuthorizationServerRoutes(
  app: FastifyInstance,
  { services }: { services: Services },
): Promise<void> {
  async function loadServer(
    request: FastifyRequest<{ Params: ServerParams }>,
  ): Promise<AuthorizationServer & { signingKeySetId: string }> {
    const id = request.params.authServerId;
    const server = await withOktaNotFound(['ERR_AUTH_SERVER_NOT_FOUND'], id, 'AuthorizationServer', () =>
      services.authorizationServers.getAuthorizationServer(tenantIdOf(request), id),
    );
    if (!server.signingKeySetId) throw oktaNotFound('ERR_AUTH_SERVER_NOT_FOUND', id, 'AuthorizationServer');
    return server as AuthorizationServer & { signingKeySetId: string };
  }

  async function signingState(
    tenantId: string,
    server: AuthorizationServer & { signingKeySetId: string },
  ): Promise<SigningState> {
    const keySet = await services.keys.getKeySet(tenantId, server.signingKeySetId);
    const { active } = findCurrentKeys(await services.keys.listKeys(tenantId, keySet.id, ['active']));
    const rotation = (await services.keys.getSchedule(tenantId, keySet.id)).find(
      (transition) => transition.action === 'rotate',
    );
    return { keySet, active, nextRotationAt: rotation?.at ?? null };
  }

  async function serverJson(request: FastifyRequest, server: AuthorizationServer & { signingKeySetId: string }) {
    return authorizationServerJson(server, await signingState(tenantIdOf(request), server), request.resolved!.baseUrl);
  }

  /** Okta lists at most one key per status: the active, the next and the most recently expired key. */
  function listed(keys: readonly Key[]): Key[] {
    const { active, next } = findCurrentKeys(keys);
    const expired = keys
      .filter((key) => key.state === 'draining')
      .sort(
        (a, b) => (b.drainingSince ?? 0) - (a.drainingSince ?? 0) || (b.activatedAt ?? 0) - (a.activatedAt ?? 0),
      )[0];
    return [active, next, expired].filter((key): key is Key => key !== undefined);
  }

  async function keysJson(
    request: FastifyRequest<{ Params: ServerParams }>,
    server: AuthorizationServer & { signingKeySetId: string },
  ) {
    const keys = await services.keys.listKeys(tenantIdOf(request), server.signingKeySetId, PUBLISHED_STATES);
    return listed(keys).map((key) => authorizationServerKeyJson(key, request.resolved!.baseUrl, server.id));
  }

  app.get(BASE, { config: read }, async (request) => {
    const servers = await services.authorizationServers.listAuthorizationServers(tenantIdOf(request));
    return Promise.all(
      servers
        .filter((server) => server.signingKeySetId !== null)
        .map((server) => serverJson(request, server as AuthorizationServer & { signingKeySetId: string })),
    );
  });
  refuseOtherMethods(app, BASE, ['GET'], 'okta');

  app.get<{ Params: ServerParams }>(`${BASE}/:authServerId`, { config: read }, async (request) =>
    serverJson(request, await loadServer(request)),
  );

  app.put<{ Params: ServerParams; Body: ReplaceBody }>(`${BASE}/:authServerId`, { config: manage }, async (request) => {
    const server = await loadServer(request);
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw oktaValidationError('updateAuthorizationServer', 'The request body must be an authorization server object');
    const { name, audiences } = body;
    const rotationMode = body.credentials?.signing?.rotationMode;
    const use = body.credentials?.signing?.use;
    if (name !== undefined && (typeof name !== 'string' || name.length === 0 || name.length > 200)) {
      throw oktaValidationError(
        'updateAuthorizationServer',
        'name: The field cannot be left blank or longer than 200 characters',
      );
    }
    if (
      audiences !== undefined &&
      (!Array.isArray(audiences) ||
        audiences.length === 0 ||
        !audiences.every((audience) => typeof audience === 'string'))
    ) {
      throw oktaValidationError(
        'updateAuthorizationServer',
        'audiences: The field must be a non-empty list of strings',
      );
    }
    if (rotationMode !== undefined && rotationMode !== 'AUTO' && rotationMode !== 'MANUAL') {
      throw oktaValidationError(
        'updateAuthorizationServer',
        "Invalid value specified for key 'rotationMode' parameter",
      );
    }
    if (use !== undefined && use !== 'sig')
      throw oktaValidationError('updateAuthorizationServer', "Invalid value specified for key 'use' parameter");
    const context = dialectContext(request);
    const tenantId = tenantIdOf(request);
    if (name !== undefined || audiences !== undefined) {
      await services.authorizationServers.updateAuthorizationServer(context, tenantId, server.id, {
        ...(typeof name === 'string' ? { name } : {}),
        ...(Array.isArray(audiences) ? { audiences: audiences as string[] } : {}),
      });
    }
    // Switching modes changes only the policy: the active key stays (docs/vendor-contracts.md §2.2).
    const keySet = await services.keys.getKeySet(tenantId, server.signingKeySetId);
    if (rotationMode !== undefined && rotationMode !== keySet.policy.mode) {
      await services.keys.updatePolicy(context, tenantId, keySet.id, { mode: rotationMode as RotationMode });
    }
    return serverJson(request, await loadServer(request));
  });
  refuseOtherMethods(app, `${BASE}/:authServerId`, ['GET', 'PUT'], 'okta');

  app.get<{ Params: ServerParams }>(`${BASE}/:authServerId/credentials/keys`, { config: read }, async (request) =>
    keysJson(request, await loadServer(request)),
  );
  refuseOtherMethods(app, `${BASE}/:authServerId/credentials/keys`, ['GET'], 'okta');

  app.get<{ Params: ServerParams & { keyId: string } }>(
    `${BASE}/:authServerId/credentials/keys/:keyId`,
    { config: read },
    async (request) => {
      const server = await loadServer(request);
      const keys = await services.keys.listKeys(tenantIdOf(request), server.signingKeySetId, PUBLISHED_STATES);
      const key = keys.find((candidate) => candidate.kid === request.params.keyId);
      if (!key) throw oktaNotFound('ERR_KEY_NOT_FOUND', request.params.keyId, 'AuthorizationServerJsonWebKey');
      return authorizationServerKeyJson(key, request.resolved!.baseUrl, server.id);
    },
  );
  refuseOtherMethods(app, `${BASE}/:authServerId/credentials/keys/:keyId`, ['GET'], 'okta');

  app.post<{ Params: ServerParams; Body: unknown }>(
    `${BASE}/:authServerId/credentials/lifecycle/keyRotate`,
    { config: manage },
    async (request) => {
      const server = await loadServer(request);
      const body = request.body as { use?: unknown } | null | undefined;
      // docs/vendor-contracts.md §2.2, Okta example InvalidRotateUse: `use` is required and `sig` is its only value.
      if (body === null || typeof body !== 'object' || body.use !== 'sig') {
        throw oktaValidationError('rotateKeys', "Invalid value specified for key 'use' parameter");
      }
      await services.keys.rotate(dialectContext(request), tenantIdOf(request), server.signingKeySetId, 'vendor');
      return keysJson(request, server);
    },
  );
  refuseOtherMethods(app, `${BASE}/:authServerId/credentials/lifecycle/keyRotate`, ['POST'], 'okta');
}
