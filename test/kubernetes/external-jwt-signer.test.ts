import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { CUSTODIES } from '../../src/custody/key-custody.ts';
import { ERROR_TABLE } from '../../src/http/error-table.ts';
import { loadExternalJwtSignerService } from '../../src/kubernetes/serve-kubernetes-signer.ts';
import { nativeApi, type BootstrapCredentials } from '../helpers/signet-http.ts';
import { createSoftHsmToken } from '../helpers/softhsm-token.ts';
import { freePort, runSignetCli, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';

interface FetchKeysAnswer {
  keys: { key_id: string; key: Buffer; exclude_from_oidc_discovery: boolean }[];
  data_timestamp: { seconds: number; nanos: number };
  refresh_hint_seconds: number;
}

/**
 * Kubernetes' ExternalJWTSigner (issue 12) against the real `signet serve --k8s-signer-socket`,
 * driven by a @grpc/grpc-js client built from the proto, as kube-apiserver calls it.
 */
for (const custody of CUSTODIES) {
  describe(`signet serve --k8s-signer-socket: the ExternalJWTSigner over a Unix socket (${custody} custody)`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signet-k8s-'));
    const socketPath = join(dataDir, 'signer.sock');
    let signet: SpawnedSignet;
    let credentials: BootstrapCredentials;
    let client: grpc.Client & Record<string, any>;
    let issuer: string;
    // pkcs11: the kubernetes server, created on first start, takes the default custody: the token.
    const token = custody === 'pkcs11' ? createSoftHsmToken({ label: 'signet-k8s' }) : null;

    const call = <T>(method: string, request: object): Promise<T> =>
      new Promise((resolve, reject) =>
        client[method](request, (error: grpc.ServiceError | null, answer: T) =>
          error ? reject(error) : resolve(answer),
        ),
      );
    // Go's encoding/json (kube-apiserver) escapes <, > and & where JSON.stringify does not: the claims
    // are signed as sent, never re-encoded, or kube-apiserver's assembled token would not verify.
    const encode = (value: unknown) =>
      Buffer.from(JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e')).toString('base64url');
    const claims = (overrides: Record<string, unknown> = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return {
        iss: issuer,
        sub: 'system:serviceaccount:default:builder',
        aud: ['https://kubernetes.default.svc'],
        iat: now,
        nbf: now,
        exp: now + 3600,
        'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'builder', uid: 'a1b2' } },
        note: '<escaped>',
        ...overrides,
      };
    };
    /** Signs as kube-apiserver does: the token is header + "." + claims (as sent) + "." + signature. */
    const signToken = async (payload: string) => {
      const answer = await call<{ header: string; signature: string }>('Sign', { claims: payload });
      return `${answer.header}.${payload}.${answer.signature}`;
    };
    const verifyWithFetchedKeys = async (token: string) => {
      const { keys } = await call<FetchKeysAnswer>('FetchKeys', {});
      const kid = decodeProtectedHeader(token).kid;
      const key = keys.find((candidate) => candidate.key_id === kid);
      assert.ok(key, `FetchKeys lists ${kid}`);
      return jwtVerify(token, createPublicKey({ key: key.key, format: 'der', type: 'spki' }), { issuer });
    };
    const verifyWithJwks = (token: string) =>
      jwtVerify(token, createRemoteJWKSet(new URL(`${signet.url}/oauth2/kubernetes/v1/keys`), { cacheMaxAge: 0 }), {
        issuer,
      });

    before(async () => {
      // A socket file nobody listens on, as a crash leaves it: bound but never served.
      execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', socketPath]);
      assert.ok(statSync(socketPath).isSocket());
      signet = await spawnSignet({
        dataDir,
        port: await freePort(),
        args: ['--k8s-signer-socket', socketPath],
        env: token ? { ...token.env, SIGNET_DEFAULT_CUSTODY: 'pkcs11' } : {},
      });
      credentials = JSON.parse(readFileSync(join(dataDir, 'bootstrap-credentials.json'), 'utf8'));
      issuer = `${signet.url}/oauth2/kubernetes`;
      const Service = loadExternalJwtSignerService();
      client = new Service(`unix:${socketPath}`, grpc.credentials.createInsecure()) as grpc.Client &
        Record<string, any>;
    });
    after(async () => {
      client?.close();
      await signet?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      token?.remove();
    });

    test('the stale socket was replaced by one only its owner may use (mode 0600; the test runs as root)', () => {
      const stats = statSync(socketPath);
      assert.ok(stats.isSocket());
      assert.equal(stats.mode & 0o777, 0o600);
      assert.equal(stats.uid, process.getuid!());
    });

    test('the kubernetes server was created on first start, audited as the Kubernetes signer', async () => {
      const events = await nativeApi(signet, credentials, 'GET', '/audit-events');
      assert.equal(events.status, 200, JSON.stringify(events.body));
      const created = (
        events.body.items as { action: string; actor: { id: string }; details: Record<string, unknown> }[]
      ).find(
        (event) =>
          event.action === 'authorizationServer.created' && event.details.authorizationServerId === 'kubernetes',
      );
      assert.ok(created, 'an authorizationServer.created event for kubernetes');
      assert.equal(created.actor.id, 'kubernetes-signer');
      assert.equal(created.details.surface, 'kubernetes');
      const server = await nativeApi(signet, credentials, 'GET', '/authorization-servers/kubernetes');
      const keySet = await nativeApi(signet, credentials, 'GET', `/key-sets/${server.body.signingKeySetId}`);
      assert.equal(keySet.body.custody, custody);
    });

    test("Metadata answers the kubernetes server's maxTokenLifetimeSeconds, at least 600", async () => {
      const answer = await call<{ max_token_expiration_seconds: number }>('Metadata', {});
      assert.equal(answer.max_token_expiration_seconds, 86_400);
      assert.ok(answer.max_token_expiration_seconds >= 600);
    });

    test('FetchKeys answers every published key as PKIX DER, with a refresh hint and the time of the last change', async () => {
      const answer = await call<FetchKeysAnswer>('FetchKeys', {});
      const server = await nativeApi(signet, credentials, 'GET', '/authorization-servers/kubernetes');
      assert.equal(server.status, 200);
      const listed = await nativeApi(signet, credentials, 'GET', `/key-sets/${server.body.signingKeySetId}/keys`);
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const published = listed.body.items as { kid: string; state: string }[];
      assert.deepEqual(
        answer.keys.map((key) => key.key_id).sort(),
        published
          .filter((key) => ['next', 'active', 'draining'].includes(key.state))
          .map((key) => key.kid)
          .sort(),
      );
      assert.equal(answer.keys.length, 2);
      for (const key of answer.keys) {
        assert.equal(createPublicKey({ key: key.key, format: 'der', type: 'spki' }).asymmetricKeyType, 'rsa');
        assert.equal(key.exclude_from_oidc_discovery, false);
      }
      assert.ok(answer.refresh_hint_seconds > 0 && answer.refresh_hint_seconds <= 3600);
      const changedAt = answer.data_timestamp.seconds * 1000;
      assert.ok(changedAt > Date.now() - 10 * 60_000 && changedAt <= Date.now());
    });

    let firstToken: string;
    let firstKid: string;
    test("Sign: the assembled token verifies with FetchKeys' key and with the JWKS over HTTP; header alg, kid, typ only", async () => {
      const payload = encode(claims());
      firstToken = await signToken(payload);
      const header = decodeProtectedHeader(firstToken);
      assert.deepEqual(Object.keys(header).sort(), ['alg', 'kid', 'typ']);
      assert.equal(header.alg, 'RS256');
      assert.equal(header.typ, 'JWT');
      firstKid = header.kid!;
      const viaKeys = await verifyWithFetchedKeys(firstToken);
      assert.equal(viaKeys.payload.sub, 'system:serviceaccount:default:builder');
      assert.deepEqual(viaKeys.payload['kubernetes.io'], claims()['kubernetes.io']);
      await verifyWithJwks(firstToken);
    });

    test('after a rotation through the native API FetchKeys shows the new set, new tokens carry the new kid, old ones still verify', async () => {
      const before = await call<FetchKeysAnswer>('FetchKeys', {});
      const server = await nativeApi(signet, credentials, 'GET', '/authorization-servers/kubernetes');
      const rotated = await nativeApi(signet, credentials, 'POST', `/key-sets/${server.body.signingKeySetId}/rotate`, {
        force: true,
      });
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      const after = await call<FetchKeysAnswer>('FetchKeys', {});
      const kidsBefore = before.keys.map((key) => key.key_id);
      const kidsAfter = after.keys.map((key) => key.key_id);
      assert.equal(after.keys.length, 3, 'draining, active and a new next key');
      assert.ok(kidsAfter.includes(firstKid), 'the old key is still published');
      assert.ok(
        kidsAfter.some((kid) => !kidsBefore.includes(kid)),
        'a new key is published',
      );
      assert.ok(after.data_timestamp.seconds >= before.data_timestamp.seconds);

      const token = await signToken(encode(claims()));
      const kid = decodeProtectedHeader(token).kid;
      assert.notEqual(kid, firstKid);
      assert.ok(kidsBefore.includes(kid!), 'the new active key was the published next key');
      await verifyWithFetchedKeys(token);
      await verifyWithJwks(token);
      await verifyWithFetchedKeys(firstToken);
      await verifyWithJwks(firstToken);
    });

    test("FetchKeys is recorded for verifier readiness: address unix, the caller's gRPC user-agent, ready until a rotation publishes a next key it has not fetched", async () => {
      const apiserver = new (loadExternalJwtSignerService())(`unix:${socketPath}`, grpc.credentials.createInsecure(), {
        'grpc.primary_user_agent': 'kube-apiserver/v1.34.0',
      }) as grpc.Client & Record<string, any>;
      const fetchKeys = (metadata = new grpc.Metadata()) =>
        new Promise<FetchKeysAnswer>((resolve, reject) =>
          apiserver.FetchKeys({}, metadata, (error: grpc.ServiceError | null, answer: FetchKeysAnswer) =>
            error ? reject(error) : resolve(answer),
          ),
        );
      try {
        const server = await nativeApi(signet, credentials, 'GET', '/authorization-servers/kubernetes');
        const keySetId = server.body.signingKeySetId as string;
        type Consumer = { name: string | null; address: string; userAgent: string; ready: boolean; fetchCount: number };
        const consumers = async () => {
          const readiness = await nativeApi(signet, credentials, 'GET', `/key-sets/${keySetId}/readiness`);
          assert.equal(readiness.status, 200, JSON.stringify(readiness.body));
          return readiness.body as { nextKid: string; consumers: Consumer[] };
        };
        const apiserverOf = (body: { consumers: Consumer[] }) =>
          body.consumers.find((consumer) => consumer.userAgent.startsWith('kube-apiserver/v1.34.0') && !consumer.name);

        await fetchKeys();
        await fetchKeys();
        let body = await consumers();
        const seen = apiserverOf(body);
        assert.ok(seen, `the FetchKeys caller is a consumer: ${JSON.stringify(body.consumers)}`);
        assert.equal(seen.address, 'unix');
        assert.match(seen.userAgent, /^kube-apiserver\/v1\.34\.0 grpc-node-js\//, 'the gRPC user-agent as sent');
        assert.equal(seen.ready, true);
        assert.equal(seen.fetchCount, 2);

        const named = new grpc.Metadata();
        named.set('signet-consumer', 'cluster-a');
        await fetchKeys(named);
        body = await consumers();
        assert.equal(body.consumers.find((consumer) => consumer.name === 'cluster-a')?.address, 'unix');

        const rotated = await nativeApi(signet, credentials, 'POST', `/key-sets/${keySetId}/rotate`, { force: true });
        assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
        assert.equal(apiserverOf(await consumers())?.ready, false, 'a new next key it has not fetched: lagging');
        const answer = await fetchKeys();
        body = await consumers();
        assert.ok(answer.keys.some((key) => key.key_id === body.nextKid));
        assert.equal(apiserverOf(body)?.ready, true, 'ready again once it fetched the new set');
      } finally {
        apiserver.close();
      }
    });

    const refusal = async (payload: string) => {
      const error = await call('Sign', { claims: payload }).then(
        () => assert.fail('Sign should refuse'),
        (caught: grpc.ServiceError) => caught,
      );
      assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
      assert.ok(error.details.length > 0, 'the refusal says why');
      return error;
    };

    test('Sign refuses an exp further ahead than maxTokenLifetimeSeconds with INVALID_ARGUMENT', async () => {
      await refusal(encode(claims({ exp: Math.floor(Date.now() / 1000) + 86_400 + 600 })));
    });

    test('Sign refuses claims that are not a JSON object with INVALID_ARGUMENT', async () => {
      await refusal(Buffer.from('not json').toString('base64url'));
      await refusal(encode(['an', 'array']));
      await refusal('not base64url!');
    });

    test('Sign refuses another issuer and claims without exp', async () => {
      await refusal(encode(claims({ iss: 'https://evil.example' })));
      const { exp: _exp, ...withoutExp } = claims();
      await refusal(encode(withoutExp));
    });

    test('a second instance refuses the live socket and leaves it to the first', async () => {
      const otherDir = mkdtempSync(join(tmpdir(), 'signet-k8s-second-'));
      try {
        const second = await runSignetCli([
          'serve',
          '--port',
          String(await freePort()),
          '--data-dir',
          otherDir,
          '--k8s-signer-socket',
          socketPath,
        ]);
        assert.equal(second.code, ERROR_TABLE.ERR_ALREADY_EXISTS.exitCode);
        assert.match(second.stderr, /ERR_ALREADY_EXISTS/);
      } finally {
        rmSync(otherDir, { recursive: true, force: true });
      }
      const answer = await call<{ max_token_expiration_seconds: number }>('Metadata', {});
      assert.equal(answer.max_token_expiration_seconds, 86_400);
    });

    test('the socket calls are counted by method and status, and the signatures by the ledger', async () => {
      const metrics = await (await fetch(`${signet.url}/metrics`)).text();
      assert.match(metrics, /signet_kubernetes_signer_calls_total\{method="Sign",code="OK"\} [1-9]/);
      assert.match(metrics, /signet_kubernetes_signer_calls_total\{method="Sign",code="INVALID_ARGUMENT"\} [1-9]/);
      assert.match(metrics, /signet_kubernetes_signer_calls_total\{method="FetchKeys",code="OK"\} [1-9]/);
      // The signing API's ledger counted them, under the Kubernetes signer and its surface.
      assert.match(metrics, /signet_signatures_total\{credential="kubernetes-signer",surface="kubernetes"\} [1-9]/);
    });
  });
}
