import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { isSignetError } from '../errors.ts';
import { derToP1363 } from './der-to-p1363.ts';

/** DER of a positive INTEGER with the given big-endian magnitude (X.690 §8.3: minimal, signed). */
function derInteger(magnitude: Buffer): Buffer {
  let bytes = magnitude;
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  if ((bytes[0] as number) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

function derSignature(r: Buffer, s: Buffer): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  const length = body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return Buffer.concat([Buffer.from([0x30]), length, body]);
}

describe('derToP1363', () => {
  for (const [curve, size] of [
    ['P-256', 32],
    ['P-384', 48],
    ['P-521', 66],
  ] as const) {
    it(`left-pads short ${curve} integers and drops sign octets`, () => {
      const high = Buffer.concat([Buffer.from([0xff]), randomBytes(size - 1)]);
      const short = Buffer.concat([Buffer.alloc(3), randomBytes(size - 3)]);
      const one = Buffer.concat([Buffer.alloc(size - 1), Buffer.from([1])]);
      for (const [r, s] of [
        [high, short],
        [short, high],
        [one, high],
        [high, high],
        [short, one],
      ]) {
        // P-521 coordinates are 66 bytes but below 2^521: mask the top byte as a real signature would.
        const fix = (value: Buffer) =>
          curve === 'P-521' ? Buffer.concat([Buffer.from([(value[0] as number) & 0x01]), value.subarray(1)]) : value;
        const [rr, ss] = [fix(r as Buffer), fix(s as Buffer)];
        assert.deepEqual(derToP1363(derSignature(rr, ss), size), Buffer.concat([rr, ss]));
      }
    });

    it(`produces ${curve} signatures OpenSSL verifies as IEEE P1363`, () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      for (let i = 0; i < 20; i += 1) {
        const data = Buffer.from(`message ${i}`);
        const p1363 = derToP1363(sign('sha256', data, privateKey), size);
        assert.equal(p1363.length, 2 * size);
        assert.equal(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, p1363), true);
      }
    });
  }

  it('refuses input that is not a DER signature', () => {
    const der = sign('sha256', Buffer.from('x'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    for (const bad of [
      Buffer.alloc(0),
      Buffer.concat([der, Buffer.from([0])]),
      Buffer.from([0x31, ...der.subarray(1)]),
      der.subarray(0, der.length - 1),
      // r claims 5 octets where 2 remain before s.
      Buffer.from('300702050102020101', 'hex'),
    ]) {
      assert.throws(
        () => derToP1363(bad, 32),
        (error) => isSignetError(error, 'ERR_INTERNAL'),
        bad.toString('hex'),
      );
    }
    // A P-384 signature does not fit P-256 coordinates.
    const p384 = sign('sha384', Buffer.from('x'), generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey);
    assert.throws(
      () => derToP1363(p384, 32),
      (error) => isSignetError(error, 'ERR_INTERNAL'),
    );
  });
});
