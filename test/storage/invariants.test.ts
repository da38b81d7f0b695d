import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALLOWED_TRANSITIONS } from '../../src/domain/transitions.ts';
import type { KeyState } from '../../src/domain/types.ts';
import { storageDialects } from './dialects.ts';
import { assertRejectsWithCode, insertKeySql, makeKey, seedKeySets, useHarness } from './fixtures.ts';

const STATES: readonly KeyState[] = ['next', 'active', 'draining', 'retired', 'revoked'];
const PAIRS = STATES.flatMap((from) => STATES.filter((to) => to !== from).map((to) => ({ from, to })));
const isEdge = (from: KeyState, to: KeyState): boolean => ALLOWED_TRANSITIONS[from].includes(to);

for (const dialect of storageDialects) {
  describe(`${dialect.name}: I1 one active key per key set`, () => {
    const harness = useHarness(dialect);

    it('a second active key is refused by insertKey, while another key set has its own', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1', 'ks_2');
      await store.transaction(async (tx) => {
        await tx.insertKey(makeKey('ks_1', 'a1', 'active'));
        await tx.insertKey(makeKey('ks_2', 'b1', 'active'));
      });
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertKey(makeKey('ks_1', 'a2', 'active'))),
        'ERR_INVALID_TRANSITION',
      );
      const active = await store.read((reader) => reader.listKeys('ks_1', ['active']));
      assert.deepEqual(
        active.map((key) => key.kid),
        ['a1'],
      );
    });

    it('promoting next while another key is still active is refused by updateKey', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      const active = makeKey('ks_1', 'a1', 'active', { createdAt: 1 });
      const next = makeKey('ks_1', 'n1', 'next', { createdAt: 2 });
      await store.transaction(async (tx) => {
        await tx.insertKey(active);
        await tx.insertKey(next);
      });
      await assertRejectsWithCode(
        store.transaction((tx) => tx.updateKey({ ...next, state: 'active', activatedAt: 10 })),
        'ERR_INVALID_TRANSITION',
      );
      // A rotation demotes first, then promotes, in one transaction.
      await store.transaction(async (tx) => {
        await tx.updateKey({ ...active, state: 'draining', drainingSince: 10, retireAt: 20 });
        await tx.updateKey({ ...next, state: 'active', activatedAt: 10 });
      });
      const states = await store.read((reader) => reader.listKeys('ks_1'));
      assert.deepEqual(
        states.map((key) => [key.kid, key.state]),
        [
          ['a1', 'draining'],
          ['n1', 'active'],
        ],
      );
    });

    it('a second active key is refused by the database itself (raw SQL)', async () => {
      const { store, rawExec } = harness();
      await seedKeySets(store, 'acme', 'ks_1', 'ks_2');
      await store.transaction(async (tx) => {
        await tx.insertKey(makeKey('ks_1', 'a1', 'active'));
        await tx.insertKey(makeKey('ks_1', 'n1', 'next'));
      });
      await assert.rejects(rawExec("UPDATE keys SET state = 'active' WHERE key_set_id = 'ks_1' AND kid = 'n1'"));
      await assert.rejects(rawExec(insertKeySql(makeKey('ks_1', 'a2', 'active'))));
      await rawExec(insertKeySql(makeKey('ks_2', 'b1', 'active')));
      const active = await store.read(async (reader) => [
        ...(await reader.listKeys('ks_1', ['active'])),
        ...(await reader.listKeys('ks_2', ['active'])),
      ]);
      assert.deepEqual(
        active.map((key) => key.kid),
        ['a1', 'b1'],
      );
    });
  });

  describe(`${dialect.name}: I2 at most one next key per key set`, () => {
    const harness = useHarness(dialect);

    it('a second next key is refused by insertKey, while another key set has its own', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1', 'ks_2');
      await store.transaction(async (tx) => {
        await tx.insertKey(makeKey('ks_1', 'n1', 'next'));
        await tx.insertKey(makeKey('ks_2', 'm1', 'next'));
      });
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertKey(makeKey('ks_1', 'n2', 'next'))),
        'ERR_INVALID_TRANSITION',
      );
      const next = await store.read((reader) => reader.listKeys('ks_1', ['next']));
      assert.deepEqual(
        next.map((key) => key.kid),
        ['n1'],
      );
    });

    it('a second next key is refused by the database itself (raw SQL)', async () => {
      const { store, rawExec } = harness();
      await seedKeySets(store, 'acme', 'ks_1', 'ks_2');
      await store.transaction((tx) => tx.insertKey(makeKey('ks_1', 'n1', 'next')));
      await assert.rejects(rawExec(insertKeySql(makeKey('ks_1', 'n2', 'next'))));
      await rawExec(insertKeySql(makeKey('ks_2', 'm1', 'next')));
      assert.deepEqual(
        (await store.read((reader) => reader.listKeys('ks_1'))).map((key) => key.kid),
        ['n1'],
      );
      assert.deepEqual(
        (await store.read((reader) => reader.listKeys('ks_2'))).map((key) => key.kid),
        ['m1'],
      );
    });
  });

  describe(`${dialect.name}: I5 state changes only along the lifecycle edges`, () => {
    const harness = useHarness(dialect);

    it('updateKey allows exactly the edges of docs/spec.md §2', async () => {
      const { store } = harness();
      const keySetIds = PAIRS.map(({ from, to }) => `ks_${from}_${to}`);
      await seedKeySets(store, 'acme', ...keySetIds);
      for (const { from, to } of PAIRS) {
        const key = makeKey(`ks_${from}_${to}`, 'k', from);
        await store.transaction((tx) => tx.insertKey(key));
        const moved = store.transaction((tx) => tx.updateKey({ ...key, state: to }));
        if (isEdge(from, to)) await moved;
        else await assertRejectsWithCode(moved, 'ERR_INVALID_TRANSITION');
        const stored = await store.read((reader) => reader.getKey(key.keySetId, 'k'));
        assert.equal(stored?.state, isEdge(from, to) ? to : from, `${from} -> ${to}`);
      }
    });

    it('the refusal names both states', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      const key = makeKey('ks_1', 'k', 'active');
      await store.transaction((tx) => tx.insertKey(key));
      await assert.rejects(
        store.transaction((tx) => tx.updateKey({ ...key, state: 'revoked' })),
        (error: unknown) => {
          assert.deepEqual((error as { details?: unknown }).details, {
            keySetId: 'ks_1',
            kid: 'k',
            from: 'active',
            to: 'revoked',
          });
          return true;
        },
      );
    });

    it('the database itself allows exactly the edges (raw SQL)', async () => {
      const { store, rawExec } = harness();
      const keySetIds = PAIRS.map(({ from, to }) => `ks_${from}_${to}`);
      await seedKeySets(store, 'acme', ...keySetIds);
      await store.transaction(async (tx) => {
        for (const { from, to } of PAIRS) await tx.insertKey(makeKey(`ks_${from}_${to}`, 'k', from));
      });
      for (const { from, to } of PAIRS) {
        const update = rawExec(`UPDATE keys SET state = '${to}' WHERE key_set_id = 'ks_${from}_${to}' AND kid = 'k'`);
        if (isEdge(from, to)) await update;
        else await assert.rejects(update, `${from} -> ${to} must be refused`);
      }
      for (const { from, to } of PAIRS) {
        const stored = await store.read((reader) => reader.getKey(`ks_${from}_${to}`, 'k'));
        assert.equal(stored?.state, isEdge(from, to) ? to : from, `${from} -> ${to}`);
      }
    });

    it('staying in the same state is not a transition', async () => {
      const { store, rawExec } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      const key = makeKey('ks_1', 'k', 'retired');
      await store.transaction((tx) => tx.insertKey(key));
      await store.transaction((tx) => tx.updateKey({ ...key, certificateDer: 'MII-new' }));
      await rawExec("UPDATE keys SET state = 'retired' WHERE kid = 'k'");
      assert.equal((await store.read((reader) => reader.getKey('ks_1', 'k')))?.certificateDer, 'MII-new');
    });
  });

  describe(`${dialect.name}: keys are permanent`, () => {
    const harness = useHarness(dialect);

    it('a key cannot be deleted', async () => {
      const { store, rawExec } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      await store.transaction((tx) => tx.insertKey(makeKey('ks_1', 'k', 'revoked')));
      await assert.rejects(rawExec("DELETE FROM keys WHERE kid = 'k'"));
      await assert.rejects(rawExec('DELETE FROM keys'));
      assert.ok(await store.read((reader) => reader.getKey('ks_1', 'k')));
    });

    it("a key's certificate issuer is signet or external, defaults to signet, and cannot change", async () => {
      const { store, rawExec } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      // insertKeySql names no certificate_issuer: a row written before the column existed is Signet's.
      await rawExec(insertKeySql(makeKey('ks_1', 'old', 'active')));
      assert.equal((await store.read((reader) => reader.getKey('ks_1', 'old')))?.certificateIssuer, 'signet');
      await assert.rejects(rawExec("UPDATE keys SET certificate_issuer = 'external' WHERE kid = 'old'"));
      await assert.rejects(rawExec("UPDATE keys SET certificate_issuer = 'someone' WHERE kid = 'old'"));
      await store.transaction((tx) => tx.insertKey(makeKey('ks_1', 'ca', 'next', { certificateIssuer: 'external' })));
      await assert.rejects(rawExec("UPDATE keys SET certificate_issuer = 'signet' WHERE kid = 'ca'"));
      assert.equal((await store.read((reader) => reader.getKey('ks_1', 'ca')))?.certificateIssuer, 'external');
      await assert.rejects(
        store.transaction((tx) =>
          tx.insertKey(makeKey('ks_1', 'bad', 'next', { certificateIssuer: 'someone' as 'signet' })),
        ),
      );
      assert.equal(await store.read((reader) => reader.getKey('ks_1', 'bad')), undefined);
    });

    it("a key's identity and material cannot change", async () => {
      const { store, rawExec } = harness();
      await seedKeySets(store, 'acme', 'ks_1', 'ks_2');
      const key = makeKey('ks_1', 'k', 'active');
      await store.transaction((tx) => tx.insertKey(key));
      for (const assignment of [
        "kid = 'other'",
        "key_set_id = 'ks_2'",
        "alg = 'ES256'",
        `public_jwk = '{"kty":"RSA","n":"x","e":"AQAB"}'`,
        "sealed_private_key = 'swapped'",
      ]) {
        await assert.rejects(rawExec(`UPDATE keys SET ${assignment} WHERE kid = 'k'`), assignment);
      }
      assert.deepEqual(await store.read((reader) => reader.getKey('ks_1', 'k')), key);
    });
  });
}
