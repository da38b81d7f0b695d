import type { FastifyInstance } from 'fastify';
import { answerSignRequest, type SignRequestDeps } from './answer-sign-request.ts';
import type { SignRequestBody } from './resource-types.ts';
import { ERROR_RESPONSES } from './schemas.ts';
import { SIGN_PATH } from './sign-path.ts';
import { SIGN_BODY_SCHEMA, SIGN_RESPONSE_SCHEMA } from './sign-schemas.ts';

/**
 * The signing API (docs/spec.md §7): a caller's claims signed with a server's active key. Most
 * requests are answered before Fastify (create-fast-sign-handler.ts); this route answers the rest.
 */
export async function signRoutes(app: FastifyInstance, deps: SignRequestDeps): Promise<void> {
  app.post<{ Params: { authorizationServerId: string }; Body: SignRequestBody }>(
    SIGN_PATH,
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
    async (request) =>
      answerSignRequest(deps, {
        principal: request.principal!,
        tenant: request.resolved!.tenant,
        tenantBaseUrl: request.resolved!.baseUrl,
        authorizationServerId: request.params.authorizationServerId,
        body: request.body,
      }),
  );
}
