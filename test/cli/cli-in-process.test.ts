import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/run-cli.ts';
import {
  ADMIN_TOKEN,
  BASE_URL,
  createTestContext,
  findPrivateMaterial,
  type TestContext,
} from '../helpers/create-test-context.ts';

// The CLI against the real in-process app (fetch routed into `app.inject`), so request bodies and
// response shapes are checked against the real routes; the spawned-process test lives in test/e2e.

const SAFE_WINDOW_MS = (3600 + 300) * 1000;

describe('signet CLI against the in-process native API', () => {
  let context: TestContext;
  const scratch = mkdtempSync(join(tmpdir(), 'signet-cli-inproc-'));
  before(async () => {
    context = await createTestContext();
  });
  after(async () => {
    await context.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const injectFetch = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const response = await context.app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers: { ...(init?.headers as Record<string, string>), host: url.host },
      ...(typeof init?.body === 'string' ? { payload: init.body } : {}),
    });
    return new Response(response.statusCode === 204 ? null : response.body, { status: response.statusCode });
  }) as typeof fetch;

  async function cli(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env: { SIGNET_URL: BASE_URL, SIGNET_TOKEN: ADMIN_TOKEN, SIGNET_DATA_DIR: scratch },
      fetch: injectFetch,
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) };
  }

  test('a rotation: refused while unsafe (exit 5), then rotated; keys list shows the new states', async () => {
    const listed = (await cli('keys', 'list', '--json')).json().items;
    assert.deepEqual(listed.map((k: { state: string }) => k.state).sort(), ['active', 'next']);
    const next = listed.find((k: { state: string }) => k.state === 'next').kid;
    const refused = await cli('keys', 'rotate');
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /\(ERR_ROTATION_UNSAFE\)\nearliest safe time: \d{4}-/);
    context.advance(SAFE_WINDOW_MS);
    const rotated = await cli('keys', 'rotate');
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, new RegExp(`kid ${next}: now active`));
    assert.match(rotated.stdout, /created as next/);
    const table = await cli('keys', 'list', '--state', 'draining');
    assert.equal(table.stdout.trimEnd().split('\n').length, 2);
    assert.match(table.stdout, /draining/);
  });

  test('revoke, emergency rotate and import go through, and no private member reaches the output', async () => {
    const draining =
      (await cli('keys', 'list', '--state', 'draining', '--json')).json().items[0]?.kid ??
      (await cli('keys', 'rotate', '--force', '--json'))
        .json()
        .keys.find((k: { state: string }) => k.state === 'draining').kid;
    const revoked = await cli('keys', 'revoke', draining);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`kid ${draining}: now revoked`));
    assert.equal((await cli('keys', 'emergency-rotate')).code, 2);
    const emergency = await cli('keys', 'emergency-rotate', '--yes');
    assert.equal(emergency.code, 0, emergency.stderr);
    assert.match(emergency.stdout, /now revoked/);
    const file = join(scratch, 'imported.jwk.json');
    writeFileSync(
      file,
      JSON.stringify(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })),
    );
    const imported = await cli('keys', 'import', file);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /created as next/);
    assert.deepEqual(findPrivateMaterial(imported.stdout + imported.stderr), []);
    assert.equal((await cli('keys', 'revoke', 'no-such-kid')).code, 4);
  });

  test('key-sets create takes the custody, key-sets list shows it, and a custody without a token is refused', async () => {
    const created = await cli(
      'key-sets',
      'create',
      '--auth-server',
      'default',
      '--alg',
      'ES256',
      '--custody',
      'sealed',
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^key set ks_\S+ \(sealed\)/);
    const refused = await cli(
      'key-sets',
      'create',
      '--auth-server',
      'default',
      '--alg',
      'ES256',
      '--custody',
      'pkcs11',
    );
    assert.equal(refused.code, 2, 'a usage error: this instance has no PKCS#11 token');
    assert.equal((await cli('key-sets', 'create', '--alg', 'ES256')).code, 2);
    const list = await cli('key-sets', 'list');
    assert.match(list.stdout, /^ID\s+OWNER\s+ALG\s+CUSTODY\s+MODE/m);
    assert.match(list.stdout, /ES256\s+sealed\s+AUTO/);
  });

  test('audit signers lists who signed with a key after an emergency rotation, as a table or --json', async () => {
    const signer = await cli('tokens', 'create', 'cli-idp', '--scope', 'tokens:sign', '--json');
    assert.equal(signer.code, 0, signer.stderr);
    const { id, token } = signer.json();
    let kid = '';
    for (let i = 0; i < 2; i += 1) {
      const signed = await context.app.inject({
        method: 'POST',
        url: '/signet/v1/authorization-servers/default/sign',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: { claims: { sub: 'u' } },
      });
      kid = signed.json().kid;
    }
    assert.equal((await cli('keys', 'emergency-rotate', '--yes')).code, 0);
    await context.ledger.flush();
    const listed = await cli('audit', 'signers', '--kid', kid, '--json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      listed.json().signers.map((s: { credentialId: string; count: number }) => [s.credentialId, s.count]),
      [[id, 2]],
    );
    const table = await cli('audit', 'signers', '--kid', kid);
    assert.match(table.stdout, new RegExp(`^CREDENTIAL +TOKENS +FIRST MINUTE +LAST MINUTE\n${id} +2 +\\d{4}-`));
    assert.equal((await cli('audit', 'signers')).code, 2);
    assert.equal((await cli('audit', 'signers', '--kid', 'no-such-kid')).code, 4);
  });

  test('policy, tenants, clients, tokens and audit commands match the real routes', async () => {
    const policy = await cli('key-sets', 'policy', '--set', 'mode=MANUAL', '--set', 'rotationPeriodSeconds=2592000');
    assert.equal(policy.code, 0, policy.stderr);
    assert.match(policy.stdout, /mode\s+MANUAL/);
    assert.equal((await cli('key-sets', 'policy', '--set', 'bogusField=1')).code, 2);
    assert.equal((await cli('key-sets', 'list')).code, 0);

    const tenant = await cli('tenants', 'create', 'acme', '--display-name', 'Acme Inc', '--host', 'acme.test');
    assert.equal(tenant.code, 0, tenant.stderr);
    const adminToken = /^(sgt_\S+)$/m.exec(tenant.stdout)?.[1];
    assert.ok(adminToken, tenant.stdout);
    assert.match((await cli('tenants', 'list')).stdout, /acme\s+Acme Inc\s+acme\.test/);
    const acmeKeys = await cli('keys', 'list', '--tenant', 'acme', '--token', adminToken);
    assert.equal(acmeKeys.code, 0, acmeKeys.stderr);

    const client = await cli('clients', 'create', 'ci', '--scope', 'keys:read');
    assert.equal(client.code, 0, client.stderr);
    const clientId = /created client (\S+)/.exec(client.stdout)![1]!;
    assert.match((await cli('clients', 'list')).stdout, new RegExp(clientId));
    assert.equal((await cli('clients', 'delete', clientId)).code, 0);
    assert.equal((await cli('clients', 'delete', clientId)).code, 4);

    const token = await cli('tokens', 'create', 'reader', '--scope', 'keys:read', '--json');
    assert.equal(token.code, 0, token.stderr);
    const { id, token: value } = token.json();
    let stderr = '';
    const forbidden = await runCli(['tenants', 'list'], {
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      env: { SIGNET_URL: BASE_URL, SIGNET_TOKEN: value, SIGNET_DATA_DIR: scratch },
      fetch: injectFetch,
    });
    assert.equal(forbidden, 3, stderr);
    assert.equal((await cli('tokens', 'delete', id)).code, 0);
    assert.equal(
      (await cli('tokens', 'list', '--json')).json().items.some((t: { id: string }) => t.id === id),
      false,
    );

    const audit = await cli('audit', 'list', '--action', 'keySet.policyUpdated', '--limit', '5', '--json');
    assert.equal(audit.code, 0, audit.stderr);
    assert.ok(audit.json().items.length >= 1);
    assert.equal((await cli('audit', 'list', '--since', 'yesterday')).code, 2);
  });
  test('signet sign prints the JWT (--json the whole answer); a refused lifetime exits 2 with its code', async () => {
    const claimsFile = join(scratch, 'claims.json');
    writeFileSync(claimsFile, JSON.stringify({ sub: 'user-1', aud: 'my-client' }));
    const signed = await cli('sign', '--auth-server', 'default', '--claims', claimsFile, '--typ', 'logout+jwt');
    assert.equal(signed.code, 0, signed.stderr);
    const jwt = signed.stdout.trim();
    assert.equal(jwt.split('.').length, 3);
    const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString());
    assert.equal(header.typ, 'logout+jwt');
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    assert.equal(payload.sub, 'user-1');
    assert.equal(payload.iss, BASE_URL);
    const json = (await cli('sign', '--auth-server', 'default', '--claims', claimsFile, '--json')).json();
    assert.deepEqual(Object.keys(json).sort(), ['alg', 'expiresAt', 'issuedAt', 'jwt', 'kid', 'verifiableUntil']);
    const tooLong = await cli('sign', '--auth-server', 'default', '--claims', claimsFile, '--expires-in', '999999');
    assert.equal(tooLong.code, 2);
    assert.match(tooLong.stderr, /ERR_TOKEN_LIFETIME_TOO_LONG/);
    assert.equal((await cli('sign', '--claims', claimsFile)).code, 2, '--auth-server is required');
  });
  test('auth-servers issuer sets and clears the external issuer; tokens create --sign-for restricts signing', async () => {
    const set = await cli('auth-servers', 'issuer', 'default', 'https://login.example.com', '--json');
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.json().externalIssuer, 'https://login.example.com');
    assert.equal((await cli('auth-servers', 'issuer', 'default', 'ftp://nope')).code, 2);
    const cleared = await cli('auth-servers', 'issuer', 'default', 'none');
    assert.match(cleared.stdout, /Signet's own issuer URL/);
    const token = await cli(
      'tokens',
      'create',
      'ci-signer',
      '--scope',
      'tokens:sign',
      '--sign-for',
      'default',
      '--json',
    );
    assert.equal(token.code, 0, token.stderr);
    assert.deepEqual(token.json().authorizationServerIds, ['default']);
    const client = await cli('clients', 'create', 'idp', '--scope', 'tokens:sign', '--sign-for', 'other');
    assert.match(client.stdout, /signs only for: other/);
  });

  test('simulate: a one-word command; prints each library and its windows, --json the API answer', async () => {
    const text = await cli('simulate', '--action', 'emergency-rotate');
    assert.equal(text.code, 0, text.stderr);
    for (const library of ['jose', 'jwks-rsa', 'pyjwt', 'microsoft-identitymodel', 'spring-nimbus', 'go-oidc'])
      assert.match(text.stdout, new RegExp(`^${library} `, 'm'));
    const json = await cli(
      '--json',
      'simulate',
      '--action',
      'rotate',
      '--at',
      new Date(context.clock.now).toISOString(),
    );
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.json().action, 'rotate');
    assert.equal(json.json().verifiers.length, 7);
    assert.equal((await cli('simulate')).code, 2);
    assert.equal((await cli('simulate', '--action', 'revoke')).code, 2);
    assert.equal((await cli('simulate', '--action', 'rotate', '--at', 'soon')).code, 2);
  });
});
