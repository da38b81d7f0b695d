import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storageDialects } from './dialects.ts';
import { makeAuthorizationServer, makeTenant, useHarness } from './fixtures.ts';

for (const dialect of storageDialects) {
  describe(`${dialect.name}: authorization servers`, () => {
    const harness = useHarness(dialect);

    it('round-trips the external issuer, set, changed and cleared', async () => {
      const { store } = harness();
      const server = makeAuthorizationServer('acme', 'idp', { externalIssuer: 'https://login.example.com' });
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertAuthorizationServer(server);
      });
      assert.deepEqual(await store.read((reader) => reader.getAuthorizationServer('acme', 'idp')), server);
      for (const externalIssuer of ['https://id.example.org', null]) {
        await store.transaction((tx) => tx.updateAuthorizationServer({ ...server, externalIssuer }));
        const read = await store.read((reader) => reader.getAuthorizationServer('acme', 'idp'));
        assert.equal(read?.externalIssuer, externalIssuer);
      }
    });
  });
}
