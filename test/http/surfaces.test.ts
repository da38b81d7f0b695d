import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nativeErrorEnvelope } from '../../src/http/native/native-error-envelope.ts';
import type { SurfaceDescriptor } from '../../src/http/surface-descriptor.ts';
import { createSurfaceIndex } from '../../src/http/surface-index.ts';
import { SURFACES } from '../../src/http/surfaces.ts';

const BASE = 'http://signet.test/t/acme';

describe('surface descriptors', () => {
  test('every envelope name is declared by one surface only', () => {
    const twice: SurfaceDescriptor = {
      name: 'copy',
      scope: 'tenant',
      envelopes: { okta: nativeErrorEnvelope },
      routes: async () => {},
    };
    assert.throws(() => createSurfaceIndex([...SURFACES, twice]), /two surfaces declare the error envelope okta/);
  });

  test('a route naming an envelope no surface declares is refused when the app is built', () => {
    const index = createSurfaceIndex(SURFACES);
    assert.throws(() => index.addRoute('/nowhere', 'oktaa'), /no surface declares the error envelope oktaa/);
  });

  test("the default server issues every surface's management audience, each once", () => {
    assert.deepEqual(createSurfaceIndex(SURFACES).managementAudiences(BASE).sort(), [
      BASE,
      `${BASE}/api/2`,
      `${BASE}/api/v2/`,
      'urn:signet:management',
    ]);
  });

  test('a new surface is one descriptor: its prefix and envelope answer its unmatched requests', () => {
    const signing = { ...nativeErrorEnvelope };
    const added: SurfaceDescriptor = {
      name: 'signing',
      scope: 'tenant',
      envelopes: { signing },
      prefixes: [{ prefix: '/signet/v1/signing/', envelope: 'signing' }],
      routes: async () => {},
    };
    const index = createSurfaceIndex([...SURFACES, added]);
    assert.equal(index.envelopeOfUrl('/t/acme/signet/v1/signing/nothing'), signing);
    assert.equal(index.envelopeOfUrl('/signet/v1/nothing'), nativeErrorEnvelope);
    index.addRoute('/k8s/:name/sign', 'signing');
    assert.equal(index.envelopeOfUrl('/k8s/x/sign?y=1'), signing);
  });
});
