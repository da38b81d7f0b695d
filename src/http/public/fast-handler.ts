import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers a request straight from node:http, or returns false to leave it to Fastify. */
export type FastHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

/** The request id Fastify would give (`requestIdHeader: 'x-request-id'`, else a random UUID). */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && given !== '' ? given : randomUUID();
}
