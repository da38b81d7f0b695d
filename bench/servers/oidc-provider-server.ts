// oidc-provider configured for client_credentials with JWT access tokens signed with one algorithm,
// the peer a Node user would otherwise pick. Started by the bench: `node oidc-provider-server.ts <alg> <keys>`.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const alg = (process.argv[2] ?? 'RS256') as 'RS256' | 'ES256' | 'EdDSA';
// Two published keys for RS256, like Signet's active and next key, so the JWKS documents compare.
const keyCount = Number(process.argv[3] ?? '1');
const CLIENT = { id: 'bench-client', secret: 'bench-secret-0123456789abcdef0123456789abcdef' };

function privateJwk(): Record<string, unknown> {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...pair.privateKey.export({ format: 'jwk' }), alg, use: 'sig' };
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        scope: 'read write',
        id_token_signed_response_alg: alg,
      },
    ],
    jwks: { keys: Array.from({ length: keyCount }, privateJwk) as never },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'api://default',
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'read write',
          audience: 'api://default',
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg } },
        }),
      },
    },
    scopes: ['read', 'write'],
    enabledJWA: { idTokenSigningAlgValues: [alg] } as never,
  });
  provider.proxy = false;
  // Keep its event logging out of the measurement.
  provider.on('server_error', (_ctx, error) => process.stderr.write(`server_error ${String(error)}\n`));
  server.on('request', provider.callback());
  process.stdout.write(`ready ${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
