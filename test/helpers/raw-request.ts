import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { ServingPath } from '../../src/http/request-rules.ts';
import type { TestContext } from './create-test-context.ts';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A request over a real socket to a listening app, so it meets the node:http server (and the fast
 * paths in front of Fastify), which `inject` never reaches.
 */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The same request as Fastify renders it, through `inject`. */
export async function viaFastify(
  context: TestContext,
  method: 'GET' | 'HEAD' | 'POST',
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawResponse> {
  const response = await context.app.inject({ method, url, headers, ...(body !== undefined ? { payload: body } : {}) });
  return { status: response.statusCode, headers: response.headers as IncomingHttpHeaders, body: response.body };
}

/** Error envelopes carry each request's own id; everything else must be equal. */
export function withoutRequestId(body: string): string {
  return body.replace(/"requestId":"[^"]*"/, '"requestId":""');
}

/** A socket response and the path that served it (the app's `onServed` hook, see createTestContext). */
export interface ServedResponse extends RawResponse {
  servedBy: ServingPath;
}

/** `rawRequest` that also reports which path served it: a fast handler or Fastify. */
export async function servedRequest(
  context: TestContext,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<ServedResponse> {
  const before = context.served.length;
  const response = await rawRequest(port, method, path, headers, body);
  if (context.served.length !== before + 1)
    throw new Error(`expected one request to be served, saw ${context.served.length - before}`);
  return { ...response, servedBy: context.served[before]! };
}
