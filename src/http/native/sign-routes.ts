import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/create-services.ts';
import { serverUrls } from '../public/server-urls.ts';
import { tenantBaseUrls } from '../resolve-tenant.ts';
import { tenantIdOf } from './request-context.ts';
import type { SignRequestBody } from './resource-types.ts';
import { signatureResource } from './resources.ts';
import { ERROR_RESPONSES } from './schemas.ts';
import { SIGN_BODY_SCHEMA, SIGN_RESPONSE_SCHEMA } from './sign-schemas.ts';

/** The signing API (docs/spec.md §7): a caller's claims signed with a server's active key. */
export async function signRoutes(
  app: FastifyInstance,
  {
    services,
    baseUrl,
    rootTenantId,
    managementAudiences,
  }: {
    services: Services;
    baseUrl: string;
    rootTenantId: string;
    /** Every management audience of one tenant base URL (src/http/surface-index.ts). */
    managementAudiences: (tenantBaseUrl: string) => string[];
  },
): Promise<void> {
  app.post<{ Params: { authorizationServerId: string }; Body: SignRequestBody }>(
    '/authorization-servers/:authorizationServerId/sign',
    {
      config: { surface: 'native', scope: 'tokens:sign' },
      schema: {
        summary: "Sign a JWT with the authorization server's active key, for an issuer of your own",
        description:
          "The token may live at most the key set's maxTokenLifetimeSeconds; its key stays published until verifiableUntil. Reads no database.",
        tags: ['signing'],
        params: {
          type: 'object',
          required: ['authorizationServerId'],
          properties: { authorizationServerId: { type: 'string', maxLength: 63 } },
        },
        body: SIGN_BODY_SCHEMA,
        response: { 200: SIGN_RESPONSE_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const tenant = request.resolved!.tenant;
      const serverId = request.params.authorizationServerId;
      // Management surfaces accept JWTs of the default server for these audiences: a signed token
      // naming one would be a management credential, so no caller may ask for one.
      const bases = tenantBaseUrls(tenant.id, tenant.hostNames, { baseUrl, rootTenantId });
      const reservedAudiences = bases.flatMap(managementAudiences);
      const result = await services.signing.sign(request.principal!, 'native', {
        tenantId: tenantIdOf(request),
        authorizationServerId: serverId,
        issuer: serverUrls(request.resolved!.baseUrl, serverId).issuer,
        claims: request.body.claims,
        expiresIn: request.body.expiresIn,
        typ: request.body.typ,
        alg: request.body.alg,
        reservedAudiences,
      });
      return signatureResource(result);
    },
  );
}
