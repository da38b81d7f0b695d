import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { AuthenticationClient, ManagementClient, ManagementError, Management } from 'auth0';
import { freePort, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';
import { startTlsFront, type TlsFront } from '../helpers/tls-front.ts';

const ADMIN_TOKEN = 'sgt_auth0-sdk-admin';

/**
 * The official `auth0` Node SDK (v5 ManagementClient), unmodified, against a spawned Signet. The
 * SDK only speaks `https://{domain}`, so Signet runs with its public base URL on an HTTPS front on
 * loopback whose self-signed certificate this process trusts; the SDK is configured with nothing
 * but that domain and credentials.
 */
describe('auth0 SDK against signet serve', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-auth0-'));
  const defaultCAs = getCACertificates('default');
  let signet: SpawnedSignet;
  let front: TlsFront;
  let domain: string;

  before(async () => {
    const port = await freePort();
    // The front must exist first: Signet's issuer and Auth0 audience are named after its URL.
    front = await startTlsFront(`http://127.0.0.1:${port}`);
    domain = front.host;
    setDefaultCACertificates([...defaultCAs, front.certificatePem]);
    signet = await spawnSignet({
      dataDir,
      port,
      env: { SIGNET_BASE_URL: front.url, SIGNET_BOOTSTRAP_API_TOKEN: ADMIN_TOKEN, SIGNET_LOG_LEVEL: 'warn' },
    });
  });
  after(async () => {
    await signet?.stop();
    await front?.close();
    setDefaultCACertificates(defaultCAs);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Creates an API client or token through the native API (as an operator would). */
  const native = async (path: string, body: unknown) => {
    const response = await fetch(`${signet.url}/signet/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 201);
    return response.json() as Promise<Record<string, string>>;
  };
  const nativeKeySet = async () => {
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const sets = (await (await fetch(`${signet.url}/signet/v1/key-sets`, { headers })).json()) as {
      items: Array<{ id: string; activeKid: string; nextKid: string }>;
    };
    return sets.items[0]!;
  };
  const errorOf = async (promise: Promise<unknown>): Promise<ManagementError> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof ManagementError) return error;
      throw error;
    }
    throw new Error('the call succeeded');
  };

  test('client credentials through the SDK: list, get, rotate, revoke the previous key', async () => {
    const { clientId, clientSecret } = await native('/clients', {
      name: 'auth0 sdk',
      scopes: ['read:signing_keys', 'create:signing_keys', 'update:signing_keys'],
    });
    // The SDK gets its token from https://{domain}/oauth/token with audience https://{domain}/api/v2/.
    const management = new ManagementClient({ domain, clientId: clientId!, clientSecret: clientSecret! });

    const keys = await management.keys.signing.list();
    assert.equal(keys.length, 2);
    const current = keys.find((key) => key.current)!;
    const next = keys.find((key) => key.next)!;
    const start = await nativeKeySet();
    assert.equal(current.kid, start.activeKid);
    assert.equal(next.kid, start.nextKid);
    assert.match(current.cert, /^-----BEGIN CERTIFICATE-----\r\n/);
    assert.match(current.fingerprint, /^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);

    const one = await management.keys.signing.get(next.kid);
    assert.equal(one.kid, next.kid);
    assert.equal(one.next, true);
    assert.equal(one.thumbprint, next.thumbprint);

    const rotated = await management.keys.signing.rotate();
    const afterRotate = await nativeKeySet();
    assert.equal(rotated.kid, afterRotate.nextKid, 'rotate answers with the newly queued next key');
    assert.equal(afterRotate.activeKid, next.kid);
    const listed = await management.keys.signing.list();
    assert.equal(listed.find((key) => key.previous)!.kid, current.kid);

    const revoked = await management.keys.signing.revoke(current.kid);
    assert.equal(revoked.kid, current.kid);
    assert.equal(revoked.cert, current.cert);
    // The SDK's cached token was signed by the key just revoked: like every token that key signed, it
    // stops verifying at once (I4), so the revocation is read through a client with a fresh token.
    const stale = await errorOf(management.keys.signing.get(current.kid));
    assert.ok(stale instanceof Management.UnauthorizedError);
    const fresh = new ManagementClient({ domain, clientId: clientId!, clientSecret: clientSecret! });
    assert.equal((await fresh.keys.signing.get(current.kid)).revoked, true);
    const jwks = (await (await fetch(`${front.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
    assert.ok(!jwks.keys.some((key) => key.kid === current.kid));
  });

  test("the SDK's typed errors: 404 NotFoundError, 403 ForbiddenError with Auth0's messages, 401 UnauthorizedError, 400 revoking the current key", async () => {
    const { token: admin } = await native('/api-tokens', {
      name: 'auth0 admin',
      scopes: ['read:signing_keys', 'create:signing_keys', 'update:signing_keys'],
    });
    const management = new ManagementClient({ domain, token: admin! });

    const missing = await errorOf(management.keys.signing.get('no-such-kid'));
    assert.ok(missing instanceof Management.NotFoundError);
    assert.equal(missing.statusCode, 404);
    assert.equal((missing.body as { message: string }).message, 'Signing key not found.');
    const missingRevoke = await errorOf(management.keys.signing.revoke('no-such-kid'));
    assert.ok(missingRevoke instanceof Management.NotFoundError);

    const current = (await management.keys.signing.list()).find((key) => key.current)!;
    const currentRevoke = await errorOf(management.keys.signing.revoke(current.kid));
    assert.equal(currentRevoke.statusCode, 400);
    assert.equal((currentRevoke.body as { statusCode: number }).statusCode, 400);

    const { token: reader } = await native('/api-tokens', { name: 'auth0 reader', scopes: ['read:signing_keys'] });
    const readOnly = new ManagementClient({ domain, token: reader! });
    assert.equal((await readOnly.keys.signing.list()).length >= 2, true);
    const rotateDenied = await errorOf(readOnly.keys.signing.rotate());
    assert.ok(rotateDenied instanceof Management.ForbiddenError);
    assert.deepEqual(rotateDenied.body, {
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope; expected create:signing_keys and update:signing_keys.',
      errorCode: 'insufficient_scope',
    });
    const revokeDenied = await errorOf(readOnly.keys.signing.revoke(current.kid));
    assert.ok(revokeDenied instanceof Management.ForbiddenError);
    assert.equal(
      (revokeDenied.body as { message: string }).message,
      'Insufficient scope; expected any of: update:signing_keys.',
    );

    const { token: creator } = await native('/api-tokens', { name: 'auth0 creator', scopes: ['create:signing_keys'] });
    const listDenied = await errorOf(new ManagementClient({ domain, token: creator! }).keys.signing.list());
    assert.ok(listDenied instanceof Management.ForbiddenError);
    assert.equal(
      (listDenied.body as { message: string }).message,
      'Insufficient scope, expected any of: read:signing_keys',
    );
    const rotateCreateOnly = await errorOf(new ManagementClient({ domain, token: creator! }).keys.signing.rotate());
    assert.ok(rotateCreateOnly instanceof Management.ForbiddenError);

    const unauthorized = await errorOf(new ManagementClient({ domain, token: 'sgt_not-a-token' }).keys.signing.list());
    assert.ok(unauthorized instanceof Management.UnauthorizedError);
    assert.equal((unauthorized.body as { message: string }).message, 'Invalid token.');
  });

  test("the SDK's AuthenticationClient gets a Management API token; a client without the audience's scopes is refused by the API", async () => {
    const { clientId, clientSecret } = await native('/clients', {
      name: 'auth0 auth',
      scopes: ['update:signing_keys'],
    });
    const auth = new AuthenticationClient({ domain, clientId: clientId!, clientSecret: clientSecret! });
    const { data } = await auth.oauth.clientCredentialsGrant({ audience: `https://${domain}/api/v2/` });
    assert.equal(data.token_type, 'Bearer');
    const management = new ManagementClient({ domain, token: data.access_token });
    const denied = await errorOf(management.keys.signing.list());
    assert.ok(denied instanceof Management.ForbiddenError);
    const wrongSecret = new AuthenticationClient({ domain, clientId: clientId!, clientSecret: 'wrong' });
    await assert.rejects(
      wrongSecret.oauth.clientCredentialsGrant({ audience: `https://${domain}/api/v2/` }),
      (error: Error & { statusCode?: number }) => error.statusCode === 401,
    );
  });
});
