import type { Tenant } from '../../domain/types.ts';
import type { Principal } from '../../services/authorize.ts';
import type { Services } from '../../services/create-services.ts';
import { serverUrls } from '../public/server-urls.ts';
import { tenantBaseUrls } from '../resolve-tenant.ts';
import type { SignRequestBody } from './resource-types.ts';
import { signatureResource } from './resources.ts';

export interface SignRequestDeps {
  services: Services;
  baseUrl: string;
  rootTenantId: string;
  /** Every management audience of one tenant base URL (src/http/surface-index.ts). */
  managementAudiences: (tenantBaseUrl: string) => string[];
}

export interface SignRequest {
  principal: Principal;
  tenant: Tenant;
  /** The tenant's base URL as the request addressed it (path or claimed host). */
  tenantBaseUrl: string;
  authorizationServerId: string;
  /** The body, valid against SIGN_BODY_SCHEMA. */
  body: SignRequestBody;
}

/**
 * `POST {tenant}/signet/v1/authorization-servers/{id}/sign` once authenticated and authorised, the
 * same whether Fastify (sign-routes.ts) or the fast path (create-fast-sign-handler.ts) received it:
 * the signature resource, or a rejection with a SignetError.
 */
export async function answerSignRequest(deps: SignRequestDeps, request: SignRequest) {
  const { tenant } = request;
  // Management surfaces accept JWTs of the default server for these audiences: a signed token
  // naming one would be a management credential, so no caller may ask for one.
  const bases = tenantBaseUrls(tenant.id, tenant.hostNames, deps);
  const result = await deps.services.signing.sign(request.principal, 'native', {
    tenantId: tenant.id,
    authorizationServerId: request.authorizationServerId,
    issuer: serverUrls(request.tenantBaseUrl, request.authorizationServerId).issuer,
    claims: request.body.claims,
    expiresIn: request.body.expiresIn,
    typ: request.body.typ,
    alg: request.body.alg,
    reservedAudiences: bases.flatMap(deps.managementAudiences),
  });
  return signatureResource(result);
}
