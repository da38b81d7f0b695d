import assert from 'node:assert/strict';
import { test } from 'node:test';
import { orderByForeignKeys } from './order-by-foreign-keys.ts';

const table = (name: string) => ({ name, columns: ['id'] });

test('orderByForeignKeys puts each table after the tables it references, names breaking ties', () => {
  const tables = ['keys', 'authorization_servers', 'key_sets', 'tenants', 'audit_events'].map(table);
  const references = new Map([
    ['keys', ['key_sets']],
    ['authorization_servers', ['tenants', 'key_sets']],
    ['key_sets', ['tenants']],
  ]);
  assert.deepEqual(
    orderByForeignKeys(tables, references).map((entry) => entry.name),
    ['audit_events', 'tenants', 'key_sets', 'authorization_servers', 'keys'],
  );
});

test('orderByForeignKeys ignores self-references and refuses a cycle', () => {
  assert.deepEqual(
    orderByForeignKeys([table('a')], new Map([['a', ['a']]])).map((entry) => entry.name),
    ['a'],
  );
  assert.throws(
    () =>
      orderByForeignKeys(
        [table('a'), table('b')],
        new Map([
          ['a', ['b']],
          ['b', ['a']],
        ]),
      ),
    /cycle/,
  );
});
