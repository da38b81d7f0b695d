import { KUBERNETES_SIGNER_DEFAULTS } from '../config/defaults.ts';
import type { RequestContext } from '../domain/types.ts';
import { isSignetError } from '../errors.ts';
import type { Services } from '../services/create-services.ts';

const CONTEXT: RequestContext = {
  actor: { type: 'system', id: 'kubernetes-signer', tenantId: null },
  requestId: null,
  sourceIp: null,
  surface: 'kubernetes',
};

/**
 * Creates the Kubernetes signer's authorization server with an RS256 key set whose policy suits
 * kube-apiserver (KUBERNETES_SIGNER_DEFAULTS) unless it exists; an instance that loses the race to
 * another one finds it created.
 */
export async function ensureKubernetesServer(services: Services, tenantId: string, serverId: string): Promise<void> {
  const exists = await services.authorizationServers.getAuthorizationServer(tenantId, serverId).then(
    () => true,
    (error: unknown) => {
      if (isSignetError(error) && error.code === 'ERR_AUTH_SERVER_NOT_FOUND') return false;
      throw error;
    },
  );
  if (exists) return;
  const d = KUBERNETES_SIGNER_DEFAULTS;
  try {
    await services.authorizationServers.createAuthorizationServer(CONTEXT, tenantId, {
      id: serverId,
      name: 'Kubernetes service-account tokens',
      audiences: [...d.audiences],
      alg: d.alg,
      policy: { maxTokenLifetimeSeconds: d.maxTokenLifetimeSeconds, drainingPeriodSeconds: d.drainingPeriodSeconds },
    });
  } catch (error) {
    if (isSignetError(error) && error.code === 'ERR_ALREADY_EXISTS') return;
    throw error;
  }
}
