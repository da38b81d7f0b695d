import type { FastifyInstance } from 'fastify';

/**
 * Lets a dialect's body-less operations (rotate, revoke) be called the way vendor clients call
 * them: with `Content-Type: application/json` and no body at all, which Fastify's default parser
 * refuses. A non-empty body still goes through the default (prototype-poisoning-safe) parser.
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    parseJson(request, body as string, done);
  });
}
