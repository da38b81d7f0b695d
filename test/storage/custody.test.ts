import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storageDialects } from './dialects.ts';
import { assertRejectsWithCode, makeKey, makeKeySet, makeTenant, useHarness } from './fixtures.ts';

for (const dialect of storageDialects) {
  describe(`${dialect.name}: key custody and sealed secrets`, () => {
    const harness = useHarness(dialect);

    async function seed() {
      const { store } = harness();
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertKeySet(makeKeySet('ks_sealed', 'acme'));
        await tx.insertKeySet(makeKeySet('ks_token', 'acme', { custody: 'pkcs11' }));
        await tx.insertKey(makeKey('ks_sealed', 'k1', 'active'));
        await tx.insertKey(
          makeKey('ks_token', 't1', 'active', { sealedPrivateKey: null, tokenObjectId: 'ab'.repeat(16) }),
        );
      });
      return store;
    }

    it('a pkcs11 key round-trips with its token object id and no sealed key', async () => {
      const store = await seed();
      const key = await store.read((reader) => reader.getKey('ks_token', 't1'));
      assert.equal(key?.sealedPrivateKey, null);
      assert.equal(key?.tokenObjectId, 'ab'.repeat(16));
      assert.equal((await store.read((reader) => reader.getKeySet('ks_token')))?.custody, 'pkcs11');
    });

    it('the schema refuses a key whose custody does not match its key set, or that holds both or neither', async () => {
      const store = await seed();
      for (const key of [
        makeKey('ks_sealed', 'x1', 'next', { sealedPrivateKey: null, tokenObjectId: 'cd'.repeat(16) }),
        makeKey('ks_token', 'x2', 'next'),
        makeKey('ks_token', 'x3', 'next', { tokenObjectId: 'ef'.repeat(16) }),
        makeKey('ks_sealed', 'x4', 'next', { sealedPrivateKey: null }),
      ]) {
        await assertRejectsWithCode(
          store.transaction((tx) => tx.insertKey(key)),
          'ERR_INTERNAL',
        );
      }
    });

    it("a key set's custody is fixed once written", async () => {
      const { rawExec } = harness();
      await seed();
      await assert.rejects(rawExec("UPDATE key_sets SET custody = 'sealed' WHERE id = 'ks_token'"));
      await assert.rejects(rawExec("UPDATE keys SET token_object_id = 'ff' WHERE kid = 't1'"));
      // A sealed key may be re-sealed (master-key rotation), never emptied or moved to a token.
      await assert.rejects(rawExec("UPDATE keys SET sealed_private_key = '' WHERE kid = 'k1'"));
      await rawExec("UPDATE keys SET sealed_private_key = 'sgk1.other' WHERE kid = 'k1'");
    });

    it('lists every sealed secret, and re-seals one only while it is still what was read', async () => {
      const store = await seed();
      const secrets = await store.read((reader) => reader.listSealedSecrets());
      assert.deepEqual(secrets, [
        { kind: 'key', tenantId: 'acme', keySetId: 'ks_sealed', kid: 'k1', sealed: 'sgk1.sealed-k1' },
      ]);
      const [secret] = secrets;
      assert.equal(await store.transaction((tx) => tx.resealSecret(secret!, 'sgk1.resealed')), true);
      // A second pass that read the old value changes nothing: compare-and-swap.
      assert.equal(await store.transaction((tx) => tx.resealSecret(secret!, 'sgk1.again')), false);
      assert.equal((await store.read((reader) => reader.getKey('ks_sealed', 'k1')))?.sealedPrivateKey, 'sgk1.resealed');
    });
  });
}
