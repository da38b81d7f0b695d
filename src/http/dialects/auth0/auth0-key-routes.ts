import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Key } from '../../../domain/types.ts';
import { SignetError } from '../../../errors.ts';
import { tenantIdOf } from '../../native/request-context.ts';
import { dialectContext } from '../shared/dialect-context.ts';
import type { DialectDeps } from '../shared/dialect-deps.ts';
import { defaultKeySet } from '../shared/default-key-set.ts';
import { refuseOtherMethods } from '../shared/refuse-other-methods.ts';
import { auth0CertificatePem, toAuth0Key } from './auth0-key.ts';

// Auth0's exact 403 messages (docs/vendor-contracts.md §3), one per operation.
const read = {
  surface: 'auth0' as const,
  vendorScopes: ['read:signing_keys'],
  forbiddenMessage: 'Insufficient scope, expected any of: read:signing_keys',
};
const rotate = {
  surface: 'auth0' as const,
  vendorScopes: ['create:signing_keys', 'update:signing_keys'],
  forbiddenMessage: 'Insufficient scope; expected create:signing_keys and update:signing_keys.',
};
const revoke = {
  surface: 'auth0' as const,
  vendorScopes: ['update:signing_keys'],
  forbiddenMessage: 'Insufficient scope; expected any of: update:signing_keys.',
};
const kidParams = {
  type: 'object',
  required: ['kid'],
  properties: { kid: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;
const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;
/** The Dashboard shows the last three revoked keys; the list does the same. */
const REVOKED_LISTED = 3;

/**
 * Auth0's Management API signing keys over the default server's key set: list, get, rotate
 * (201 with the new next key) and revoke (200; previously used keys only).
 */
export async function auth0KeyRoutes(app: FastifyInstance, { services, registry }: DialectDeps): Promise<void> {
  async function findKey(request: FastifyRequest<{ Params: { kid: string } }>): Promise<Key> {
    const keySetId = defaultKeySet(registry, request).keySet.id;
    const key = await services.keys
      .getKey(tenantIdOf(request), keySetId, request.params.kid)
      .catch((error: unknown) => {
        throw error instanceof SignetError && error.code === 'ERR_KEY_NOT_FOUND' ? notFound(request.params.kid) : error;
      });
    // A retired key has left every list and JWKS: Auth0 no longer knows it.
    if (key.state === 'retired') throw notFound(key.kid);
    return key;
  }

  app.get('/api/v2/keys/signing', { config: read, schema: { querystring: noQuery } }, async (request) => {
    const keySetId = defaultKeySet(registry, request).keySet.id;
    const keys = await services.keys.listKeys(tenantIdOf(request), keySetId, ['active', 'next', 'draining', 'revoked']);
    const revoked = keys
      .filter((key) => key.state === 'revoked')
      .sort((a, b) => (b.revokedAt ?? 0) - (a.revokedAt ?? 0))
      .slice(0, REVOKED_LISTED);
    const draining = keys
      .filter((key) => key.state === 'draining')
      .sort((a, b) => (b.drainingSince ?? 0) - (a.drainingSince ?? 0));
    const ordered = [
      ...keys.filter((key) => key.state === 'active'),
      ...keys.filter((key) => key.state === 'next'),
      ...draining,
      ...revoked,
    ];
    return ordered.map(toAuth0Key);
  });

  app.get<{ Params: { kid: string } }>(
    '/api/v2/keys/signing/:kid',
    { config: read, schema: { params: kidParams, querystring: noQuery } },
    async (request) => toAuth0Key(await findKey(request)),
  );

  app.post(
    '/api/v2/keys/signing/rotate',
    { config: rotate, schema: { querystring: noQuery } },
    async (request, reply) => {
      const keySetId = defaultKeySet(registry, request).keySet.id;
      const result = await services.keys.rotate(dialectContext(request), tenantIdOf(request), keySetId, 'vendor');
      // "Next key certificate" / "Next key id" (RotateSigningKeysResponseContent): the key queued by this rotation.
      const next =
        result.created ??
        result.keys.find((key) => key.state === 'next') ??
        result.keys.find((key) => key.state === 'active')!;
      return reply.code(201).send({ cert: auth0CertificatePem(next), kid: next.kid });
    },
  );

  app.put<{ Params: { kid: string } }>(
    '/api/v2/keys/signing/:kid/revoke',
    { config: revoke, schema: { params: kidParams, querystring: noQuery } },
    async (request) => {
      const key = await findKey(request);
      if (key.state === 'active')
        throw new SignetError(
          'ERR_KEY_ACTIVE',
          'The current signing key cannot be revoked; you can only revoke the previously used signing key.',
          { kid: key.kid },
        );
      if (key.state === 'next')
        throw new SignetError(
          'ERR_INVALID_TRANSITION',
          'The next signing key cannot be revoked; you can only revoke the previously used signing key.',
          { kid: key.kid },
        );
      if (key.state === 'revoked')
        throw new SignetError('ERR_INVALID_TRANSITION', 'The signing key is already revoked.', { kid: key.kid });
      const result = await services.keys.revoke(dialectContext(request), tenantIdOf(request), key.keySetId, key.kid);
      const revoked = result.changed.find((changed) => changed.kid === key.kid)!;
      return { cert: auth0CertificatePem(revoked), kid: revoked.kid };
    },
  );

  refuseOtherMethods(app, '/api/v2/keys/signing', ['GET'], 'auth0');
  refuseOtherMethods(app, '/api/v2/keys/signing/:kid', ['GET'], 'auth0');
  refuseOtherMethods(app, '/api/v2/keys/signing/rotate', ['POST'], 'auth0');
  refuseOtherMethods(app, '/api/v2/keys/signing/:kid/revoke', ['PUT'], 'auth0');
}

function notFound(kid: string): SignetError {
  return new SignetError('ERR_KEY_NOT_FOUND', 'Signing key not found.', { kid });
}
