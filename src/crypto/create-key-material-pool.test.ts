import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Algorithm, RsaModulusLength } from '../domain/types.ts';
import { createKeyMaterialPool } from './create-key-material-pool.ts';
import type { KeyPair } from './generate-key-pair.ts';

interface Call {
  alg: Algorithm;
  rsaModulusLength: RsaModulusLength | undefined;
  pair: KeyPair;
  resolve(): void;
  reject(error: Error): void;
}

/** A generator whose calls are counted and finish only when the test says so. */
function controlledGenerator() {
  const calls: Call[] = [];
  const generate = (alg: Algorithm, rsaModulusLength?: RsaModulusLength): Promise<KeyPair> =>
    new Promise((resolve, reject) => {
      const pair = generateKeyPairSync('ed25519');
      calls.push({ alg, rsaModulusLength, pair, resolve: () => resolve(pair), reject });
    });
  return { calls, generate };
}

// Lets settled promise callbacks run; no timers involved.
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createKeyMaterialPool', () => {
  it('hands out a warmed spare without generating again, then refills in the background', async () => {
    const { calls, generate } = controlledGenerator();
    const pool = createKeyMaterialPool({ generate });
    pool.warm('RS256', 3072);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.alg, 'RS256');
    assert.equal(calls[0]?.rsaModulusLength, 3072);
    pool.warm('RS256', 3072);
    assert.equal(calls.length, 1, 'warming twice does not over-fill');
    calls[0]?.resolve();
    await settle();

    const taken = await pool.take('RS256', 3072);
    assert.equal(taken, calls[0]?.pair);
    assert.equal(calls.length, 2, 'one refill started');
    calls[1]?.resolve();
    await settle();
    assert.equal(await pool.take('RS256', 3072), calls[1]?.pair);
    assert.equal(calls.length, 3);
    pool.close();
  });

  it('keeps separate spares per algorithm and modulus, passing no modulus for non-RSA', async () => {
    const { calls, generate } = controlledGenerator();
    const pool = createKeyMaterialPool({ generate });
    pool.warm('RS256', 2048);
    pool.warm('RS256', 4096);
    pool.warm('ES256', null);
    assert.deepEqual(calls.map((call) => [call.alg, call.rsaModulusLength]), [['RS256', 2048], ['RS256', 4096], ['ES256', undefined]]);
    pool.close();
  });

  it('keeps the configured number of spares', async () => {
    const { calls, generate } = controlledGenerator();
    const pool = createKeyMaterialPool({ generate, spares: 3 });
    pool.warm('EdDSA', null);
    assert.equal(calls.length, 3);
    pool.close();
  });

  it('generates on demand when no spare is ready, and serves concurrent takes with distinct pairs', async () => {
    const { calls, generate } = controlledGenerator();
    const pool = createKeyMaterialPool({ generate });
    const first = pool.take('PS256', 2048);
    const second = pool.take('PS256', 2048);
    // Each take needs a pair of its own plus one spare to keep.
    assert.equal(calls.length, 3);
    for (const call of calls) call.resolve();
    const [a, b] = await Promise.all([first, second]);
    assert.notEqual(a, b);
    assert.equal(a, calls[0]?.pair);
    assert.equal(b, calls[1]?.pair);
    await settle();
    assert.equal(await pool.take('PS256', 2048), calls[2]?.pair, 'the third pair was kept as a spare');
    pool.close();
  });

  it('a take that is waiting uses the generation already running', async () => {
    const { calls, generate } = controlledGenerator();
    const pool = createKeyMaterialPool({ generate });
    pool.warm('ES384', null);
    const taken = pool.take('ES384', null);
    calls[0]?.resolve();
    assert.equal(await taken, calls[0]?.pair);
    pool.close();
  });

  it('swallows a failed background generation and retries on the next take', async () => {
    const { calls, generate } = controlledGenerator();
    const pool = createKeyMaterialPool({ generate });
    let unhandled = 0;
    const onUnhandled = () => { unhandled += 1; };
    process.on('unhandledRejection', onUnhandled);
    try {
      pool.warm('ES256', null);
      calls[0]?.reject(new Error('boom'));
      await settle();
      assert.equal(calls.length, 1, 'no retry loop after a failure');
      const taken = pool.take('ES256', null);
      assert.equal(calls.length, 3, 'one pair for the take, one spare');
      calls[1]?.resolve();
      calls[2]?.resolve();
      assert.equal(await taken, calls[1]?.pair);
      await settle();
      assert.equal(unhandled, 0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      pool.close();
    }
  });

  it('rejects a waiting take whose own generation fails', async () => {
    const { calls, generate } = controlledGenerator();
    const pool = createKeyMaterialPool({ generate, spares: 0 });
    const taken = pool.take('EdDSA', null);
    calls[0]?.reject(new Error('entropy exhausted'));
    await assert.rejects(taken, /entropy exhausted/);
    pool.close();
  });

  it('stops refilling once closed but still serves takes', async () => {
    const { calls, generate } = controlledGenerator();
    const pool = createKeyMaterialPool({ generate });
    pool.warm('ES256', null);
    calls[0]?.resolve();
    await settle();
    pool.close();
    pool.warm('ES256', null);
    assert.equal(calls.length, 1, 'warm does nothing once closed');
    const taken = pool.take('ES256', null);
    assert.equal(calls.length, 2, 'the spare was dropped, so the take generates');
    calls[1]?.resolve();
    assert.equal(await taken, calls[1]?.pair);
    await settle();
    assert.equal(calls.length, 2, 'no refill after close');
  });

  it('generates real key pairs by default', async () => {
    const pool = createKeyMaterialPool();
    const pair = await pool.take('ES256', null);
    assert.equal(pair.privateKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    pool.close();
  });
});
