import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storageDialects } from './dialects.ts';
import { makeTenant } from './fixtures.ts';

for (const dialect of storageDialects) {
  describe(`${dialect.name}: migrations`, () => {
    it('migrate() on a fresh database creates a usable schema', async () => {
      const { store, cleanup } = await dialect.create();
      try {
        await store.migrate();
        await store.transaction((tx) => tx.insertTenant(makeTenant('acme')));
        assert.equal((await store.read((reader) => reader.getTenant('acme')))?.id, 'acme');
      } finally {
        await cleanup();
      }
    });

    it('migrate() is idempotent and keeps existing data', async () => {
      const { store, cleanup } = await dialect.create();
      try {
        await store.migrate();
        await store.transaction((tx) => tx.insertTenant(makeTenant('acme')));
        await store.migrate();
        await Promise.all([store.migrate(), store.migrate()]);
        assert.deepEqual((await store.read((reader) => reader.listTenants())).map((t) => t.id), ['acme']);
      } finally {
        await cleanup();
      }
    });

    it('reports its dialect', async () => {
      const { store, cleanup } = await dialect.create();
      try {
        assert.equal(store.dialect, dialect.name);
      } finally {
        await cleanup();
      }
    });
  });
}
