// The raw limit for the token endpoint: a minimal node:http client_credentials endpoint with no
// framework, no TLS and no database, signing with a cached KeyObject. It checks the client as Signet
// does (SHA-256 of the secret, constant-time compare) and issues the same RFC 9068 claims.
// `node token-baseline-server.ts <alg>`; the client is `bench-client` / `bench-secret-...`.
import { createHash, generateKeyPairSync, randomUUID, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';

const alg = process.argv[2] ?? 'RS256';
const CLIENT = { id: 'bench-client', secret: 'bench-secret-0123456789abcdef0123456789abcdef' };
const secretHash = createHash('sha256').update(CLIENT.secret).digest();

const pair =
  alg === 'ES256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey: KeyObject = pair.privateKey;
const hash = alg === 'EdDSA' ? null : 'sha256';
const header = Buffer.from(JSON.stringify({ alg, typ: 'at+jwt', kid: 'baseline' })).toString('base64url');

// RFC 7518 §3.4: ES256 signatures are R || S, 32 bytes each; node:crypto returns DER.
function derToRaw(der: Buffer): Buffer {
  let offset = der[1]! & 0x80 ? 3 : 2;
  const out = Buffer.alloc(64);
  for (const half of [0, 1]) {
    const length = der[offset + 1]!;
    const value = der.subarray(offset + 2, offset + 2 + length);
    const trimmed = value.length > 32 ? value.subarray(value.length - 32) : value;
    trimmed.copy(out, half * 32 + 32 - trimmed.length);
    offset += 2 + length;
  }
  return out;
}

function authenticate(authorization: string | undefined): string | null {
  if (!authorization?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(authorization.slice(6), 'base64').toString();
  const colon = decoded.indexOf(':');
  const id = decodeURIComponent(decoded.slice(0, colon));
  const digest = createHash('sha256')
    .update(decodeURIComponent(decoded.slice(colon + 1)))
    .digest();
  return id === CLIENT.id && timingSafeEqual(digest, secretHash) ? id : null;
}

const server = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (body += chunk));
  request.on('end', () => {
    const params = new URLSearchParams(body);
    const clientId = authenticate(request.headers.authorization);
    if (request.method !== 'POST' || params.get('grant_type') !== 'client_credentials' || clientId === null) {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}');
      return;
    }
    const iat = Math.floor(Date.now() / 1000);
    const payload = {
      iss: `http://127.0.0.1:${port}`,
      sub: clientId,
      aud: 'api://default',
      exp: iat + 3600,
      iat,
      jti: randomUUID(),
      client_id: clientId,
      scope: 'read write',
    };
    const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    let signature: Buffer = sign(hash, Buffer.from(input), privateKey);
    if (alg === 'ES256') signature = derToRaw(signature);
    const token = `${input}.${signature.toString('base64url')}`;
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' });
    response.end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'read write' }));
  });
});
let port = 0;
server.listen(0, '127.0.0.1', () => {
  port = (server.address() as { port: number }).port;
  process.stdout.write(`ready ${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
