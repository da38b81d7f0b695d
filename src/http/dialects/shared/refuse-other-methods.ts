import type { FastifyInstance, HTTPMethods } from 'fastify';
import { SignetError } from '../../../errors.ts';
import type { Surface } from '../../fastify-types.ts';

const METHODS: readonly HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Answers every method a dialect path does not serve with 405 and an `Allow` header, in the
 * dialect's envelope (Okta E0000022), instead of Fastify's route-not-found.
 */
export function refuseOtherMethods(
  app: FastifyInstance,
  path: string,
  allowed: readonly HTTPMethods[],
  surface: Surface,
): void {
  const refused = METHODS.filter((method) => !allowed.includes(method));
  if (refused.length === 0) return;
  app.route({
    method: refused,
    url: path,
    config: { surface },
    handler: async (request) => {
      throw new SignetError('ERR_METHOD_NOT_ALLOWED', `${request.method} is not supported on this endpoint`, {
        allow: [...allowed],
      });
    },
  });
}
