import type { FastifyInstance, FastifyRequest } from 'fastify';
import { holdsVendorScope } from '../../../domain/scope-catalog.ts';
import { SignetError } from '../../../errors.ts';
import { authenticate, type ManagementAudience } from '../../authenticate.ts';
import type { SurfaceRouteOptions } from '../../surface-descriptor.ts';

/**
 * Adds the management guard of one dialect to its plugin (before the body is read, so a caller
 * without credentials learns nothing else first): a route whose config names
 * `vendorScopes` needs a credential of the addressed tenant (an API token, `SSWS` for Okta, or a
 * JWT for the management audience of the dialect's descriptor) holding every one of them, directly or through the
 * Signet scopes each stands for. A credential of another tenant is an invalid token to a vendor
 * API (401), as it would be to the vendor.
 */
export function guardDialect(app: FastifyInstance, deps: SurfaceRouteOptions): void {
  const { managementAudience } = deps.descriptor;
  if (!managementAudience) throw new Error(`surface ${deps.descriptor.name} has no management audience`);
  const audience: ManagementAudience = managementAudience;
  const options = { ...deps, credentials: deps.services.credentials };
  async function check(request: FastifyRequest, required: readonly string[]): Promise<void> {
    const principal = await authenticate(
      { authorization: request.headers.authorization, tenant: request.resolved!.tenant },
      options,
      audience,
    );
    if (principal.tenantId !== request.resolved!.tenant.id)
      throw new SignetError('ERR_UNAUTHENTICATED', 'this credential belongs to another tenant');
    const missing = required.filter((scope) => !holdsVendorScope(principal.scopes, scope));
    if (missing.length > 0) {
      const message =
        request.routeOptions.config.forbiddenMessage ?? `insufficient scope: ${required.join(' and ')} required`;
      throw new SignetError('ERR_FORBIDDEN', message, { requiredScopes: [...required] });
    }
    request.principal = principal;
  }
  // A callback hook: the dialects' public routes (JWKS, token endpoints) pay for no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const required = request.routeOptions.config.vendorScopes;
    if (!required) {
      done();
      return;
    }
    check(request, required).then(() => done(), done);
  });
}
