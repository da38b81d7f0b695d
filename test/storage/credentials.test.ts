import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storageDialects } from './dialects.ts';
import { assertRejectsWithCode, makeApiToken, makeClient, makeTenant, useHarness } from './fixtures.ts';

for (const dialect of storageDialects) {
  describe(`${dialect.name}: API clients`, () => {
    const harness = useHarness(dialect);

    it('round-trips every field and lists per tenant or across all tenants', async () => {
      const { store } = harness();
      const a1 = makeClient('acme', 'c_a1', { scopes: ['keys:read', 'audit:read'], createdAt: 1 });
      const a2 = makeClient('acme', 'c_a2', { scopes: [], authorizationServerIds: ['default', 'idp'], createdAt: 2 });
      const g1 = makeClient('globex', 'c_g1', { createdAt: 3 });
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertTenant(makeTenant('globex'));
        for (const client of [a1, a2, g1]) await tx.insertClient(client);
      });
      assert.deepEqual(await store.read((reader) => reader.getClient('c_a1')), a1);
      assert.equal(await store.read((reader) => reader.getClient('nope')), undefined);
      assert.deepEqual(await store.read((reader) => reader.listClients('acme')), [a1, a2]);
      assert.deepEqual(await store.read((reader) => reader.listClients(undefined)), [a1, a2, g1]);
    });

    it('a duplicate client id, even in another tenant, is ERR_ALREADY_EXISTS', async () => {
      const { store } = harness();
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertTenant(makeTenant('globex'));
        await tx.insertClient(makeClient('acme', 'c1'));
      });
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertClient(makeClient('globex', 'c1'))),
        'ERR_ALREADY_EXISTS',
      );
    });

    it('deleteClient deletes only within its tenant and reports whether it did', async () => {
      const { store } = harness();
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertClient(makeClient('acme', 'c1'));
      });
      assert.equal(await store.transaction((tx) => tx.deleteClient('globex', 'c1')), false);
      assert.ok(await store.read((reader) => reader.getClient('c1')));
      assert.equal(await store.transaction((tx) => tx.deleteClient('acme', 'c1')), true);
      assert.equal(await store.read((reader) => reader.getClient('c1')), undefined);
      assert.equal(await store.transaction((tx) => tx.deleteClient('acme', 'c1')), false);
    });
  });

  describe(`${dialect.name}: API tokens`, () => {
    const harness = useHarness(dialect);

    it('round-trips every field, found by hash or by tenant and id, listed per tenant and in all', async () => {
      const { store } = harness();
      const t1 = makeApiToken('acme', 't1', { scopes: ['keys:read', 'keys:write'], createdAt: 1 });
      const t2 = makeApiToken('acme', 't2', { authorizationServerIds: ['idp'], createdAt: 2 });
      const other = makeApiToken('globex', 't3');
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertTenant(makeTenant('globex'));
        for (const token of [t1, t2, other]) await tx.insertApiToken(token);
      });
      assert.deepEqual(await store.read((reader) => reader.getApiTokenByHash(t1.tokenHash)), t1);
      assert.equal(await store.read((reader) => reader.getApiTokenByHash('nope')), undefined);
      assert.deepEqual(await store.read((reader) => reader.listApiTokens('acme')), [t1, t2]);
      assert.deepEqual(await store.read((reader) => reader.getApiToken('acme', 't2')), t2);
      assert.equal(await store.read((reader) => reader.getApiToken('globex', 't2')), undefined, 'only in its tenant');
      assert.deepEqual((await store.read((reader) => reader.listApiTokens())).map((token) => token.id).sort(), [
        't1',
        't2',
        't3',
      ]);
    });

    it('a duplicate id or token hash is ERR_ALREADY_EXISTS', async () => {
      const { store } = harness();
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertApiToken(makeApiToken('acme', 't1', { tokenHash: 'h1' }));
      });
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertApiToken(makeApiToken('acme', 't1', { tokenHash: 'h2' }))),
        'ERR_ALREADY_EXISTS',
      );
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertApiToken(makeApiToken('acme', 't2', { tokenHash: 'h1' }))),
        'ERR_ALREADY_EXISTS',
      );
    });

    it('deleteApiToken deletes only within its tenant and reports whether it did', async () => {
      const { store } = harness();
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertApiToken(makeApiToken('acme', 't1'));
      });
      assert.equal(await store.transaction((tx) => tx.deleteApiToken('globex', 't1')), false);
      assert.equal(await store.transaction((tx) => tx.deleteApiToken('acme', 't1')), true);
      assert.deepEqual(await store.read((reader) => reader.listApiTokens('acme')), []);
    });
  });

  describe(`${dialect.name}: meta`, () => {
    const harness = useHarness(dialect);

    it('setMeta inserts then overwrites; getMeta of an unknown name is undefined', async () => {
      const { store } = harness();
      assert.equal(await store.read((reader) => reader.getMeta('bootstrap')), undefined);
      await store.transaction((tx) => tx.setMeta('bootstrap', 'v1'));
      await store.transaction((tx) => tx.setMeta('bootstrap', 'v2'));
      assert.equal(await store.read((reader) => reader.getMeta('bootstrap')), 'v2');
    });
  });
}
