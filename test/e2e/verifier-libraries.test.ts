import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { JwksClient } from 'jwks-rsa';
import { jwksRsaModel } from '../../src/domain/verifiers/jwks-rsa-model.ts';
import { clientCredentialsToken, nativeApi } from '../helpers/signet-http.ts';
import { freePort, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';

// The simulator's predictions checked against the verifier libraries themselves, driven against a
// real `signet serve`. Each library runs on a clock the test sets (jose reads Date.now, jwks-rsa's
// lru-cache performance.now, PyJWT time.monotonic), so minutes of cache life pass without waiting.
// Signet's clock is real; a library sees only when it fetched and what, so each scenario maps
// Signet's times onto the library's (toLibrary) such that its copies were fetched at the worst
// moments the simulator assumes: just before the new signer was published, and just before the
// action. Then each window the simulator predicts is probed inside, at its end and after it.

const TOKEN = 'sgt_verifier-libraries-token-0123';
const CLIENT_ID = 'verifier-tests';
const CLIENT_SECRET = 'verifier-tests-secret-0123456789';
const MARGIN_MS = 1000;

type Library = 'jose' | 'jwks-rsa' | 'pyjwt';

interface Window {
  from: string;
  until: string | null;
}

interface Verdict {
  library: string;
  rejectsValidTokens: Window | null;
  acceptsRevokedKey: Window | null;
}

/** One cache instance of a library: does it accept `token` when its clock reads `libraryMs`? */
type Verifier = (token: string, libraryMs: number) => Promise<boolean>;

const realDateNow = Date.now;
const realPerformanceNow = performance.now.bind(performance);
const realHrtime = process.hrtime;
const RealDate = Date;
let libraryTime: number | null = null;
// jwks-rsa's rate limiter (the limiter package) reads process.hrtime and `new Date()`; both are
// the library's clock only during a library call.
const libraryHrtime = Object.assign(
  (): [number, number] => [Math.floor(libraryTime! / 1000), (libraryTime! % 1000) * 1e6],
  { bigint: realHrtime.bigint },
);
class LibraryDate extends RealDate {
  constructor(...args: ConstructorParameters<typeof RealDate> | []) {
    if (args.length === 0) super(libraryTime ?? realDateNow());
    else super(...(args as ConstructorParameters<typeof RealDate>));
  }
}

/** Runs a library call with the library's clock at `ms`. */
async function atLibraryTime<T>(ms: number, call: () => Promise<T>): Promise<T> {
  // lru-cache keeps a clock reading for its 1 ms ttlResolution; let it lapse so it reads `ms`.
  await delay(2);
  libraryTime = ms;
  process.hrtime = libraryHrtime;
  globalThis.Date = LibraryDate as DateConstructor;
  try {
    return await call();
  } finally {
    libraryTime = null;
    process.hrtime = realHrtime;
    globalThis.Date = RealDate;
  }
}

/** The python3 that has PyJWT (Debian python3-jwt), or the reason there is none. */
function findPyjwt(): { python: string } | { reason: string } {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import jwt; print(jwt.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python };
  }
  return { reason: 'python3 cannot import jwt (PyJWT): install Debian python3-jwt' };
}

describe('verifier libraries behave as the simulator predicts', { timeout: 180_000 }, () => {
  let signet: SpawnedSignet;
  let dataDir: string;
  let keySetId: string;
  let python: ChildProcessWithoutNullStreams | undefined;
  let pythonAnswers: AsyncIterator<string> | undefined;
  /** A token signed by the key the rotate test leaves draining, for the revoke test. */
  let drainingSigner: { kid: string; token: string } | undefined;
  const pyjwt = findPyjwt();
  if ('reason' in pyjwt) console.error(`PyJWT checks skipped: ${pyjwt.reason}`);

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'signet-verifiers-'));
    signet = await spawnSignet({
      dataDir,
      port: await freePort(),
      env: {
        SIGNET_BOOTSTRAP_API_TOKEN: TOKEN,
        SIGNET_BOOTSTRAP_CLIENT_ID: CLIENT_ID,
        SIGNET_BOOTSTRAP_CLIENT_SECRET: CLIENT_SECRET,
        SIGNET_LOG_LEVEL: 'warn',
      },
    });
    keySetId = (await api('GET', '/authorization-servers/default')).signingKeySetId;
    if ('python' in pyjwt) {
      python = spawn(pyjwt.python, [join(import.meta.dirname, '..', 'helpers', 'pyjwt-verifier.py'), jwksUri()]);
      pythonAnswers = createInterface({ input: python.stdout })[Symbol.asyncIterator]();
    }
    Date.now = () => libraryTime ?? realDateNow();
    performance.now = () => (libraryTime === null ? realPerformanceNow() : libraryTime - performance.timeOrigin);
  });
  after(async () => {
    Date.now = realDateNow;
    performance.now = realPerformanceNow;
    python?.stdin.end();
    await signet?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const jwksUri = () => `${signet.url}/.well-known/jwks.json`;

  const credentials = { apiToken: TOKEN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
  async function api(method: 'GET' | 'POST', path: string, body?: unknown) {
    const response = await nativeApi(signet, credentials, method, path, body);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  }
  const accessToken = () => clientCredentialsToken(signet, credentials);

  async function simulate(query: string): Promise<Record<string, Verdict>> {
    const body = await api('GET', `/key-sets/${keySetId}/simulation?${query}`);
    return Object.fromEntries(body.verifiers.map((verdict: Verdict) => [verdict.library, verdict]));
  }

  /** A fresh cache of `library` with its default settings (jwks-rsa's may be given its own). */
  function createVerifier(library: Library, name: string, jwksRsaOptions: { rateLimit?: boolean } = {}): Verifier {
    if (library === 'jose') {
      const jwks = createRemoteJWKSet(new URL(jwksUri()));
      return (token, ms) =>
        atLibraryTime(ms, async () => {
          try {
            await jwtVerify(token, jwks);
            return true;
          } catch (error) {
            if ((error as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY') return false;
            throw error;
          }
        });
    }
    if (library === 'jwks-rsa') {
      const client = new JwksClient({ jwksUri: jwksUri(), ...jwksRsaOptions });
      return (token, ms) =>
        atLibraryTime(ms, async () => {
          const kid = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
          try {
            const key = await client.getSigningKey(kid);
            await jwtVerify(token, createPublicKey(key.getPublicKey()));
            return true;
          } catch (error) {
            if (['SigningKeyNotFoundError', 'JwksRateLimitError'].includes((error as Error).name)) return false;
            throw error;
          }
        });
    }
    return async (token, ms) => {
      python!.stdin.write(`${JSON.stringify({ client: name, token, now: ms / 1000 })}\n`);
      const line = await pythonAnswers!.next();
      return JSON.parse(line.value as string).accepted;
    };
  }

  const libraries = (): Library[] => ['jose', 'jwks-rsa', ...('python' in pyjwt ? (['pyjwt'] as const) : [])];
  const ms = (time: string) => Date.parse(time);

  /** Probes a window on one cache: inside it (just after it opens and before it ends) and just after. */
  async function probeWindow(
    verify: Verifier,
    token: string,
    window: Window | null,
    insideMeans: boolean,
    toLibrary: (signetMs: number) => number,
    at: number,
    before?: (libraryMs: number) => Promise<unknown>,
  ): Promise<void> {
    const probe = async (signetMs: number) => {
      await before?.(toLibrary(signetMs));
      return verify(token, toLibrary(signetMs));
    };
    if (window === null) {
      assert.equal(await probe(at + MARGIN_MS), !insideMeans, 'outside any window right after the action');
      return;
    }
    assert.equal(ms(window.from), at);
    assert.equal(await probe(at + MARGIN_MS), insideMeans, 'inside the window, just after it opens');
    assert.notEqual(window.until, null, 'the tested libraries never hold a key until restart');
    const until = ms(window.until!);
    assert.equal(await probe(until - MARGIN_MS), insideMeans, 'inside the window, just before it ends');
    assert.equal(await probe(until + MARGIN_MS), !insideMeans, 'after the window');
  }

  test('PyJWT is available, or the reason it is not is printed', {
    skip: 'reason' in pyjwt ? pyjwt.reason : false,
  }, () => {
    assert.ok('python' in pyjwt);
  });

  test('emergency rotate onto a next key published 10 s before: jose refuses the new key for its cooldown, every cache keeps the revoked key for its life', async () => {
    const oldToken = await accessToken();
    const stale = Object.fromEntries(libraries().map((library) => [library, createVerifier(library, 'a-stale')]));
    const fresh = Object.fromEntries(libraries().map((library) => [library, createVerifier(library, 'a-fresh')]));
    // Copies fetched before the next key exists (the library clock reads L0 then).
    const l0 = realDateNow();
    for (const library of libraries()) assert.equal(await stale[library]!(oldToken, l0), true, library);
    const keySet = await api('GET', `/key-sets/${keySetId}`);
    const replaced = await api('POST', `/key-sets/${keySetId}/keys/${keySet.nextKid}/revoke`, {});
    const published = ms(replaced.created.publishedAt);
    const toLibrary = (signetMs: number) => signetMs - published + l0 + 1;
    const at = published + 10_000;
    const predicted = await simulate(`action=emergency-rotate&at=${encodeURIComponent(new Date(at).toISOString())}`);
    // Copies fetched just before the action (they hold the old active key and the new signer).
    for (const library of libraries()) assert.equal(await fresh[library]!(oldToken, toLibrary(at) - 1), true, library);
    await api('POST', `/key-sets/${keySetId}/emergency-rotate`, {});
    const newToken = await accessToken();

    assert.deepEqual(predicted.jose?.rejectsValidTokens, {
      from: new Date(at).toISOString(),
      until: new Date(published + 30_000).toISOString(),
    });
    for (const library of libraries()) {
      const verdict = predicted[library]!;
      await probeWindow(stale[library]!, newToken, verdict.rejectsValidTokens, false, toLibrary, at);
      // Valid tokens keep arriving, as the simulator assumes, before each look at the revoked key.
      await probeWindow(fresh[library]!, oldToken, verdict.acceptsRevokedKey, true, toLibrary, at, (libraryMs) =>
        fresh[library]!(newToken, libraryMs),
      );
    }
  });

  test('rotate onto a next key published 60 s before: no library refuses the new key', async () => {
    const stale = Object.fromEntries(libraries().map((library) => [library, createVerifier(library, 'b-stale')]));
    const l0 = realDateNow();
    const current = await accessToken();
    for (const library of libraries()) assert.equal(await stale[library]!(current, l0), true, library);
    const keySet = await api('GET', `/key-sets/${keySetId}`);
    const replaced = await api('POST', `/key-sets/${keySetId}/keys/${keySet.nextKid}/revoke`, {});
    const published = ms(replaced.created.publishedAt);
    const toLibrary = (signetMs: number) => signetMs - published + l0 + 1;
    drainingSigner = { kid: keySet.activeKid, token: current };
    const at = published + 60_000;
    const predicted = await simulate(`action=rotate&at=${encodeURIComponent(new Date(at).toISOString())}`);
    await api('POST', `/key-sets/${keySetId}/rotate`, { force: true });
    const newToken = await accessToken();
    for (const library of libraries()) {
      assert.equal(predicted[library]!.acceptsRevokedKey, null);
      await probeWindow(stale[library]!, newToken, predicted[library]!.rejectsValidTokens, false, toLibrary, at);
    }
  });

  test('revoke a draining key: each cache keeps it for as long as predicted', async () => {
    assert.ok(drainingSigner, 'the rotate test leaves a draining key');
    const { kid, token: drainingToken } = drainingSigner;
    const draining = (await api('GET', `/key-sets/${keySetId}/keys/${kid}`)).state;
    assert.equal(draining, 'draining');
    const fresh = Object.fromEntries(libraries().map((library) => [library, createVerifier(library, 'c-fresh')]));
    const at = realDateNow() + 5_000;
    const toLibrary = (signetMs: number) => signetMs;
    const predicted = await simulate(`action=revoke&kid=${kid}&at=${encodeURIComponent(new Date(at).toISOString())}`);
    for (const library of libraries()) assert.equal(await fresh[library]!(drainingToken, at - 1), true, library);
    await api('POST', `/key-sets/${keySetId}/keys/${kid}/revoke`, {});
    for (const library of libraries()) {
      assert.equal(predicted[library]!.rejectsValidTokens, null);
      await probeWindow(fresh[library]!, drainingToken, predicted[library]!.acceptsRevokedKey, true, toLibrary, at);
    }
  });

  test('jwks-rsa with rateLimit: a new kid fails for the rest of the minute other misses spent the budget in', async () => {
    // The API answers with the default models; this checks the rate-limited model the same way.
    const token = await accessToken();
    // Ten minutes ahead, so limiter's token bucket (filling since its construction) holds its 10 tokens.
    const at = realDateNow() + 600_000;
    const window = jwksRsaModel({ rateLimit: true }).rejectsValidTokens({
      at,
      signerPublishedAt: at - 60_000,
      signerlessCopyExpiresAt: null,
      revokes: false,
      copyBeforeActionExpiresAt: at,
      nextUnknownSignerAt: null,
    });
    const limited = createVerifier('jwks-rsa', 'd-limited', { rateLimit: true });
    const randomKid = (i: number) =>
      `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: `random-${i}` })).toString('base64url')}.e30.x`;
    for (let i = 0; i < 10; i++) assert.equal(await limited(randomKid(i), at - 1), false);
    await probeWindow(
      limited,
      token,
      window ? { from: new Date(window.from).toISOString(), until: new Date(window.until!).toISOString() } : null,
      false,
      (signetMs) => signetMs,
      at,
    );
  });
});
