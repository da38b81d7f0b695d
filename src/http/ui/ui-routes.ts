import type { FastifyInstance, FastifyReply } from 'fastify';
import { SignetError } from '../../errors.ts';
import type { SurfaceRouteOptions } from '../surface-descriptor.ts';

/**
 * The dashboard may run only its own scripts and styles and talk only to its own origin; no
 * inline script, no eval, no framing, and (Trusted Types) no HTML strings turned into markup.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', UI_CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('cross-origin-resource-policy', 'same-origin');
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The dashboard at `{tenant base}/ui/`: one HTML page (never cached, it names the current assets)
 * and its files under `assets/{digest}/`, cached for a year since a new release changes the digest.
 * It is static: every datum comes from the native API, which the page calls with the credential
 * the person signs in with.
 */
export async function uiRoutes(
  app: FastifyInstance,
  { uiAssets: assets, rootTenantId }: SurfaceRouteOptions,
): Promise<void> {
  const config = { surface: 'ui' };
  // A relative redirect keeps whatever prefix (/t/{tenant}, a proxy's path) the request came through.
  app.get('/ui', { config }, async (_request, reply) => reply.code(308).header('location', 'ui/').send());

  app.get('/ui/', { config }, async (request, reply) => {
    const tenant = request.resolved!.tenant;
    const html = assets.indexTemplate
      .replaceAll('%ASSETS%', `assets/${assets.digest}`)
      .replaceAll('%TENANT_ID%', escapeHtml(tenant.id))
      .replaceAll('%TENANT_NAME%', escapeHtml(tenant.displayName))
      .replaceAll('%ROOT_TENANT%', tenant.id === rootTenantId ? 'true' : 'false');
    return secure(reply).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  });

  app.get<{ Params: { digest: string; '*': string } }>('/ui/assets/:digest/*', { config }, async (request, reply) => {
    const file = request.params.digest === assets.digest ? assets.files.get(request.params['*']) : undefined;
    if (!file) throw new SignetError('ERR_NOT_FOUND', 'no such dashboard file');
    return secure(reply).header('cache-control', IMMUTABLE).type(file.contentType).send(file.body);
  });
}
