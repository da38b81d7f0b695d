import type { FastifyInstance } from 'fastify';
import { SignetError } from '../../../errors.ts';
import type { Services } from '../../../services/create-services.ts';
import { tenantIdOf } from '../../native/request-context.ts';
import { dialectContext } from '../shared/dialect-context.ts';
import { refuseOtherMethods } from '../shared/refuse-other-methods.ts';
import { IDP_MANAGE, IDP_READ, loadIdp } from './idp-routes.ts';
import { oktaNotFound } from './okta-not-found.ts';
import { idpSigningKeyJson } from './okta-resources.ts';
import { oktaValidationError } from './okta-validation-error.ts';

const KEYS = '/api/v1/idps/:idpId/credentials/keys';

/**
 * Per-IdP signing keys (tag IdentityProviderSigningKeys): the published keys of the IdP's key
 * set. A generated or cloned key enters as the next key and signs only once the IdP is PUT with
 * its kid in `protocol.credentials.signing.kid`.
 */
export async function oktaIdpSigningKeyRoutes(
  app: FastifyInstance,
  { services }: { services: Services },
): Promise<void> {
  const idps = services.identityProviders;

  app.get<{ Params: { idpId: string } }>(KEYS, { config: IDP_READ }, async (request) => {
    const idp = await loadIdp(services, request, request.params.idpId);
    return (await idps.listSigningKeys(idp.tenantId, idp.id)).map(idpSigningKeyJson);
  });
  refuseOtherMethods(app, KEYS, ['GET'], 'okta');

  app.get<{ Params: { idpId: string } }>(`${KEYS}/active`, { config: IDP_READ }, async (request, reply) => {
    const idp = await loadIdp(services, request, request.params.idpId);
    const active = await idps.getActiveSigningKey(idp.tenantId, idp.id);
    return active ? [idpSigningKeyJson(active)] : reply.code(204).send();
  });
  refuseOtherMethods(app, `${KEYS}/active`, ['GET'], 'okta');

  app.post<{ Params: { idpId: string }; Querystring: { validityYears?: string } }>(
    `${KEYS}/generate`,
    { config: IDP_MANAGE },
    async (request) => {
      const idp = await loadIdp(services, request, request.params.idpId);
      const raw = request.query.validityYears;
      const validityYears = raw !== undefined && /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(validityYears >= 2 && validityYears <= 10)) {
        throw oktaValidationError('generateKey', 'Validity years out of range. It should be 2 - 10 years');
      }
      return idpSigningKeyJson(
        await idps.generateSigningKey(dialectContext(request), idp.tenantId, idp.id, validityYears),
      );
    },
  );
  refuseOtherMethods(app, `${KEYS}/generate`, ['POST'], 'okta');

  app.get<{ Params: { idpId: string; kid: string } }>(`${KEYS}/:kid`, { config: IDP_READ }, async (request) => {
    const idp = await loadIdp(services, request, request.params.idpId);
    try {
      return idpSigningKeyJson(await idps.getSigningKey(idp.tenantId, idp.id, request.params.kid));
    } catch (error) {
      if (error instanceof SignetError && error.code === 'ERR_KEY_NOT_FOUND')
        throw oktaNotFound('ERR_KEY_NOT_FOUND', request.params.kid, 'IdPKeyCredential');
      throw error;
    }
  });
  refuseOtherMethods(app, `${KEYS}/:kid`, ['GET'], 'okta');

  app.post<{ Params: { idpId: string; kid: string }; Querystring: { targetIdpId?: string } }>(
    `${KEYS}/:kid/clone`,
    { config: IDP_MANAGE },
    async (request, reply) => {
      const { idpId, kid } = request.params;
      const targetIdpId = request.query.targetIdpId;
      const idp = await loadIdp(services, request, idpId);
      if (!targetIdpId) throw oktaValidationError('cloneKey', 'targetIdpId: The field cannot be left blank');
      await loadIdp(services, request, targetIdpId);
      try {
        const key = await idps.cloneSigningKey(dialectContext(request), tenantIdOf(request), idp.id, kid, targetIdpId);
        return reply.code(201).send(idpSigningKeyJson(key));
      } catch (error) {
        if (error instanceof SignetError && error.code === 'ERR_ALREADY_EXISTS') {
          throw oktaValidationError(
            'cloneKey',
            'Key already exists in the list of key credentials for the target app.',
          );
        }
        if (error instanceof SignetError && error.code === 'ERR_KEY_NOT_FOUND')
          throw oktaNotFound('ERR_KEY_NOT_FOUND', kid, 'IdPKeyCredential');
        if (error instanceof SignetError && error.code === 'ERR_VALIDATION')
          throw oktaValidationError('cloneKey', error.message);
        throw error;
      }
    },
  );
  refuseOtherMethods(app, `${KEYS}/:kid/clone`, ['POST'], 'okta');
}
