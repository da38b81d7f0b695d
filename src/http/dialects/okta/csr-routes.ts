import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CsrSubject } from '../../../crypto/create-csr.ts';
import { SignetError } from '../../../errors.ts';
import type { IdpCsr } from '../../../domain/types.ts';
import type { Services } from '../../../services/create-services.ts';
import { tenantIdOf } from '../../native/request-context.ts';
import { dialectContext } from '../shared/dialect-context.ts';
import { refuseOtherMethods } from '../shared/refuse-other-methods.ts';
import { IDP_MANAGE, IDP_READ, loadIdp } from './idp-routes.ts';
import { oktaNotFound } from './okta-not-found.ts';
import { idpCsrJson, idpSigningKeyJson } from './okta-resources.ts';
import { asOktaValidation, oktaValidationError } from './okta-validation-error.ts';

const CSRS = '/api/v1/idps/:idpId/credentials/csrs';
const SUBJECT_FIELDS = [
  'commonName',
  'countryName',
  'localityName',
  'organizationalUnitName',
  'organizationName',
  'stateOrProvinceName',
] as const;

/** The signed-certificate media types publish accepts (docs/vendor-contracts.md §2.3, Okta: publishCsrForIdentityProvider). */
export const CERTIFICATE_MEDIA_TYPES = [
  'application/pkix-cert',
  'application/x-x509-ca-cert',
  'application/x-pem-file',
] as const;

interface CsrParams {
  idpId: string;
  csrId: string;
}

/** True when the request asks for the PKCS#10 form (`Accept: application/pkcs10`) rather than JSON. */
function wantsPkcs10(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return /(^|,)\s*application\/pkcs10\s*(;|,|$)/i.test(accept) && !/(^|,)\s*application\/json\s*(;|,|$)/i.test(accept);
}

function readCsrMetadata(body: unknown): { subject: CsrSubject; dnsNames: string[] } {
  const { subject, subjectAltNames } = (body ?? {}) as { subject?: unknown; subjectAltNames?: unknown };
  if (subject === null || typeof subject !== 'object' || Array.isArray(subject))
    throw oktaValidationError('generateCsr', 'subject: The field cannot be left blank');
  const picked: CsrSubject = {};
  for (const field of SUBJECT_FIELDS) {
    const value = (subject as Record<string, unknown>)[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw oktaValidationError('generateCsr', `subject.${field} must be a string`);
    picked[field] = value;
  }
  const dnsNames = (subjectAltNames as { dnsNames?: unknown } | undefined)?.dnsNames ?? [];
  if (!Array.isArray(dnsNames) || !dnsNames.every((name) => typeof name === 'string') || dnsNames.length > 100) {
    throw oktaValidationError('generateCsr', 'subjectAltNames.dnsNames must be a list of DNS names');
  }
  return { subject: picked, dnsNames: dnsNames as string[] };
}

/**
 * IdP CSRs: create (key pair minted and sealed inside Signet), list, read as JSON or PKCS#10,
 * delete (the key pair with it), and publish the CA's certificate (DER, base64 DER with
 * `Content-Transfer-Encoding: base64`, CER, or PEM) into the IdP's signing keys.
 */
export async function oktaCsrRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const csrs = services.csrs;

  // Only this plugin reads certificate bodies: raw bytes, decoded below.
  app.addContentTypeParser([...CERTIFICATE_MEDIA_TYPES], { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );

  function send(request: FastifyRequest, reply: FastifyReply, csr: IdpCsr, status: number) {
    if (wantsPkcs10(request)) return reply.code(status).type('application/pkcs10').send(csr.csrDer);
    return reply.code(status).type('application/json; charset=utf-8').send(idpCsrJson(csr, request.resolved!.baseUrl));
  }

  async function load(request: FastifyRequest<{ Params: CsrParams }>): Promise<IdpCsr> {
    const { idpId, csrId } = request.params;
    await loadIdp(services, request, idpId);
    try {
      return await csrs.getCsr(tenantIdOf(request), idpId, csrId);
    } catch (error) {
      if (error instanceof SignetError && error.code === 'ERR_CSR_NOT_FOUND')
        throw oktaNotFound(error.code, csrId, 'IdPCsr');
      throw error;
    }
  }

  app.get<{ Params: { idpId: string } }>(CSRS, { config: IDP_READ }, async (request) => {
    const idp = await loadIdp(services, request, request.params.idpId);
    return (await csrs.listCsrs(idp.tenantId, idp.id)).map((csr) => idpCsrJson(csr, request.resolved!.baseUrl));
  });

  app.post<{ Params: { idpId: string }; Body: unknown }>(CSRS, { config: IDP_MANAGE }, async (request, reply) => {
    const idp = await loadIdp(services, request, request.params.idpId);
    const metadata = readCsrMetadata(request.body);
    const csr = await asOktaValidation('generateCsr', () =>
      csrs.createCsr(dialectContext(request), idp.tenantId, idp.id, metadata),
    );
    reply.header('location', `${request.resolved!.baseUrl}/api/v1/idps/${idp.id}/credentials/csrs/${csr.id}`);
    return send(request, reply, csr, 201);
  });
  refuseOtherMethods(app, CSRS, ['GET', 'POST'], 'okta');

  app.get<{ Params: CsrParams }>(`${CSRS}/:csrId`, { config: IDP_READ }, async (request, reply) =>
    send(request, reply, await load(request), 200),
  );

  app.delete<{ Params: CsrParams }>(`${CSRS}/:csrId`, { config: IDP_MANAGE }, async (request, reply) => {
    const csr = await load(request);
    await csrs.deleteCsr(dialectContext(request), csr.tenantId, csr.idpId, csr.id);
    return reply.code(204).send();
  });
  refuseOtherMethods(app, `${CSRS}/:csrId`, ['GET', 'DELETE'], 'okta');

  app.post<{ Params: CsrParams; Body: unknown }>(
    `${CSRS}/:csrId/lifecycle/publish`,
    { config: IDP_MANAGE },
    async (request, reply) => {
      const csr = await load(request);
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (
        !(CERTIFICATE_MEDIA_TYPES as readonly string[]).includes(contentType) ||
        !Buffer.isBuffer(request.body) ||
        request.body.length === 0
      ) {
        throw new SignetError(
          'ERR_UNSUPPORTED_MEDIA_TYPE',
          `the signed certificate must be sent as ${CERTIFICATE_MEDIA_TYPES.join(', ')}`,
          {
            errorSummary: 'Api validation failed: publishCsr',
            errorCauses: [`The signed certificate must be sent as ${CERTIFICATE_MEDIA_TYPES.join(', ')}`],
          },
        );
      }
      const base64 = /^base64$/i.test(String(request.headers['content-transfer-encoding'] ?? '').trim());
      const certificate = base64 ? request.body.toString('latin1') : request.body;
      const key = await asOktaValidation('publishCsr', () =>
        csrs.publishCsr(dialectContext(request), csr.tenantId, csr.idpId, csr.id, certificate),
      );
      return reply.code(201).send(idpSigningKeyJson(key));
    },
  );
  refuseOtherMethods(app, `${CSRS}/:csrId/lifecycle/publish`, ['POST'], 'okta');
}
