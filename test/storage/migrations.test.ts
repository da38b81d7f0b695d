import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postgresMigrations } from '../../src/storage/postgres/migrations.ts';
import { sqliteMigrations } from '../../src/storage/sqlite/migrations.ts';
import { storageDialects } from './dialects.ts';
import { insertKeySql, makeKey, makeTenant } from './fixtures.ts';

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
        assert.deepEqual(
          (await store.read((reader) => reader.listTenants())).map((t) => t.id),
          ['acme'],
        );
      } finally {
        await cleanup();
      }
    });

    it("2026-11-22-certificate-issuer marks the keys of an older database as holding Signet's own certificates", async () => {
      const { store, rawExec, cleanup } = await dialect.create();
      try {
        const migrations = dialect.name === 'sqlite' ? sqliteMigrations : postgresMigrations;
        const upTo = migrations.findIndex((migration) => migration.id === '2026-11-22-certificate-issuer');
        assert.ok(upTo > 0);
        // The database as the previous version left it: the earlier migrations, recorded, and a key.
        await rawExec('CREATE TABLE schema_migrations (id TEXT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)');
        for (const migration of migrations.slice(0, upTo)) {
          await rawExec(migration.sql);
          await rawExec(`INSERT INTO schema_migrations (id, applied_at) VALUES ('${migration.id}', 1)`);
        }
        await rawExec("INSERT INTO tenants (id, display_name, created_at) VALUES ('acme', 'Acme', 1)");
        await rawExec(`INSERT INTO key_sets (id, tenant_id, owner_type, owner_id, alg, rsa_modulus_length, mode, rotation_period_seconds,
          jwks_max_age_seconds, clock_skew_seconds, max_token_lifetime_seconds, draining_period_seconds, certificate_validity_seconds,
          certificate_renew_before_seconds, created_at, updated_at) VALUES ('ks_1', 'acme', 'authorizationServer', 'default', 'RS256', 2048,
          'AUTO', 1, 1, 1, 1, 1, 1, 1, 1, 1)`);
        const key = makeKey('ks_1', 'k1', 'active');
        await rawExec(insertKeySql(key));
        await store.migrate();
        assert.deepEqual(await store.read((reader) => reader.getKey('ks_1', 'k1')), {
          ...key,
          certificateIssuer: 'signet',
        });
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
