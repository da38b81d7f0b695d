import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSignetError } from '../errors.ts';
import { importedKid } from './imported-kid.ts';

test('importedKid prefers the explicit kid, then a JWK kid (object or JSON text), else none', () => {
  assert.equal(importedKid({ kty: 'EC', kid: 'from-jwk' }, 'explicit'), 'explicit');
  assert.equal(importedKid({ kty: 'EC', kid: 'from-jwk' }, undefined), 'from-jwk');
  assert.equal(importedKid('{"kty":"EC","kid":"from-text"}', undefined), 'from-text');
  assert.equal(importedKid('-----BEGIN PRIVATE KEY-----', undefined), undefined);
  assert.equal(importedKid('{not json', undefined), undefined);
});

test('importedKid refuses a kid that is not URL-safe or too long', () => {
  for (const bad of ['has space', 'a/b', '', 'x'.repeat(129)]) {
    assert.throws(
      () => importedKid({}, bad),
      (error) => isSignetError(error, 'ERR_VALIDATION'),
    );
  }
  assert.throws(
    () => importedKid({ kid: 42 }, undefined),
    (error) => isSignetError(error, 'ERR_VALIDATION'),
  );
});
