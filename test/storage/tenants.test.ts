import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storageDialects } from './dialects.ts';
import { assertRejectsWithCode, makeAuthorizationServer, makeKeySet, makeTenant, useHarness } from './fixtures.ts';

for (const dialect of storageDialects) {
  describe(`${dialect.name}: tenants`, () => {
    const harness = useHarness(dialect);

    it('insertTenant round-trips every field, host names included', async () => {
      const { store } = harness();
      const tenant = makeTenant('acme', {
        displayName: 'Acme Inc.',
        hostNames: ['auth.acme.test', 'login.acme.test'],
        createdAt: 1234,
      });
      await store.transaction((tx) => tx.insertTenant(tenant));
      assert.deepEqual(await store.read((reader) => reader.getTenant('acme')), tenant);
      assert.equal(await store.read((reader) => reader.getTenant('nobody')), undefined);
    });

    it('listTenants returns every tenant with its own host names', async () => {
      const { store } = harness();
      const acme = makeTenant('acme', { hostNames: ['auth.acme.test'], createdAt: 1 });
      const globex = makeTenant('globex', { hostNames: [], createdAt: 2 });
      const initech = makeTenant('initech', { hostNames: ['a.initech.test', 'b.initech.test'], createdAt: 3 });
      await store.transaction(async (tx) => {
        for (const tenant of [acme, globex, initech]) await tx.insertTenant(tenant);
      });
      assert.deepEqual(await store.read((reader) => reader.listTenants()), [acme, globex, initech]);
    });

    it('a duplicate tenant id is ERR_ALREADY_EXISTS', async () => {
      const { store } = harness();
      await store.transaction((tx) => tx.insertTenant(makeTenant('acme')));
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertTenant(makeTenant('acme'))),
        'ERR_ALREADY_EXISTS',
      );
    });

    it('findTenantByHost ignores case and keeps the name as written', async () => {
      const { store } = harness();
      await store.transaction((tx) => tx.insertTenant(makeTenant('acme', { hostNames: ['Auth.Acme.Test'] })));
      const found = await store.read((reader) => reader.findTenantByHost('auth.ACME.test'));
      assert.equal(found?.id, 'acme');
      assert.deepEqual(found?.hostNames, ['Auth.Acme.Test']);
      assert.equal(await store.read((reader) => reader.findTenantByHost('other.acme.test')), undefined);
    });

    it('a host name claimed by another tenant, in any case, is ERR_ALREADY_EXISTS and writes nothing', async () => {
      const { store } = harness();
      await store.transaction((tx) => tx.insertTenant(makeTenant('acme', { hostNames: ['auth.acme.test'] })));
      await store.transaction(async (tx) => {
        await assertRejectsWithCode(
          tx.insertTenant(makeTenant('globex', { hostNames: ['ok.globex.test', 'AUTH.acme.test'] })),
          'ERR_ALREADY_EXISTS',
        );
        // The refused insert is all or nothing even though this transaction carries on.
        assert.equal(await tx.getTenant('globex'), undefined);
        assert.equal(await tx.findTenantByHost('ok.globex.test'), undefined);
      });
      assert.equal((await store.read((reader) => reader.findTenantByHost('auth.acme.test')))?.id, 'acme');
    });

    it('updateTenant replaces the display name and the host names', async () => {
      const { store } = harness();
      await store.transaction((tx) => tx.insertTenant(makeTenant('acme', { hostNames: ['old.acme.test'] })));
      const updated = makeTenant('acme', { displayName: 'Acme 2', hostNames: ['new.acme.test'] });
      await store.transaction((tx) => tx.updateTenant(updated));
      assert.deepEqual(await store.read((reader) => reader.getTenant('acme')), updated);
      assert.equal(await store.read((reader) => reader.findTenantByHost('old.acme.test')), undefined);
      assert.equal((await store.read((reader) => reader.findTenantByHost('new.acme.test')))?.id, 'acme');
    });

    it("updateTenant may keep its own host names but not take another tenant's", async () => {
      const { store } = harness();
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme', { hostNames: ['auth.acme.test'] }));
        await tx.insertTenant(makeTenant('globex', { hostNames: ['auth.globex.test'] }));
      });
      await store.transaction((tx) =>
        tx.updateTenant(makeTenant('acme', { hostNames: ['auth.acme.test', 'x.acme.test'] })),
      );
      await assertRejectsWithCode(
        store.transaction((tx) => tx.updateTenant(makeTenant('acme', { hostNames: ['Auth.Globex.Test'] }))),
        'ERR_ALREADY_EXISTS',
      );
      assert.deepEqual((await store.read((reader) => reader.getTenant('acme')))?.hostNames, [
        'auth.acme.test',
        'x.acme.test',
      ]);
    });

    it('updateTenant of an unknown tenant is ERR_TENANT_NOT_FOUND', async () => {
      const { store } = harness();
      await assertRejectsWithCode(
        store.transaction((tx) => tx.updateTenant(makeTenant('nobody'))),
        'ERR_TENANT_NOT_FOUND',
      );
    });
  });

  describe(`${dialect.name}: authorization servers`, () => {
    const harness = useHarness(dialect);

    it('round-trips every field, JSON audiences and a null signing key set included', async () => {
      const { store } = harness();
      const server = makeAuthorizationServer('acme', 'default', {
        audiences: ['api://default', 'https://api.acme.test'],
      });
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertAuthorizationServer(server);
      });
      assert.deepEqual(await store.read((reader) => reader.getAuthorizationServer('acme', 'default')), server);
      assert.equal(await store.read((reader) => reader.getAuthorizationServer('acme', 'other')), undefined);
    });

    it("lists a tenant's servers only (or every tenant's), and updates every mutable field", async () => {
      const { store } = harness();
      const first = makeAuthorizationServer('acme', 'default', { createdAt: 1 });
      const second = makeAuthorizationServer('acme', 'payments', { createdAt: 2, audiences: [] });
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertTenant(makeTenant('globex'));
        await tx.insertAuthorizationServer(first);
        await tx.insertAuthorizationServer(second);
        await tx.insertAuthorizationServer(makeAuthorizationServer('globex', 'default'));
        await tx.insertKeySet(makeKeySet('ks_acme', 'acme'));
      });
      assert.deepEqual(await store.read((reader) => reader.listAuthorizationServers('acme')), [first, second]);
      const everyTenant = await store.read((reader) => reader.listAuthorizationServers());
      assert.deepEqual(everyTenant.map((server) => `${server.tenantId}/${server.id}`).sort(), [
        'acme/default',
        'acme/payments',
        'globex/default',
      ]);

      const updated = {
        ...first,
        name: 'Renamed',
        audiences: ['x'],
        accessTokenLifetimeSeconds: 60,
        signingKeySetId: 'ks_acme',
      };
      await store.transaction((tx) => tx.updateAuthorizationServer(updated));
      assert.deepEqual(await store.read((reader) => reader.getAuthorizationServer('acme', 'default')), updated);
    });

    it('a duplicate (tenantId, id) is ERR_ALREADY_EXISTS; the same id in another tenant is fine', async () => {
      const { store } = harness();
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertTenant(makeTenant('globex'));
        await tx.insertAuthorizationServer(makeAuthorizationServer('acme', 'default'));
        await tx.insertAuthorizationServer(makeAuthorizationServer('globex', 'default'));
      });
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertAuthorizationServer(makeAuthorizationServer('acme', 'default'))),
        'ERR_ALREADY_EXISTS',
      );
    });

    it('updating an unknown server is ERR_AUTH_SERVER_NOT_FOUND', async () => {
      const { store } = harness();
      await store.transaction((tx) => tx.insertTenant(makeTenant('acme')));
      await assertRejectsWithCode(
        store.transaction((tx) => tx.updateAuthorizationServer(makeAuthorizationServer('acme', 'nope'))),
        'ERR_AUTH_SERVER_NOT_FOUND',
      );
    });
  });
}
