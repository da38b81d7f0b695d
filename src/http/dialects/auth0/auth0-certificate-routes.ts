import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { certificateSha1 } from '../../../crypto/certificate-sha1.ts';
import { certificatesOnlyPkcs7 } from '../../../crypto/certificates-only-pkcs7.ts';
import { toPem } from '../../../crypto/to-pem.ts';
import type { PublishedKey } from '../../../runtime/build-key-set-view.ts';
import { SignetError } from '../../../errors.ts';
import type { DialectDeps } from '../shared/dialect-deps.ts';
import { defaultKeySet } from '../shared/default-key-set.ts';

/**
 * Auth0's public certificate downloads of the current signing key: `/pem`, `/rawpem` (the PEM's
 * base64 lines without the armour), `/cer` (DER), `/pb7` (PKCS#7 PEM) and `/fingerprint` (SHA-1,
 * colon hex). They are read from memory, like the JWKS.
 */
export async function auth0CertificateRoutes(app: FastifyInstance, { registry }: DialectDeps): Promise<void> {
  const config = { surface: 'auth0' as const };

  function current(request: FastifyRequest, reply: FastifyReply): PublishedKey {
    const active = defaultKeySet(registry, request).keys.find((key) => key.state === 'active');
    if (!active) throw new SignetError('ERR_KEY_SET_NOT_INITIALISED', 'there is no current signing key');
    // The certificate changes with every rotation: a short shared cache, like discovery.
    reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*');
    return active;
  }
  const attachment = (request: FastifyRequest, extension: string) =>
    `attachment; filename="${request.resolved!.tenant.id}.${extension}"`;
  const pem = (key: PublishedKey) => toPem('CERTIFICATE', Buffer.from(key.certificateDer, 'base64'), '\r\n');

  app.get('/pem', { config }, async (request, reply) => {
    const key = current(request, reply);
    return reply
      .type('application/x-pem-file')
      .header('content-disposition', attachment(request, 'pem'))
      .send(pem(key));
  });
  app.get('/rawpem', { config }, async (request, reply) => {
    const key = current(request, reply);
    return reply.type('text/plain; charset=utf-8').send(pem(key).split('\r\n').slice(1, -1).join('\r\n'));
  });
  app.get('/cer', { config }, async (request, reply) => {
    const key = current(request, reply);
    return reply
      .type('application/pkix-cert')
      .header('content-disposition', attachment(request, 'cer'))
      .send(Buffer.from(key.certificateDer, 'base64'));
  });
  app.get('/pb7', { config }, async (request, reply) => {
    const key = current(request, reply);
    return reply
      .type('application/x-pkcs7-certificates')
      .header('content-disposition', attachment(request, 'pb7'))
      .send(toPem('PKCS7', certificatesOnlyPkcs7([key.certificateDer]), '\r\n'));
  });
  app.get('/fingerprint', { config }, async (request, reply) => {
    const key = current(request, reply);
    return reply.type('text/plain; charset=utf-8').send(certificateSha1(key.certificateDer).fingerprint);
  });
}
