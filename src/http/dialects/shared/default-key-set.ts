import type { FastifyRequest } from 'fastify';
import { SignetError } from '../../../errors.ts';
import type { KeySetView } from '../../../runtime/build-key-set-view.ts';
import type { Registry } from '../../../runtime/create-registry.ts';
import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../../../domain/default-authorization-server-id.ts';

/**
 * The key set the single-key-set dialects (OneLogin, Auth0) manage: the signing key set of the
 * addressed tenant's `default` authorization server, as the registry holds it.
 */
export function defaultKeySet(registry: Registry, request: FastifyRequest): KeySetView {
  const tenantId = request.resolved!.tenant.id;
  const server = registry.getAuthorizationServer(tenantId, DEFAULT_AUTHORIZATION_SERVER_ID);
  const view = server?.signingKeySetId ? registry.getKeySetView(server.signingKeySetId) : undefined;
  if (!view)
    throw new SignetError('ERR_KEY_SET_NOT_INITIALISED', 'the default authorization server has no signing keys');
  return view;
}
