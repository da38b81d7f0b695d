import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storageDialects } from './dialects.ts';
import { assertRejectsWithCode, makeClient, makeTenant, useHarness } from './fixtures.ts';

for (const dialect of storageDialects) {
  describe(`${dialect.name}: writes started together in one transaction`, () => {
    const harness = useHarness(dialect);

    it('a refused write of several statements rolls back only its own statements', async () => {
      const { store } = harness();
      await store.transaction((tx) => tx.insertTenant(makeTenant('acme', { hostNames: ['acme.example'] })));
      await store.transaction(async (tx) => {
        // The tenant row goes in first, then its host name is refused (acme has it); the client,
        // written meanwhile, must not land inside the tenant's savepoint and be rolled back with it.
        const tenant = tx.insertTenant(makeTenant('beta', { hostNames: ['acme.example'] }));
        const client = tx.insertClient(makeClient('acme', 'client_1'));
        await assertRejectsWithCode(tenant, 'ERR_ALREADY_EXISTS');
        await client;
      });
      const { beta, client } = await store.read(async (reader) => ({
        beta: await reader.getTenant('beta'),
        client: await reader.getClient('client_1'),
      }));
      assert.equal(beta, undefined);
      assert.equal(client?.tenantId, 'acme');
    });
  });
}
