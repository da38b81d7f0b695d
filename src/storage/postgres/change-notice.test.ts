import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoreChange } from '../store.ts';
import { decodeChangeNotice, encodeChangeNotice } from './change-notice.ts';

describe('change notices', () => {
  test('a notice survives the round trip through a NOTIFY payload', () => {
    const changes: StoreChange[] = [
      { entity: 'keySet', tenantId: 'acme', id: 'ks_1' },
      { entity: 'client', tenantId: 'acme', id: 'c1' },
    ];
    assert.deepEqual(decodeChangeNotice(encodeChangeNotice({ origin: 'a', changes })), { origin: 'a', changes });
  });

  test('a change list too long for NOTIFY (8000 bytes) becomes a full reload', () => {
    const changes: StoreChange[] = Array.from({ length: 200 }, (_, index) => ({
      entity: 'tenant',
      tenantId: `t${index}`,
      id: `tenant-${index}-${'x'.repeat(20)}`,
    }));
    const payload = encodeChangeNotice({ origin: 'a', changes });
    assert.ok(Buffer.byteLength(payload) < 8000);
    assert.deepEqual(decodeChangeNotice(payload), { origin: 'a', changes: [{ entity: 'all' }] });
  });

  test('a payload it cannot read asks for a full reload instead of being dropped', () => {
    for (const payload of [
      undefined,
      '',
      'not json',
      '{"origin":"a"}',
      '{"origin":"a","changes":[{"entity":"key","tenantId":"t","id":"k"}]}',
      '{"origin":"a","changes":[{"entity":"tenant","id":"t"}]}',
    ]) {
      assert.deepEqual(decodeChangeNotice(payload).changes, [{ entity: 'all' }], String(payload));
    }
  });
});
