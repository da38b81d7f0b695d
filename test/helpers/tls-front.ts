import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import { webcrypto } from 'node:crypto';
import { x509 } from '../../src/crypto/x509.ts';
import { freePort } from './spawn-signet.ts';

export interface TlsFront {
  url: string;
  host: string;
  /** The self-signed server certificate, to trust with tls.setDefaultCACertificates. */
  certificatePem: string;
  close(): Promise<void>;
}

/**
 * An HTTPS front for a plain-HTTP Signet on loopback, for vendor SDKs that only speak
 * `https://{domain}` (the auth0 v5 ManagementClient builds `https://${domain}/api/v2`). It passes
 * requests through unchanged, Host header included.
 */
export async function startTlsFront(target: string): Promise<TlsFront> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=127.0.0.1',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3_600_000),
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }])],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64')}\n-----END PRIVATE KEY-----\n`;
  const certificatePem = certificate.toString('pem');
  const targetUrl = new URL(target);
  const server: Server = createServer({ key: keyPem, cert: certificatePem }, (incoming, outgoing) => {
    const forwarded = httpRequest(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    certificatePem,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
