// The raw limit for the JWKS: plain node:http serving the same bytes with the same headers
// (ETag, Cache-Control, CORS) and answering If-None-Match with 304. `node jwks-baseline-server.ts <file>`.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.argv[2]!);
const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

const server = createServer((request, response) => {
  response.setHeader('cache-control', 'public, max-age=3600, must-revalidate');
  response.setHeader('etag', etag);
  response.setHeader('access-control-allow-origin', '*');
  if (request.headers['if-none-match'] === etag) {
    response.statusCode = 304;
    response.end();
    return;
  }
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`ready ${(server.address() as { port: number }).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
