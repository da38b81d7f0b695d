import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../../src/cli/run-cli.ts';

// Unit tests of the CLI as an API client: argument parsing, request building, output and exit
// codes, against a fake fetch that records requests and answers with canned native-API bodies.

interface Recorded {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}
type Reply = { status: number; body?: unknown };

const BASE = 'http://signet.test';
const TOKEN = 'sgt_secret-test-token';
const emptyDataDir = mkdtempSync(join(tmpdir(), 'signet-cli-empty-'));
after(() => rmSync(emptyDataDir, { recursive: true, force: true }));

/** Runs the CLI with a fake fetch; `reply` answers each request (default: 200 `{items: []}`). */
async function run(
  argv: string[],
  reply: (request: Recorded) => Reply = () => ({ status: 200, body: { items: [] } }),
  env: NodeJS.ProcessEnv = {},
  stdin?: string,
) {
  const requests: Recorded[] = [];
  let stdout = '';
  let stderr = '';
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request: Recorded = {
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const { status, body } = reply(request);
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { SIGNET_URL: BASE, SIGNET_TOKEN: TOKEN, SIGNET_DATA_DIR: emptyDataDir, ...env },
    fetch: fakeFetch as typeof fetch,
    ...(stdin !== undefined ? { stdin: async () => stdin } : {}),
  });
  return { code, stdout, stderr, requests };
}

const iso = (ms: number) => new Date(ms).toISOString();
function key(kid: string, state: string, extra: Record<string, unknown> = {}) {
  return {
    kid,
    keySetId: 'ks1',
    alg: 'RS256',
    state,
    origin: 'generated',
    publicJwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid, alg: 'RS256', use: 'sig' },
    certificate: {
      x5c: ['MII'],
      x5t: 't',
      x5tS256: 't256',
      notBefore: iso(0),
      notAfter: iso(Date.UTC(2027, 0, 1)),
      issuer: 'signet',
    },
    createdAt: iso(0),
    publishedAt: iso(0),
    activatedAt: null,
    drainingSince: null,
    retireAt: null,
    retiredAt: null,
    revokedAt: null,
    ...extra,
  };
}
const keySet = {
  id: 'ks1',
  tenantId: 'default',
  ownerType: 'authorizationServer',
  ownerId: 'default',
  alg: 'RS256',
  rsaModulusLength: 2048,
  policy: { mode: 'AUTO', rotationPeriodSeconds: 7776000 },
  activeKid: 'k2',
  nextKid: 'k3',
  nextTransition: null,
  createdAt: iso(0),
  updatedAt: iso(0),
};
const apiError = (status: number, code: string, message: string, details?: Record<string, unknown>): Reply => ({
  status,
  body: { error: { code, message, ...(details ? { details } : {}), requestId: 'req-1' } },
});

describe('signet CLI', () => {
  test('keys list builds the URL with state filters, sends the token and prints an aligned table', async () => {
    const active = key('k1', 'active', { activatedAt: iso(Date.UTC(2026, 0, 1)) });
    const { code, stdout, requests } = await run(
      ['keys', 'list', '--key-set', 'ks1', '--state', 'active', '--state', 'next'],
      () => ({ status: 200, body: { items: [active, key('k2', 'next')] } }),
    );
    assert.equal(code, 0);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.method, 'GET');
    assert.equal(requests[0]!.url.href, `${BASE}/signet/v1/key-sets/ks1/keys?state=active&state=next`);
    assert.equal(requests[0]!.headers.authorization, `Bearer ${TOKEN}`);
    const lines = stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^KID\s+STATE\s+ALG\s+ACTIVATED\s+DRAINING SINCE\s+RETIRES AT\s+CERT EXPIRES$/);
    assert.match(lines[1]!, /^k1\s+active\s+RS256\s+2026-01-01T00:00:00.000Z\s+-\s+-\s+2027-01-01T00:00:00.000Z$/);
    assert.equal(lines[1]!.indexOf('RS256'), lines[0]!.indexOf('ALG'), 'columns are aligned');
  });

  test('keys commands without --key-set use the signing key set of the default authorization server', async () => {
    const { code, requests } = await run(['keys', 'list'], (request) =>
      request.url.pathname.endsWith('/authorization-servers/default')
        ? { status: 200, body: { id: 'default', signingKeySetId: 'ks_default' } }
        : { status: 200, body: { items: [] } },
    );
    assert.equal(code, 0);
    assert.deepEqual(
      requests.map((r) => r.url.pathname),
      ['/signet/v1/authorization-servers/default', '/signet/v1/key-sets/ks_default/keys'],
    );
    const other = await run(['keys', 'list', '--auth-server', 'payments'], (request) => ({
      status: 200,
      body: request.url.pathname.includes('/authorization-servers/') ? { signingKeySetId: 'ks_p' } : { items: [] },
    }));
    assert.deepEqual(
      other.requests.map((r) => r.url.pathname),
      ['/signet/v1/authorization-servers/payments', '/signet/v1/key-sets/ks_p/keys'],
    );
  });

  test('keys rotate --force sends {force: true} and prints each changed key and the created key', async () => {
    const result = {
      keySet,
      keys: [],
      changed: [key('k1', 'draining', { retireAt: iso(Date.UTC(2026, 0, 2)) }), key('k2', 'active'), key('k3', 'next')],
      created: key('k3', 'next'),
    };
    const { code, stdout, requests } = await run(['keys', 'rotate', '--key-set', 'ks1', '--force'], () => ({
      status: 200,
      body: result,
    }));
    assert.equal(code, 0);
    assert.equal(requests[0]!.method, 'POST');
    assert.equal(requests[0]!.url.pathname, '/signet/v1/key-sets/ks1/rotate');
    assert.equal(requests[0]!.headers['content-type'], 'application/json');
    assert.deepEqual(requests[0]!.body, { force: true });
    assert.match(stdout, /kid k1: now draining \(retires at 2026-01-02T00:00:00.000Z\)/);
    assert.match(stdout, /kid k2: now active/);
    assert.match(stdout, /kid k3: created as next/);
    assert.doesNotMatch(stdout, /kid k3: now/);
    const safe = await run(['keys', 'rotate', '--key-set', 'ks1'], () => ({ status: 200, body: result }));
    assert.deepEqual(safe.requests[0]!.body, {});
  });

  test("keys revoke posts to the key's revoke path, percent-encoding identifiers", async () => {
    const result = { keySet, keys: [], changed: [key('k/1', 'revoked')], created: null };
    const { code, stdout, requests } = await run(['keys', 'revoke', 'k/1', '--key-set', 'ks1'], () => ({
      status: 200,
      body: result,
    }));
    assert.equal(code, 0);
    assert.equal(requests[0]!.method, 'POST');
    assert.equal(requests[0]!.url.pathname, '/signet/v1/key-sets/ks1/keys/k%2F1/revoke');
    assert.match(stdout, /kid k\/1: now revoked/);
    assert.equal((await run(['keys', 'revoke', '--key-set', 'ks1'])).code, 2, 'KID is required');
  });

  test('keys emergency-rotate without --yes exits 2 with an explanation and calls nothing', async () => {
    const { code, stderr, requests } = await run(['keys', 'emergency-rotate', '--key-set', 'ks1']);
    assert.equal(code, 2);
    assert.equal(requests.length, 0);
    assert.match(stderr, /revokes the active key/);
    assert.match(stderr, /--yes/);
    const confirmed = await run(['keys', 'emergency-rotate', '--key-set', 'ks1', '--yes'], () => ({
      status: 200,
      body: { keySet, keys: [], changed: [key('k1', 'revoked')], created: key('k4', 'next') },
    }));
    assert.equal(confirmed.code, 0);
    assert.equal(confirmed.requests[0]!.url.pathname, '/signet/v1/key-sets/ks1/emergency-rotate');
    assert.match(confirmed.stdout, /kid k1: now revoked/);
  });

  test('keys import sends a JWK file as an object and a PEM file as text; bad JSON never echoes the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-cli-import-'));
    try {
      const jwk = { kty: 'OKP', crv: 'Ed25519', x: 'pub', d: 'SECRET-D-VALUE' };
      writeFileSync(join(dir, 'key.json'), JSON.stringify(jwk));
      writeFileSync(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nMC4\n-----END PRIVATE KEY-----\n');
      writeFileSync(join(dir, 'bad.json'), '{"d": "SECRET-D-VALUE",');
      const result = {
        keySet,
        keys: [],
        changed: [key('k9', 'next', { origin: 'imported' })],
        created: key('k9', 'next', { origin: 'imported' }),
      };
      const fromJwk = await run(['keys', 'import', join(dir, 'key.json'), '--key-set', 'ks1'], () => ({
        status: 201,
        body: result,
      }));
      assert.equal(fromJwk.code, 0);
      assert.equal(fromJwk.requests[0]!.url.pathname, '/signet/v1/key-sets/ks1/keys/import');
      assert.deepEqual(fromJwk.requests[0]!.body, { privateKey: jwk });
      assert.match(fromJwk.stdout, /kid k9: created as next/);
      const fromPem = await run(['keys', 'import', join(dir, 'key.pem'), '--key-set', 'ks1'], () => ({
        status: 201,
        body: result,
      }));
      assert.deepEqual(fromPem.requests[0]!.body, {
        privateKey: '-----BEGIN PRIVATE KEY-----\nMC4\n-----END PRIVATE KEY-----',
      });
      const bad = await run(['keys', 'import', join(dir, 'bad.json'), '--key-set', 'ks1']);
      assert.equal(bad.code, 2);
      assert.equal(bad.requests.length, 0);
      assert.doesNotMatch(bad.stderr + bad.stdout, /SECRET-D-VALUE/);
      const fromStdin = await run(
        ['keys', 'import', '-', '--key-set', 'ks1'],
        () => ({ status: 201, body: result }),
        {},
        JSON.stringify(jwk),
      );
      assert.deepEqual(fromStdin.requests[0]!.body, { privateKey: jwk });
      const missing = await run(['keys', 'import', join(dir, 'nope.pem'), '--key-set', 'ks1']);
      assert.equal(missing.code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('tenants create posts id, display name and host names, and prints the admin token once with a warning', async () => {
    const created = {
      tenant: { id: 'acme', displayName: 'Acme', hostNames: ['acme.test'], createdAt: iso(0) },
      authorizationServer: {
        id: 'default',
        tenantId: 'acme',
        name: 'Default',
        audiences: ['api://default'],
        accessTokenLifetimeSeconds: 3600,
        signingKeySetId: 'ks_acme',
        createdAt: iso(0),
      },
      adminToken: { id: 'tok_1', token: 'sgt_acme-admin', scopes: ['keys:read', 'keys:write'] },
    };
    const { code, stdout, stderr, requests } = await run(
      ['tenants', 'create', 'acme', '--display-name', 'Acme', '--host', 'acme.test'],
      () => ({ status: 201, body: created }),
    );
    assert.equal(code, 0);
    assert.equal(requests[0]!.method, 'POST');
    assert.equal(requests[0]!.url.pathname, '/signet/v1/tenants');
    assert.deepEqual(requests[0]!.body, { id: 'acme', displayName: 'Acme', hostNames: ['acme.test'] });
    assert.match(stdout, /created tenant acme \(Acme\)/);
    assert.match(stdout, /^sgt_acme-admin$/m);
    assert.match(stderr, /shown only this once/);
  });

  test('clients create sends name and scopes and prints the secret once; tokens create and deletes address their paths', async () => {
    const client = {
      clientId: 'cli_1',
      tenantId: 'default',
      name: 'ci',
      scopes: ['keys:read', 'keys:write'],
      createdAt: iso(0),
      clientSecret: 'the-client-secret',
    };
    const { code, stdout, stderr, requests } = await run(
      ['clients', 'create', 'ci', '--scope', 'keys:read', '--scope', 'keys:write'],
      () => ({ status: 201, body: client }),
    );
    assert.equal(code, 0);
    assert.deepEqual(requests[0]!.body, { name: 'ci', scopes: ['keys:read', 'keys:write'] });
    assert.match(stdout, /created client cli_1/);
    assert.match(stdout, /^the-client-secret$/m);
    assert.match(stderr, /client secret is shown only this once/);
    const token = await run(['tokens', 'create', 'robot', '--scope', 'audit:read keys:read'], () => ({
      status: 201,
      body: { id: 'tok_2', name: 'robot', scopes: ['audit:read', 'keys:read'], token: 'sgt_new', createdAt: iso(0) },
    }));
    assert.equal(token.requests[0]!.url.pathname, '/signet/v1/api-tokens');
    assert.deepEqual(token.requests[0]!.body, { name: 'robot', scopes: ['audit:read', 'keys:read'] });
    assert.match(token.stdout, /^sgt_new$/m);
    const deleted = await run(['clients', 'delete', 'cli_1'], () => ({ status: 204 }));
    assert.equal(deleted.code, 0);
    assert.equal(deleted.requests[0]!.method, 'DELETE');
    assert.equal(deleted.requests[0]!.url.pathname, '/signet/v1/clients/cli_1');
    assert.equal(deleted.requests[0]!.headers['content-type'], undefined, 'no body, so no content type');
    const tokenDeleted = await run(['tokens', 'delete', 'tok_2', '--json'], () => ({ status: 204 }));
    assert.equal(tokenDeleted.requests[0]!.url.pathname, '/signet/v1/api-tokens/tok_2');
    assert.equal(tokenDeleted.stdout, '');
  });

  test('--json prints the raw response', async () => {
    const body = { items: [keySet] };
    const { code, stdout } = await run(['key-sets', 'list', '--json'], () => ({ status: 200, body }));
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), body);
  });

  test('key-sets policy shows the policy, and --set PATCHes {policy} with integers coerced', async () => {
    const shown = await run(['key-sets', 'policy', 'ks1'], () => ({ status: 200, body: keySet }));
    assert.equal(shown.requests[0]!.method, 'GET');
    assert.match(shown.stdout, /rotationPeriodSeconds\s+7776000 \(90d\)/);
    const set = await run(
      ['key-sets', 'policy', '--key-set', 'ks1', '--set', 'rotationPeriodSeconds=86400', '--set', 'mode=MANUAL'],
      () => ({ status: 200, body: keySet }),
    );
    assert.equal(set.code, 0);
    assert.equal(set.requests[0]!.method, 'PATCH');
    assert.equal(set.requests[0]!.url.pathname, '/signet/v1/key-sets/ks1');
    assert.deepEqual(set.requests[0]!.body, { policy: { rotationPeriodSeconds: 86400, mode: 'MANUAL' } });
    assert.equal((await run(['key-sets', 'policy', 'ks1', '--set', 'nonsense'])).code, 2);
  });

  test('audit list maps its flags to query parameters', async () => {
    const { code, requests, stdout } = await run(
      [
        'audit',
        'list',
        '--key-set',
        'ks1',
        '--kid',
        'k1',
        '--action',
        'key.activated',
        '--since',
        '2026-01-01T00:00:00Z',
        '--until',
        '2026-02-01T00:00:00Z',
        '--limit',
        '5',
      ],
      () => ({
        status: 200,
        body: {
          items: [
            {
              id: 7,
              at: iso(0),
              actor: { type: 'apiToken', id: 'tok_1', tenantId: 'default' },
              action: 'key.activated',
              keySetId: 'ks1',
              kid: 'k1',
              fromState: 'next',
              toState: 'active',
              operation: 'rotate',
              sourceIp: null,
              requestId: null,
              details: {},
            },
          ],
          nextBefore: null,
        },
      }),
    );
    assert.equal(code, 0);
    assert.deepEqual(Object.fromEntries(requests[0]!.url.searchParams), {
      keySetId: 'ks1',
      kid: 'k1',
      action: 'key.activated',
      since: '2026-01-01T00:00:00Z',
      until: '2026-02-01T00:00:00Z',
      limit: '5',
    });
    assert.match(stdout, /next -> active\s+apiToken:tok_1/);
  });

  test('--tenant addresses /t/{tenant}', async () => {
    const { requests } = await run(['--tenant', 'acme', 'clients', 'list']);
    assert.equal(requests[0]!.url.pathname, '/t/acme/signet/v1/clients');
  });

  test('a 409 ERR_ROTATION_UNSAFE exits 5 and prints the earliest safe time', async () => {
    const { code, stderr, stdout } = await run(['keys', 'rotate', '--key-set', 'ks1'], () =>
      apiError(409, 'ERR_ROTATION_UNSAFE', 'next key k3 is too young', {
        earliestSafeAt: '2026-01-01T01:05:00.000Z',
        kid: 'k3',
      }),
    );
    assert.equal(code, 5);
    assert.equal(stdout, '');
    assert.match(stderr, /^error: next key k3 is too young \(ERR_ROTATION_UNSAFE\)$/m);
    assert.match(stderr, /^earliest safe time: 2026-01-01T01:05:00.000Z$/m);
  });

  test('401 exits 3, 404 exits 4, and the token is never printed', async () => {
    const unauthorized = await run(['keys', 'list', '--key-set', 'ks1'], () =>
      apiError(401, 'ERR_UNAUTHENTICATED', 'invalid token'),
    );
    assert.equal(unauthorized.code, 3);
    assert.match(unauthorized.stderr, /\(ERR_UNAUTHENTICATED\)/);
    assert.doesNotMatch(unauthorized.stderr + unauthorized.stdout, new RegExp(TOKEN));
    const notFound = await run(['keys', 'revoke', 'nope', '--key-set', 'ks1'], () =>
      apiError(404, 'ERR_KEY_NOT_FOUND', 'no key nope'),
    );
    assert.equal(notFound.code, 4);
    assert.match(notFound.stderr, /error: no key nope \(ERR_KEY_NOT_FOUND\)/);
    const forbidden = await run(['tenants', 'list'], () =>
      apiError(403, 'ERR_FORBIDDEN', 'missing scope tenants:read'),
    );
    assert.equal(forbidden.code, 3);
  });

  test('an unreachable server exits 6 with the URL and the reason', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    let stderr = '';
    const code = await runCli(['tenants', 'list', '--url', `http://127.0.0.1:${port}`], {
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      env: { SIGNET_TOKEN: TOKEN, SIGNET_DATA_DIR: emptyDataDir },
    });
    assert.equal(code, 6);
    assert.match(stderr, new RegExp(`^cannot reach Signet at http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    assert.doesNotMatch(stderr, new RegExp(TOKEN));
  });

  test('unknown commands, unknown flags and --help exit 2 with usage on stderr; --version prints the package version', async () => {
    for (const argv of [
      ['frobnicate'],
      ['keys', 'frobnicate'],
      ['keys', 'list', '--bogus'],
      ['--help'],
      ['keys', '--help'],
      ['keys', 'list', '--help'],
      [],
      ['keys'],
    ]) {
      const { code, stdout, stderr, requests } = await run(argv);
      assert.equal(code, 2, argv.join(' '));
      assert.equal(stdout, '');
      assert.match(stderr, /Usage: signet/);
      assert.equal(requests.length, 0);
    }
    assert.match((await run(['keys', '--help'])).stderr, /signet keys emergency-rotate/);
    assert.doesNotMatch((await run(['keys', '--help'])).stderr, /signet tenants create/);
    const version = await run(['--version']);
    assert.equal(version.code, 0);
    assert.equal(
      version.stdout.trim(),
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
    );
  });

  test('url and token default to the bootstrap credentials file of the data directory; flags and env override it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signet-cli-data-'));
    try {
      writeFileSync(
        join(dataDir, 'bootstrap-credentials.json'),
        JSON.stringify({
          issuer: 'http://from-file.test:9000',
          managementApi: 'http://from-file.test:9000/signet/v1',
          apiToken: 'sgt_from_file',
        }),
      );
      const fromFile = await run(['tenants', 'list', '--data-dir', dataDir], undefined, {
        SIGNET_URL: undefined,
        SIGNET_TOKEN: undefined,
      });
      assert.equal(fromFile.requests[0]!.url.href, 'http://from-file.test:9000/signet/v1/tenants');
      assert.equal(fromFile.requests[0]!.headers.authorization, 'Bearer sgt_from_file');
      const fromEnvDir = await run(['tenants', 'list'], undefined, {
        SIGNET_URL: undefined,
        SIGNET_TOKEN: undefined,
        SIGNET_DATA_DIR: dataDir,
      });
      assert.equal(fromEnvDir.requests[0]!.headers.authorization, 'Bearer sgt_from_file');
      const overridden = await run(
        ['tenants', 'list', '--data-dir', dataDir, '--url', 'http://flag.test/'],
        undefined,
        { SIGNET_URL: undefined, SIGNET_TOKEN: 'sgt_env' },
      );
      assert.equal(overridden.requests[0]!.url.href, 'http://flag.test/signet/v1/tenants');
      assert.equal(overridden.requests[0]!.headers.authorization, 'Bearer sgt_env');
      const nothing = await run(['tenants', 'list'], () => apiError(401, 'ERR_UNAUTHENTICATED', 'missing token'), {
        SIGNET_URL: undefined,
        SIGNET_TOKEN: undefined,
      });
      assert.equal(nothing.requests[0]!.url.href, 'http://127.0.0.1:8080/signet/v1/tenants');
      assert.equal(nothing.requests[0]!.headers.authorization, undefined);
      assert.equal(nothing.code, 3);
      assert.match(nothing.stderr, /hint: no API token/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("the CLI's API prefix is the server's NATIVE_PREFIX", () => {
    const server = readFileSync(new URL('../../src/http/native/native-surface.ts', import.meta.url), 'utf8');
    const client = readFileSync(new URL('../../src/cli/native-api-client.ts', import.meta.url), 'utf8');
    const prefix = (source: string) => /const NATIVE_PREFIX = '([^']+)'/.exec(source)?.[1];
    assert.ok(prefix(server));
    assert.equal(prefix(client), prefix(server));
  });
});
