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
