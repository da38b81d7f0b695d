import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ONELOGIN_MANAGE_ALL } from '../../../domain/scope-catalog.ts';
import type { Key } from '../../../domain/types.ts';
import { SignetError } from '../../../errors.ts';
import { tenantIdOf } from '../../native/request-context.ts';
import { dialectContext } from '../shared/dialect-context.ts';
import type { DialectDeps } from '../shared/dialect-deps.ts';
import { defaultKeySet } from '../shared/default-key-set.ts';
import { refuseOtherMethods } from '../shared/refuse-other-methods.ts';
import { toOneLoginKey, type OneLoginKey } from './onelogin-key.ts';

const config = { surface: 'onelogin' as const, vendorScopes: [ONELOGIN_MANAGE_ALL] };
const kidParams = {
  type: 'object',
  required: ['kid'],
  properties: { kid: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

/**
 * OneLogin's OIDC v2 signing-key API over the default server's key set: list (active and draining),
 * get, rotate (`POST`, 200 with the new active key) and revoke (`DELETE`, 204, draining keys only).
 */
export async function oneLoginKeyRoutes(app: FastifyInstance, { services, registry }: DialectDeps): Promise<void> {
  async function visibleKey(
    request: FastifyRequest<{ Params: { kid: string } }>,
  ): Promise<{ key: Key; body: OneLoginKey }> {
    const keySetId = defaultKeySet(registry, request).keySet.id;
    const key = await services.keys
      .getKey(tenantIdOf(request), keySetId, request.params.kid)
      .catch((error: unknown) => {
        throw error instanceof SignetError && error.code === 'ERR_KEY_NOT_FOUND' ? notFound(request.params.kid) : error;
      });
    const body = toOneLoginKey(key);
    if (!body) throw notFound(request.params.kid);
    return { key, body };
  }

  app.get('/oidc/2/signing_keys', { config }, async (request) => {
    const keySetId = defaultKeySet(registry, request).keySet.id;
    const keys = await services.keys.listKeys(tenantIdOf(request), keySetId, ['active', 'draining']);
    // The active key first, then draining keys newest first.
    const ordered = keys.sort((a, b) => rank(a) - rank(b) || (b.drainingSince ?? 0) - (a.drainingSince ?? 0));
    return ordered.map(toOneLoginKey).filter((body) => body !== undefined);
  });

  app.post('/oidc/2/signing_keys', { config }, async (request) => {
    const keySetId = defaultKeySet(registry, request).keySet.id;
    // "Rotate now": the pre-published next key becomes active and every other key drains.
    const result = await services.keys.rotate(dialectContext(request), tenantIdOf(request), keySetId, 'vendor');
    return toOneLoginKey(result.keys.find((key) => key.state === 'active')!);
  });

  app.get<{ Params: { kid: string } }>(
    '/oidc/2/signing_keys/:kid',
    { config, schema: { params: kidParams } },
    async (request) => (await visibleKey(request)).body,
  );

  app.delete<{ Params: { kid: string } }>(
    '/oidc/2/signing_keys/:kid',
    { config, schema: { params: kidParams } },
    async (request, reply) => {
      const { key } = await visibleKey(request);
      if (key.state === 'active') {
        throw new SignetError(
          'ERR_KEY_ACTIVE',
          'You must have an active signing key at all times; only keys in the draining state can be revoked',
          { kid: key.kid },
        );
      }
      await services.keys.revoke(dialectContext(request), tenantIdOf(request), key.keySetId, key.kid);
      return reply.code(204).send();
    },
  );

  refuseOtherMethods(app, '/oidc/2/signing_keys', ['GET', 'POST'], 'onelogin');
  refuseOtherMethods(app, '/oidc/2/signing_keys/:kid', ['GET', 'DELETE'], 'onelogin');
}

function rank(key: Key): number {
  return key.state === 'active' ? 0 : 1;
}

function notFound(kid: string): SignetError {
  return new SignetError('ERR_KEY_NOT_FOUND', `signing key ${kid} not found`, { kid });
}
