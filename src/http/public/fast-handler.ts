import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers a request straight from node:http, or returns false to leave it to Fastify. */
export type FastHandler = (request: IncomingMessage, response: ServerResponse) => boolean;
