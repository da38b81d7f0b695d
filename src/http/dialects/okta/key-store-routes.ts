import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SignetError } from '../../../errors.ts';
import type { Services } from '../../../services/create-services.ts';
import type { KeyStorePage } from '../../../storage/store.ts';
import { tenantIdOf } from '../../native/request-context.ts';
import { dialectContext } from '../shared/dialect-context.ts';
import { refuseOtherMethods } from '../shared/refuse-other-methods.ts';
import { IDP_MANAGE, IDP_READ } from './idp-routes.ts';
import { oktaNotFound } from './okta-not-found.ts';
import { keyStoreCredentialJson } from './okta-resources.ts';
import { asOktaValidation, oktaValidationError } from './okta-validation-error.ts';

const STORE = '/api/v1/idps/credentials/keys';
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 200;

/** The opaque `after` cursor of Okta's paging: the position of the last credential of a page. */
function encodeCursor(after: NonNullable<KeyStorePage['after']>): string {
  return Buffer.from(`${after.createdAt}.${after.kid}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): NonNullable<KeyStorePage['after']> {
  const match = /^(\d{1,16})\.(.{1,128})$/s.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw oktaValidationError('listIdentityProviderKeys', "Invalid value specified for key 'after' parameter");
  return { createdAt: Number(match[1]), kid: match[2]! };
}

function readX5c(body: unknown, operation: string): string[] {
  const x5c = (body as { x5c?: unknown } | null)?.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((entry) => typeof entry === 'string')) {
    throw oktaValidationError(
      operation,
      'x5c: The field cannot be left blank and must be a list of base64 DER certificates',
    );
  }
  return x5c as string[];
}

/**
 * The global IdP key store (tag IdentityProviderKeys). Deleting a credential an IdP still trusts
 * is refused with 400 E0000001 (`Api validation failed: deleteKey`), Okta's validation error,
 * since Okta documents no error for it (docs/vendor-contracts.md §5; docs/compatibility.md).
 */
export async function oktaKeyStoreRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const store = services.keyStore;

  async function load(request: FastifyRequest, kid: string) {
    try {
      return await store.getCredential(tenantIdOf(request), kid);
    } catch (error) {
      if (error instanceof SignetError && error.code === 'ERR_KEY_STORE_CREDENTIAL_NOT_FOUND')
        throw oktaNotFound(error.code, kid, 'IdPKeyCredential');
      throw error;
    }
  }

  app.get<{ Querystring: { after?: string; limit?: string } }>(STORE, { config: IDP_READ }, async (request, reply) => {
    const { after, limit: rawLimit } = request.query;
    const limit = rawLimit === undefined ? DEFAULT_LIMIT : /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) {
      throw oktaValidationError(
        'listIdentityProviderKeys',
        `Invalid value specified for key 'limit' parameter: it must be 1 to ${MAX_LIMIT}`,
      );
    }
    const page: KeyStorePage = { limit, ...(after !== undefined ? { after: decodeCursor(after) } : {}) };
    const result = await store.listCredentials(tenantIdOf(request), page);
    // RFC 8288 links, as Okta pages every collection; the SDK follows rel="next".
    const base = `${request.resolved!.baseUrl}${STORE}`;
    const links = [
      `<${base}?limit=${limit}${after !== undefined ? `&after=${encodeURIComponent(after)}` : ''}>; rel="self"`,
    ];
    if (result.next) links.push(`<${base}?after=${encodeCursor(result.next)}&limit=${limit}>; rel="next"`);
    reply.header('link', links);
    return result.items.map(keyStoreCredentialJson);
  });

  app.post<{ Body: unknown }>(STORE, { config: IDP_MANAGE }, async (request) => {
    const x5c = readX5c(request.body, 'addKey');
    return keyStoreCredentialJson(
      await asOktaValidation('addKey', () => store.addCredential(dialectContext(request), tenantIdOf(request), x5c)),
    );
  });
  refuseOtherMethods(app, STORE, ['GET', 'POST'], 'okta');

  app.get<{ Params: { kid: string } }>(`${STORE}/:kid`, { config: IDP_READ }, async (request) =>
    keyStoreCredentialJson(await load(request, request.params.kid)),
  );

  app.put<{ Params: { kid: string }; Body: unknown }>(`${STORE}/:kid`, { config: IDP_MANAGE }, async (request) => {
    await load(request, request.params.kid);
    const x5c = readX5c(request.body, 'replaceKey');
    const replaced = await asOktaValidation('replaceKey', () =>
      store.replaceCredential(dialectContext(request), tenantIdOf(request), request.params.kid, x5c),
    );
    return keyStoreCredentialJson(replaced);
  });

  app.delete<{ Params: { kid: string } }>(`${STORE}/:kid`, { config: IDP_MANAGE }, async (request, reply) => {
    await load(request, request.params.kid);
    try {
      await store.deleteCredential(dialectContext(request), tenantIdOf(request), request.params.kid);
    } catch (error) {
      if (error instanceof SignetError && error.code === 'ERR_KEY_IN_USE') {
        throw oktaValidationError('deleteKey', 'The key is in use by an identity provider and cannot be deleted.');
      }
      throw error;
    }
    return reply.code(204).send();
  });
  refuseOtherMethods(app, `${STORE}/:kid`, ['GET', 'PUT', 'DELETE'], 'okta');
}
