import type { Algorithm, AuthorizationServer } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import type { KeySetView, Signer } from '../runtime/build-key-set-view.ts';
import type { Registry } from '../runtime/create-registry.ts';

/** What signs for an authorization server right now, read from memory only. */
export interface ResolvedSigner {
  server: AuthorizationServer;
  view: KeySetView;
  signer: Signer;
}

/**
 * The active key that signs for an authorization server: its signing key set's, or the one of its
 * key sets with algorithm `alg`. Refuses a missing server or key set, and a key whose certificate
 * has expired (docs/spec.md §3 "certificates follow keys"). Shared by the token endpoint and the
 * signing API, so both sign under the same rule.
 */
export function resolveSigner(
  registry: Registry,
  target: { tenantId: string; authorizationServerId: string; alg?: Algorithm | undefined },
  at: number,
): ResolvedSigner {
  const server = registry.getAuthorizationServer(target.tenantId, target.authorizationServerId);
  if (!server)
    throw new SignetError(
      'ERR_AUTH_SERVER_NOT_FOUND',
      `authorization server ${target.authorizationServerId} not found`,
    );
  const signing = server.signingKeySetId ? registry.getKeySetView(server.signingKeySetId) : undefined;
  const view =
    target.alg === undefined || signing?.keySet.alg === target.alg
      ? signing
      : registry
          .listServerKeySetViews(target.tenantId, target.authorizationServerId)
          .find((candidate) => candidate.keySet.alg === target.alg);
  if (!view && target.alg !== undefined)
    throw new SignetError('ERR_KEY_SET_NOT_FOUND', `authorization server ${server.id} has no ${target.alg} key set`, {
      alg: target.alg,
    });
  const signer = view?.signer;
  if (!view || !signer)
    throw new SignetError('ERR_KEY_SET_NOT_INITIALISED', 'the authorization server has no active signing key');
  if (signer.certificateNotAfter <= at) {
    throw new SignetError(
      'ERR_CERTIFICATE_EXPIRED',
      "the active signing key's certificate has expired; no token is signed with it",
    );
  }
  return { server, view, signer };
}
