import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { cleanEnv, installPackedSignet, type InstalledSignet } from '../helpers/install-packed-signet.ts';
import { freePort, runSignetCli, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

// The README's Express issuer without Express (not a dependency): the same createSigner options,
// the same claims and expiresIn, the same SignetClientError branch, as a plain .mjs of the user's.
const ISSUER_MJS = `
import { createSigner, SignetClientError } from 'signet/client';

const signer = createSigner({
  url: process.env.SIGNET_URL,
  authorizationServer: 'default',
  clientId: process.env.SIGNET_CLIENT_ID,
  clientSecret: process.env.SIGNET_CLIENT_SECRET,
});
const user = { id: 'user-1', clientId: 'my-client', nonce: 'n-0S6', authTime: Math.floor(Date.now() / 1000) };
const { jwt, verifiableUntil, expiresAt } = await signer.sign(
  { sub: user.id, aud: user.clientId, nonce: user.nonce, auth_time: user.authTime },
  { expiresIn: 300 },
);
let refusal;
try {
  await signer.sign({ sub: user.id }, { expiresIn: 7200 });
} catch (error) {
  if (!(error instanceof SignetClientError)) throw error;
  refusal = { name: error.name, code: error.code, status: error.status, details: error.details };
}
console.log(JSON.stringify({ id_token: jwt, verifiableUntil, expiresAt, refusal }));
`;

// A TypeScript user of the package: its declarations resolve with no skipLibCheck, carry the API's
// types, and refuse what the API refuses (each @ts-expect-error fails the build if its line compiles).
const ISSUER_TS = `
import { createSigner, SignetClientError, type SignatureResource, type SignRequestBody } from 'signet/client';

const signer = createSigner({ url: 'https://signet.example.com', authorizationServer: 'default', token: 't' });
const answer: SignatureResource = await signer.sign({ sub: 'user-1' }, { expiresIn: 300, typ: 'JWT', alg: 'ES256' });
const parts: { jwt: string; kid: string; verifiableUntil: string } = answer;
const alg: 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA' = answer.alg;
const body: SignRequestBody = { claims: { sub: 'user-1' } };
// @ts-expect-error expiresIn is a number of seconds
await signer.sign({}, { expiresIn: '300' });
// @ts-expect-error only the algorithms Signet signs with
await signer.sign({}, { alg: 'HS256' });
// @ts-expect-error no header member but typ is the caller's
await signer.sign({}, { kid: 'mine' });
// @ts-expect-error claims are required
const noClaims: SignRequestBody = {};
// @ts-expect-error a client secret goes with a client id
createSigner({ url: 'https://signet.example.com', authorizationServer: 'default', clientSecret: 's' });
try {
  await signer.sign({});
} catch (error) {
  if (error instanceof SignetClientError) console.log(error.code.toUpperCase(), error.status.toFixed(0), error.details);
}
export { parts, alg, body, noClaims };
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'es2024',
    lib: ['es2024'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    noEmit: true,
  },
  files: ['issuer.ts'],
};

/**
 * `signet/client` as a user gets it: `npm pack` (running `prepare`, which compiles dist/), the
 * tarball installed into a fresh project, then the user's own code run by plain Node and type-checked
 * by tsc against a spawned `signet serve`. Slow for a test (pack, install of signet's runtime
 * dependencies from the npm cache, a server start): about 15 s.
 */
describe('signet/client installed from the packed tarball', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-client-package-'));
  let installed: InstalledSignet;
  let signet: SpawnedSignet;
  let client: { clientId: string; clientSecret: string };

  before(async () => {
    const dataDir = join(dir, 'data');
    // The server starts while npm packs and installs; kept first, so that after() stops it either way.
    const starting = freePort().then((port) => spawnSignet({ dataDir, port }));
    const installing = installPackedSignet(dir);
    signet = await starting;
    installed = await installing;
    // As the README has it: a client of its own that may sign for the default server only.
    const created = await runSignetCli([
      'clients',
      'create',
      'my-idp',
      '--scope',
      'tokens:sign',
      '--sign-for',
      'default',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    assert.equal(created.code, 0, created.stderr);
    client = JSON.parse(created.stdout) as { clientId: string; clientSecret: string };
  });
  after(async () => {
    await signet?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the tarball carries the compiled client, and its exports name it', () => {
    for (const file of ['dist/client/create-signer.js', 'dist/client/create-signer.d.ts', 'bin/signet.js'])
      assert.ok(installed.packedFiles.includes(file), `${file} is packed`);
    assert.deepEqual(
      installed.packedFiles.filter((file) => /\.test\.ts$|^test\//.test(file)),
      [],
    );
    const manifest = JSON.parse(readFileSync(join(installed.appDir, 'node_modules/signet/package.json'), 'utf8'));
    assert.deepEqual(manifest.exports['./client'], {
      types: './dist/client/create-signer.d.ts',
      default: './dist/client/create-signer.js',
    });
  });

  test('a plain .mjs importing signet/client signs; the JWT verifies against the JWKS, a refusal is typed', async () => {
    writeFileSync(join(installed.appDir, 'issuer.mjs'), ISSUER_MJS);
    const output = await run(process.execPath, ['issuer.mjs'], {
      cwd: installed.appDir,
      env: cleanEnv({
        SIGNET_URL: signet.url,
        SIGNET_CLIENT_ID: client.clientId,
        SIGNET_CLIENT_SECRET: client.clientSecret,
      }),
    });
    const answer = JSON.parse(output.stdout) as {
      id_token: string;
      verifiableUntil: string;
      expiresAt: string;
      refusal: { name: string; code: string; status: number; details: Record<string, unknown> };
    };
    const { payload } = await jwtVerify(
      answer.id_token,
      createRemoteJWKSet(new URL(`${signet.url}/.well-known/jwks.json`)),
      {
        issuer: signet.url,
        audience: 'my-client',
      },
    );
    assert.equal(payload.sub, 'user-1');
    assert.equal(payload.nonce, 'n-0S6');
    assert.equal(payload.exp! - payload.iat!, 300);
    assert.deepEqual(Object.keys(decodeProtectedHeader(answer.id_token)).sort(), ['alg', 'kid', 'typ']);
    assert.ok(Date.parse(answer.verifiableUntil) > Date.parse(answer.expiresAt));
    assert.equal(answer.refusal.name, 'SignetClientError');
    assert.equal(answer.refusal.code, 'ERR_TOKEN_LIFETIME_TOO_LONG');
    assert.equal(answer.refusal.status, 400);
    assert.equal(answer.refusal.details.maxTokenLifetimeSeconds, 3600);
  });

  test('a TypeScript consumer type-checks against the packed declarations alone', async () => {
    writeFileSync(join(installed.appDir, 'issuer.ts'), ISSUER_TS);
    writeFileSync(join(installed.appDir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: installed.appDir }).catch(
      (error: { stdout: string; stderr: string }) => ({ stdout: `${error.stdout}${error.stderr}` }),
    );
    assert.equal(checked.stdout, '');
  });
});
