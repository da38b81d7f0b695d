import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IdentityProvider, IdentityProviderStatus } from '../../../domain/types.ts';
import type { Services } from '../../../services/create-services.ts';
import type { UpdateIdentityProviderInput } from '../../../services/create-identity-provider-service.ts';
import { tenantIdOf } from '../../native/request-context.ts';
import { dialectContext } from '../shared/dialect-context.ts';
import { refuseOtherMethods } from '../shared/refuse-other-methods.ts';
import { withOktaNotFound } from './okta-not-found.ts';
import { identityProviderJson, type OktaIdpSettings } from './okta-resources.ts';
import { asOktaValidation, oktaValidationError } from './okta-validation-error.ts';

export const IDP_READ = { surface: 'okta' as const, vendorScopes: ['okta.idps.read'] };
export const IDP_MANAGE = { surface: 'okta' as const, vendorScopes: ['okta.idps.manage'] };

interface IdpParams {
  idpId: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Loads an IdP of the addressed tenant, as Okta's 404 when it does not exist. */
export function loadIdp(services: Services, request: FastifyRequest, idpId: string): Promise<IdentityProvider> {
  return withOktaNotFound(['ERR_IDENTITY_PROVIDER_NOT_FOUND'], idpId, 'IdentityProvider', () =>
    services.identityProviders.getIdentityProvider(tenantIdOf(request), idpId),
  );
}

/**
 * Reads an Okta IdentityProvider body into Signet's fields: key references from
 * `protocol.credentials`, the rest of `protocol`, `policy` and `issuerMode` kept as settings.
 * `protocol.credentials.client` (an OIDC client secret for the upstream IdP) is not stored.
 */
function readIdpBody(body: unknown, operation: string) {
  if (!isObject(body)) throw oktaValidationError(operation, 'The request body must be an identity provider object');
  const { type, name, status, protocol, policy, issuerMode } = body;
  if (typeof type !== 'string') throw oktaValidationError(operation, 'type: The field cannot be left blank');
  if (typeof name !== 'string') throw oktaValidationError(operation, 'name: The field cannot be left blank');
  if (status !== undefined && status !== 'ACTIVE' && status !== 'INACTIVE')
    throw oktaValidationError(operation, 'status: must be ACTIVE or INACTIVE');
  if (!isObject(protocol) || typeof protocol.type !== 'string')
    throw oktaValidationError(operation, 'protocol.type: The field cannot be left blank');
  const { type: protocolType, credentials, ...protocolRest } = protocol;
  const creds = isObject(credentials) ? credentials : {};
  const trust = isObject(creds.trust) ? creds.trust : {};
  const signing = isObject(creds.signing) ? creds.signing : {};
  const { kid: trustKid, ...trustRest } = trust;
  if (trustKid !== undefined && trustKid !== null && typeof trustKid !== 'string')
    throw oktaValidationError(operation, 'protocol.credentials.trust.kid must be a string');
  if (signing.kid !== undefined && typeof signing.kid !== 'string')
    throw oktaValidationError(operation, 'protocol.credentials.signing.kid must be a string');
  const settings: OktaIdpSettings = {
    protocol: protocolRest,
    ...(Object.keys(trustRest).length > 0 ? { trust: trustRest } : {}),
    ...(policy !== undefined ? { policy } : {}),
    ...(issuerMode !== undefined ? { issuerMode } : {}),
  };
  return {
    type,
    name,
    protocolType: protocolType as string,
    settings: settings as Record<string, unknown>,
    ...(status !== undefined ? { status: status as IdentityProviderStatus } : {}),
    trustKid: (trustKid as string | null | undefined) ?? null,
    signingKid: signing.kid as string | undefined,
  };
}

/** Okta identity providers: create (200, as Okta answers), list, read and replace (docs/vendor-contracts.md §2.3). */
export async function oktaIdpRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  async function idpJson(request: FastifyRequest, idp: IdentityProvider) {
    const active = await services.identityProviders.getActiveSigningKey(idp.tenantId, idp.id);
    return identityProviderJson(idp, active?.kid, request.resolved!.baseUrl);
  }

  app.get<{ Querystring: { type?: string; q?: string } }>('/api/v1/idps', { config: IDP_READ }, async (request) => {
    const { type, q } = request.query;
    const idps = (await services.identityProviders.listIdentityProviders(tenantIdOf(request))).filter(
      (idp) =>
        (type === undefined || idp.type === type) &&
        (q === undefined || idp.name.toLowerCase().startsWith(q.toLowerCase())),
    );
    return Promise.all(idps.map((idp) => idpJson(request, idp)));
  });

  app.post<{ Body: unknown }>('/api/v1/idps', { config: IDP_MANAGE }, async (request) => {
    const input = readIdpBody(request.body, 'createIdentityProvider');
    const { signingKid: _ignored, ...fields } = input;
    const idp = await asOktaValidation('createIdentityProvider', () =>
      services.identityProviders.createIdentityProvider(dialectContext(request), tenantIdOf(request), fields),
    );
    return idpJson(request, idp);
  });
  refuseOtherMethods(app, '/api/v1/idps', ['GET', 'POST'], 'okta');

  app.get<{ Params: IdpParams }>('/api/v1/idps/:idpId', { config: IDP_READ }, async (request) =>
    idpJson(request, await loadIdp(services, request, request.params.idpId)),
  );

  app.put<{ Params: IdpParams; Body: unknown }>('/api/v1/idps/:idpId', { config: IDP_MANAGE }, async (request) => {
    const { idpId } = request.params;
    await loadIdp(services, request, idpId);
    const { signingKid, ...fields } = readIdpBody(request.body, 'updateIdentityProvider');
    const patch: UpdateIdentityProviderInput = { ...fields, ...(signingKid !== undefined ? { signingKid } : {}) };
    const idp = await asOktaValidation('updateIdentityProvider', () =>
      services.identityProviders.updateIdentityProvider(dialectContext(request), tenantIdOf(request), idpId, patch),
    );
    return idpJson(request, idp);
  });
  refuseOtherMethods(app, '/api/v1/idps/:idpId', ['GET', 'PUT'], 'okta');
}
