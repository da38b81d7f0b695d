import type { RouteOptions } from 'fastify';

/** The members of a route schema this collector reads. */
interface RouteSchema {
  summary?: string;
  description?: string;
  tags?: string[];
  params?: { properties?: Record<string, unknown> };
  querystring?: { properties?: Record<string, unknown> };
  body?: unknown;
  response?: Record<string, unknown>;
}

/**
 * Builds the OpenAPI 3.1 document of the native API from the JSON Schemas its routes already
 * validate with, so the document cannot drift from the code.
 */
export function createOpenApiCollector(info: { title: string; version: string; pathPrefix: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  return {
    /** Records a route registered at the root tenant (an `onRoute` hook). */
    collect(route: RouteOptions): void {
      const url = route.url;
      if (!url.startsWith(info.pathPrefix) || url.startsWith('/t/') || !route.schema) return;
      const schema = route.schema as RouteSchema;
      const path = url.replace(/:([A-Za-z]+)/g, '{$1}');
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
      const parameters = [
        ...Object.entries(schema.params?.properties ?? {}).map(([name, s]) => ({
          name,
          in: 'path',
          required: true,
          schema: s,
        })),
        ...Object.entries(schema.querystring?.properties ?? {}).map(([name, s]) => ({
          name,
          in: 'query',
          required: false,
          schema: s,
        })),
      ];
      const responses: Record<string, unknown> = {};
      for (const [status, body] of Object.entries(schema.response ?? {})) {
        responses[status.toUpperCase()] = {
          description: status.startsWith('2') ? 'Success' : 'Error in the native envelope',
          content: { 'application/json': { schema: body } },
        };
      }
      if (Object.keys(responses).every((status) => !status.startsWith('2')))
        responses['204'] = { description: 'No content' };
      const scope = (route.config as { scope?: string } | undefined)?.scope;
      for (const method of methods) {
        (paths[path] ??= {})[method.toLowerCase()] = {
          summary: schema.summary,
          ...(schema.description ? { description: schema.description } : {}),
          tags: schema.tags,
          parameters,
          ...(schema.body
            ? { requestBody: { required: true, content: { 'application/json': { schema: schema.body } } } }
            : {}),
          responses,
          ...(scope ? { security: [{ bearer: [scope] }], 'x-required-scope': scope } : { security: [] }),
        };
      }
    },
    /** The OpenAPI document. */
    document(serverUrl: string): Record<string, unknown> {
      return {
        openapi: '3.1.0',
        info: {
          title: info.title,
          version: info.version,
          description:
            'Signet native management API. Every tenant serves it under its base URL (`/`, `/t/{tenant}` or a claimed host).',
        },
        servers: [{ url: serverUrl }],
        components: {
          securitySchemes: {
            bearer: {
              type: 'http',
              scheme: 'bearer',
              description: 'An API token (sgt_...) or a JWT access token for audience urn:signet:management',
            },
          },
        },
        paths,
      };
    },
  };
}
