import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { findPrivateMaterial } from '../helpers/create-test-context.ts';
import { nativeApi } from '../helpers/signet-http.ts';
import { freePort, runSignetCli, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';

/**
 * The four steps of a user's first session (issue "Signet core"), against the real `signet serve`
 * process on a temporary data directory: start, get and verify a token, rotate and revoke, restart.
 */
describe('signet serve end to end', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-e2e-'));
  let port: number;
  let signet: SpawnedSignet;
  let credentials: { clientId: string; clientSecret: string; apiToken: string; issuer: string };
  let discovery: { issuer: string; jwks_uri: string; token_endpoint: string };
  let firstToken: string;
  let firstKid: string;

  before(async () => {
    port = await freePort();
    signet = await spawnSignet({ dataDir, port });
  });
  after(async () => {
    await signet?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = (method: string, path: string, body?: unknown) => nativeApi(signet, credentials, method, path, body);
  const getToken = async () => {
    const response = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  // A fresh verifier per call, as a relying party that has just fetched the JWKS would be.
  const verify = async (token: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
      audience: 'api://default',
    });
  const jwksKids = async () =>
    ((await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);

  test('1. it starts on the embedded database, bootstraps, and prints the issuer and where the credential is', async () => {
    assert.match(signet.stderr(), new RegExp(`Issuer: +http://127\\.0\\.0\\.1:${port}`));
    assert.match(signet.stderr(), /credentials written to .*bootstrap-credentials\.json/);
    const credentialsPath = join(dataDir, 'bootstrap-credentials.json');
    assert.equal(statSync(credentialsPath).mode & 0o777, 0o600);
    assert.equal(statSync(join(dataDir, 'master.key')).mode & 0o777, 0o600);
    assert.match(signet.stdout(), /generated a master key/);
    credentials = JSON.parse(readFileSync(credentialsPath, 'utf8'));
    discovery = (await (await fetch(`${signet.url}/.well-known/openid-configuration`)).json()) as typeof discovery;
    assert.equal(discovery.issuer, `http://127.0.0.1:${port}`);
    const keySets = await api('GET', '/key-sets');
    assert.equal(keySets.status, 200);
    assert.equal(keySets.body.items.length, 1);
    assert.equal(keySets.body.items[0].alg, 'RS256');
    assert.equal((await jwksKids()).length, 2, 'one active and one next key');
  });

  test('2. a client_credentials token verifies with jose createRemoteJWKSet from the discovery jwks_uri', async () => {
    firstToken = await getToken();
    const { protectedHeader, payload } = await verify(firstToken);
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(payload.client_id, credentials.clientId);
    firstKid = protectedHeader.kid!;
  });

  test('3. rotate (native API and CLI): new tokens carry the new kid, old tokens still verify; revoking the draining key removes it; the audit log names who', async () => {
    const keySetId = (await api('GET', '/key-sets')).body.items[0].id;
    const before = (await api('GET', `/key-sets/${keySetId}`)).body;
    const unsafe = await api('POST', `/key-sets/${keySetId}/rotate`, {});
    assert.equal(unsafe.status, 409, 'the next key was published moments ago');
    assert.equal(unsafe.body.error.code, 'ERR_ROTATION_UNSAFE');
    const rotated = await api('POST', `/key-sets/${keySetId}/rotate`, { force: true });
    assert.equal(rotated.status, 200);
    assert.equal(rotated.body.keySet.activeKid, before.nextKid);

    const secondToken = await getToken();
    assert.equal(decodeProtectedHeader(secondToken).kid, before.nextKid);
    assert.notEqual(before.nextKid, firstKid);
    await verify(firstToken);
    await verify(secondToken);
    const kids = await jwksKids();
    assert.ok(kids.includes(rotated.body.keySet.nextKid), 'the new next key is published');

    const cli = await runSignetCli(['keys', 'rotate', '--force', '--url', signet.url, '--token', credentials.apiToken]);
    assert.equal(cli.code, 0, cli.stderr);
    const afterCli = (await api('GET', `/key-sets/${keySetId}`)).body;
    assert.equal(afterCli.activeKid, rotated.body.keySet.nextKid);
    const cliList = await runSignetCli(['keys', 'list', '--json', '--data-dir', dataDir, '--url', signet.url]);
    assert.equal(cliList.code, 0, cliList.stderr);
    assert.equal(JSON.parse(cliList.stdout).items.filter((k: { state: string }) => k.state === 'draining').length, 2);

    const revoked = await api('POST', `/key-sets/${keySetId}/keys/${firstKid}/revoke`, {});
    assert.equal(revoked.status, 200);
    assert.ok(!(await jwksKids()).includes(firstKid));
    await assert.rejects(verify(firstToken), 'a token of a revoked key no longer verifies');
    await verify(secondToken);

    const audit = (await api('GET', `/audit-events?keySetId=${keySetId}`)).body.items;
    const revokedEvent = audit.find(
      (e: { action: string; kid: string }) => e.action === 'key.revoked' && e.kid === firstKid,
    );
    assert.equal(revokedEvent.actor.type, 'apiToken');
    assert.equal(revokedEvent.sourceIp, '127.0.0.1');
    const activations = audit.filter((e: { toState: string }) => e.toState === 'active');
    assert.deepEqual(
      activations.map((e: { operation: string }) => e.operation).sort(),
      ['createKeySet', 'rotate', 'rotate'],
      'bootstrap, API rotation, CLI rotation',
    );
  });

  test('4. after a graceful restart every key, state and credential is still there', async () => {
    const keySetId = (await api('GET', '/key-sets')).body.items[0].id;
    const keysBefore = (await api('GET', `/key-sets/${keySetId}/keys`)).body.items
      .map((k: { kid: string; state: string }) => `${k.kid}:${k.state}`)
      .sort();
    const jwksBefore = (await jwksKids()).sort();
    assert.equal(await signet.stop(), 0, 'SIGTERM shuts down cleanly');
    signet = await spawnSignet({ dataDir, port });
    assert.match(signet.stderr(), /written when the database was created/);
    const keysAfter = (await api('GET', `/key-sets/${keySetId}/keys`)).body.items
      .map((k: { kid: string; state: string }) => `${k.kid}:${k.state}`)
      .sort();
    assert.deepEqual(keysAfter, keysBefore);
    assert.deepEqual((await jwksKids()).sort(), jwksBefore);
    const token = await getToken();
    await verify(token);
  });

  test('the SQLite file holds no private key in clear', async () => {
    const files = ['signet.db', 'signet.db-wal'].map((name) => join(dataDir, name));
    for (const file of files) {
      let bytes: string;
      try {
        bytes = readFileSync(file).toString('latin1');
      } catch {
        continue;
      }
      assert.deepEqual(findPrivateMaterial(bytes), [], file);
    }
    assert.deepEqual(findPrivateMaterial(signet.stdout()), [], 'logs');
    const logLines = signet
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(
      logLines.some((line) => typeof line.reqId === 'string' && line.msg === 'request completed'),
      'structured request logs carry a request id',
    );
    assert.ok(
      !signet.stdout().includes(credentials.clientSecret) && !signet.stdout().includes(credentials.apiToken),
      'no credential in the logs',
    );
  });
});
