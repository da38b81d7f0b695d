import type { FastifyInstance } from 'fastify';
import type { SurfaceRouteOptions } from '../surface-descriptor.ts';
import { auditRoutes } from './audit-routes.ts';
import { authorizeNativeRequest } from './authorize-native-request.ts';
import { authorizationServerRoutes } from './authorization-server-routes.ts';
import { credentialRoutes } from './credential-routes.ts';
import { identityProviderRoutes } from './identity-provider-routes.ts';
import { keySetRoutes } from './key-set-routes.ts';
import { signRoutes } from './sign-routes.ts';
import { simulationRoutes } from './simulation-routes.ts';
import { tenantRoutes } from './tenant-routes.ts';
import { webhookRoutes } from './webhook-routes.ts';

/** The native management API of one tenant: authentication, per-route scope checks, resources. */
export async function nativeRoutes(app: FastifyInstance, options: SurfaceRouteOptions): Promise<void> {
  const { services, registry } = options;
  const audience = options.descriptor.managementAudience!;
  const authenticateOptions = { ...options, credentials: services.credentials };
  app.addHook('preHandler', async (request) => {
    const scope = request.routeOptions.config.scope;
    if (!scope) return;
    request.principal = await authorizeNativeRequest(
      { authorization: request.headers.authorization, tenant: request.resolved!.tenant },
      authenticateOptions,
      audience,
      scope,
    );
  });

  app.get('/openapi.json', { config: { surface: 'native' } }, async (request) =>
    options.openApiDocument(request.resolved!.baseUrl),
  );
  await app.register(tenantRoutes, { services });
  await app.register(authorizationServerRoutes, { services });
  await app.register(keySetRoutes, { services, registry });
  await app.register(simulationRoutes, { services });
  await app.register(credentialRoutes, { services });
  await app.register(auditRoutes, { services });
  await app.register(identityProviderRoutes, { services });
  await app.register(webhookRoutes, { services });
  await app.register(signRoutes, {
    services,
    baseUrl: options.baseUrl,
    rootTenantId: options.rootTenantId,
    managementAudiences: options.managementAudiences,
  });
}
