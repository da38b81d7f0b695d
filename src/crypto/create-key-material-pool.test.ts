import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Algorithm, RsaModulusLength } from '../domain/types.ts';
import { computeKid } from './compute-kid.ts';
import { createKeyMaterialPool } from './create-key-material-pool.ts';
import { defaultCommonName } from './default-common-name.ts';
import { isKeyOf } from './read-certificate.ts';
import { toPublicJwk } from './to-public-jwk.ts';
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
    assert.equal(calls.length, 1, 'the refill waits for the next turn of the event loop');
    await settle();
    assert.equal(calls.length, 2, 'one refill started');
    calls[1]?.resolve();
    await settle();
    assert.equal(await pool.take('RS256', 3072), calls[1]?.pair);
    await settle();
    assert.equal(calls.length, 3);
    pool.close();
  });

  it('keeps separate spares per algorithm and modulus, passing no modulus for non-RSA', async () => {
    const { calls, generate } = controlledGenerator();
    const pool = createKeyMaterialPool({ generate });
    pool.warm('RS256', 2048);
    pool.warm('RS256', 4096);
    pool.warm('ES256', null);
    assert.deepEqual(
      calls.map((call) => [call.alg, call.rsaModulusLength]),
      [
        ['RS256', 2048],
        ['RS256', 4096],
        ['ES256', undefined],
      ],
    );
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
    const onUnhandled = () => {
      unhandled += 1;
    };
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

  describe('certificates signed ahead', () => {
    const DAY_S = 24 * 60 * 60;
    const T0 = Date.UTC(2026, 0, 1);

    /** Lets the pool sign a spare's certificate (a real Ed25519 signature: well under a millisecond). */
    const signed = () => new Promise<void>((resolve) => setTimeout(resolve, 200));

    it('hands out a spare with the certificate a new key of it gets, then prepares the refill', async () => {
      const { calls, generate } = controlledGenerator();
      const clock = { now: T0 };
      const pool = createKeyMaterialPool({ generate, now: () => clock.now });
      pool.warm('EdDSA', null, 30 * DAY_S);
      calls[0]?.resolve();
      await signed();
      clock.now += 60_000;

      const material = await pool.takeWithCertificate('EdDSA', null, 30 * DAY_S);
      assert.equal(material.keyPair, calls[0]?.pair);
      assert.ok(material.certificate, 'the certificate was prepared ahead');
      assert.ok(
        isKeyOf(
          new X509Certificate(Buffer.from(material.certificate.der, 'base64')).publicKey,
          material.keyPair.privateKey,
        ),
        'it certifies the pair handed out',
      );
      const kid = await computeKid(toPublicJwk(material.keyPair.privateKey));
      const x509 = new X509Certificate(Buffer.from(material.certificate.der, 'base64'));
      assert.equal(x509.subject, `CN=${defaultCommonName(kid)}`);
      assert.ok(x509.verify(x509.publicKey), 'self-signed');
      // Backdated 5 minutes from when it was signed, valid for the asked validity from then.
      assert.equal(material.certificate.notBefore, T0 - 5 * 60_000);
      assert.equal(material.certificate.notAfter, T0 + 30 * DAY_S * 1000);

      await settle();
      assert.equal(calls.length, 2, 'the take started a refill');
      calls[1]?.resolve();
      await signed();
      const refill = await pool.takeWithCertificate('EdDSA', null, 30 * DAY_S);
      assert.equal(refill.keyPair, calls[1]?.pair);
      assert.ok(refill.certificate, 'the refill got its certificate too');
      assert.ok(
        isKeyOf(
          new X509Certificate(Buffer.from(refill.certificate.der, 'base64')).publicKey,
          refill.keyPair.privateKey,
        ),
      );
      pool.close();
    });

    it('hands out no certificate for another validity, one older than the bound, or a pair generated on demand', async () => {
      const { calls, generate } = controlledGenerator();
      const clock = { now: T0 };
      const pool = createKeyMaterialPool({ generate, now: () => clock.now, certificateMaxAgeMs: 60 * 60_000 });
      pool.warm('EdDSA', null, 30 * DAY_S);
      calls[0]?.resolve();
      await signed();
      clock.now += 60 * 60_000 + 1;
      const stale = await pool.takeWithCertificate('EdDSA', null, 30 * DAY_S);
      assert.equal(stale.keyPair, calls[0]?.pair);
      assert.equal(stale.certificate, null, 'older than the bound: the caller signs a fresh one');
      await settle();

      calls[1]?.resolve();
      await signed();
      const other = await pool.takeWithCertificate('EdDSA', null, 90 * DAY_S);
      assert.equal(other.keyPair, calls[1]?.pair);
      assert.equal(other.certificate, null, 'prepared for 30 days, asked for 90');
      await settle();

      // No spare ready: the pair is generated for the take and comes without a certificate.
      const onDemand = pool.takeWithCertificate('EdDSA', null, 90 * DAY_S);
      calls[2]?.resolve();
      calls[3]?.resolve();
      assert.equal((await onDemand).certificate, null);
      pool.close();
    });

    it("signs a waiting spare's certificate again once it reaches the age bound", async () => {
      const { calls, generate } = controlledGenerator();
      const clock = { now: T0 };
      const pool = createKeyMaterialPool({ generate, now: () => clock.now, certificateMaxAgeMs: 50 });
      pool.warm('EdDSA', null, DAY_S);
      calls[0]?.resolve();
      await signed();
      // An hour later on the services' clock; the renewal timer fired meanwhile on the wall clock.
      clock.now += 60 * 60_000;
      await new Promise((resolve) => setTimeout(resolve, 100));
      await signed();
      clock.now += 10;
      const material = await pool.takeWithCertificate('EdDSA', null, DAY_S);
      assert.ok(material.certificate, 'renewed, so fresh again');
      assert.equal(material.certificate.notBefore, T0 + 60 * 60_000 - 5 * 60_000);
      pool.close();
    });

    it("prepares real RSA key material whose certificate verifies with the pair's public key", async () => {
      const pool = createKeyMaterialPool();
      pool.warm('RS384', 2048, DAY_S);
      // Generation of RSA-2048 takes a moment: take until the spare came with its certificate.
      let material = await pool.takeWithCertificate('RS384', 2048, DAY_S);
      for (let attempt = 0; material.certificate === null && attempt < 20; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        material = await pool.takeWithCertificate('RS384', 2048, DAY_S);
      }
      assert.ok(material.certificate);
      const x509 = new X509Certificate(Buffer.from(material.certificate.der, 'base64'));
      assert.ok(x509.verify(material.keyPair.publicKey));
      assert.equal(x509.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.match(x509.subject, /^CN=Signet signing key /);
      pool.close();
    });
  });
});
