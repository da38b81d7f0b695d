import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyState } from '../../src/domain/types.ts';
import type { KeySetFilter } from '../../src/storage/store.ts';
import { storageDialects } from './dialects.ts';
import { assertRejectsWithCode, makeKey, makeKeySet, makeTenant, seedKeySets, useHarness } from './fixtures.ts';

for (const dialect of storageDialects) {
  describe(`${dialect.name}: key sets`, () => {
    const harness = useHarness(dialect);

    it('round-trips every field, each policy field included', async () => {
      const { store } = harness();
      const keySet = makeKeySet('ks_1', 'acme', {
        ownerType: 'identityProvider',
        ownerId: 'idp_1',
        alg: 'ES256',
        rsaModulusLength: null,
        policy: {
          mode: 'MANUAL',
          rotationPeriodSeconds: 1,
          jwksMaxAgeSeconds: 2,
          clockSkewSeconds: 3,
          maxTokenLifetimeSeconds: 4,
          drainingPeriodSeconds: 5,
          certificateValiditySeconds: 6,
          certificateRenewBeforeSeconds: 7,
          readinessWindowSeconds: 8,
          readinessGatePercent: 9,
          readinessGateMaxWaitSeconds: 10,
        },
        createdAt: 11,
        updatedAt: 12,
      });
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertKeySet(keySet);
      });
      assert.deepEqual(await store.read((reader) => reader.getKeySet('ks_1')), keySet);
      assert.deepEqual(await store.transaction((tx) => tx.lockKeySet('ks_1')), keySet);
      assert.equal(await store.transaction((tx) => tx.lockKeySet('nope')), undefined);
    });

    it('listKeySets filters by tenant, owner type and owner id', async () => {
      const { store } = harness();
      const a = makeKeySet('ks_a', 'acme', { ownerId: 'default', createdAt: 1 });
      const b = makeKeySet('ks_b', 'acme', { ownerType: 'identityProvider', ownerId: 'idp', createdAt: 2 });
      const c = makeKeySet('ks_c', 'globex', { ownerId: 'default', createdAt: 3 });
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertTenant(makeTenant('globex'));
        for (const keySet of [a, b, c]) await tx.insertKeySet(keySet);
      });
      const list = (filter: KeySetFilter) =>
        store.read((reader) => reader.listKeySets(filter)).then((sets) => sets.map((set) => set.id));
      assert.deepEqual(await list({}), ['ks_a', 'ks_b', 'ks_c']);
      assert.deepEqual(await list({ tenantId: 'acme' }), ['ks_a', 'ks_b']);
      assert.deepEqual(await list({ tenantId: 'acme', ownerType: 'authorizationServer' }), ['ks_a']);
      assert.deepEqual(await list({ ownerType: 'authorizationServer', ownerId: 'default' }), ['ks_a', 'ks_c']);
      assert.deepEqual(await list({ ownerId: 'idp' }), ['ks_b']);
    });

    it('a duplicate key set id is ERR_ALREADY_EXISTS', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertKeySet(makeKeySet('ks_1', 'acme'))),
        'ERR_ALREADY_EXISTS',
      );
    });

    it('updateKeySet writes the policy, the JWKS cache horizon and updatedAt; an unknown id is ERR_KEY_SET_NOT_FOUND', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      const before = makeKeySet('ks_1', 'acme');
      const updated = {
        ...before,
        rsaModulusLength: 4096 as const,
        policy: { ...before.policy, mode: 'MANUAL' as const, maxTokenLifetimeSeconds: 60 },
        jwksCacheHorizonAt: 12_345,
        updatedAt: 99,
      };
      await store.transaction((tx) => tx.updateKeySet(updated));
      assert.deepEqual(await store.read((reader) => reader.getKeySet('ks_1')), updated);
      await assertRejectsWithCode(
        store.transaction((tx) => tx.updateKeySet(makeKeySet('nope', 'acme'))),
        'ERR_KEY_SET_NOT_FOUND',
      );
    });
  });

  describe(`${dialect.name}: keys`, () => {
    const harness = useHarness(dialect);

    it('round-trips every field, JSON and nulls included', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      const next = makeKey('ks_1', 'k_next', 'next', {
        alg: 'ES256',
        origin: 'imported',
        publicJwk: { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy' },
        certificateIssuer: 'external',
      });
      const draining = makeKey('ks_1', 'k_draining', 'draining', {
        createdAt: 1,
        publishedAt: 2,
        activatedAt: 3,
        drainingSince: 4,
        retireAt: 5,
        tokenLifetimeCeilingSeconds: 7200,
      });
      await store.transaction(async (tx) => {
        await tx.insertKey(next);
        await tx.insertKey(draining);
      });
      assert.deepEqual(await store.read((reader) => reader.getKey('ks_1', 'k_next')), next);
      assert.deepEqual(await store.read((reader) => reader.getKey('ks_1', 'k_draining')), draining);
      assert.equal(await store.read((reader) => reader.getKey('ks_1', 'nope')), undefined);
    });

    it('listKeys returns oldest first (createdAt, then kid) and filters by state', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1', 'ks_2');
      await store.transaction(async (tx) => {
        await tx.insertKey(makeKey('ks_1', 'c', 'retired', { createdAt: 1 }));
        await tx.insertKey(makeKey('ks_1', 'b', 'draining', { createdAt: 2 }));
        await tx.insertKey(makeKey('ks_1', 'a', 'draining', { createdAt: 2 }));
        await tx.insertKey(makeKey('ks_1', 'e', 'active', { createdAt: 3 }));
        await tx.insertKey(makeKey('ks_1', 'd', 'next', { createdAt: 4 }));
        await tx.insertKey(makeKey('ks_2', 'z', 'active', { createdAt: 0 }));
      });
      const kids = (states?: KeyState[]) =>
        store.read((reader) => reader.listKeys('ks_1', states)).then((keys) => keys.map((key) => key.kid));
      assert.deepEqual(await kids(), ['c', 'a', 'b', 'e', 'd']);
      assert.deepEqual(await kids(['next', 'active', 'draining']), ['a', 'b', 'e', 'd']);
      assert.deepEqual(await kids(['retired']), ['c']);
      assert.deepEqual(await kids(['revoked']), []);
      assert.deepEqual(await kids([]), []);
    });

    it('a duplicate kid in the same key set is ERR_ALREADY_EXISTS; the same kid in another set is fine', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1', 'ks_2');
      await store.transaction(async (tx) => {
        await tx.insertKey(makeKey('ks_1', 'k1', 'draining'));
        await tx.insertKey(makeKey('ks_2', 'k1', 'draining'));
      });
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertKey(makeKey('ks_1', 'k1', 'draining'))),
        'ERR_ALREADY_EXISTS',
      );
    });

    it('updateKey writes every mutable field', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      const key = makeKey('ks_1', 'k1', 'active');
      await store.transaction((tx) => tx.insertKey(key));
      const renewed = {
        ...key,
        certificateDer: 'MII-renewed',
        certificateNotBefore: 50,
        certificateNotAfter: 60,
        tokenLifetimeCeilingSeconds: 9000,
      };
      await store.transaction((tx) => tx.updateKey(renewed));
      assert.deepEqual(await store.read((reader) => reader.getKey('ks_1', 'k1')), renewed);
      const drained = { ...renewed, state: 'draining' as const, drainingSince: 70, retireAt: 80 };
      await store.transaction((tx) => tx.updateKey(drained));
      assert.deepEqual(await store.read((reader) => reader.getKey('ks_1', 'k1')), drained);
      const retired = { ...drained, state: 'retired' as const, retiredAt: 90 };
      await store.transaction((tx) => tx.updateKey(retired));
      assert.deepEqual(await store.read((reader) => reader.getKey('ks_1', 'k1')), retired);
    });

    it("a certificate's issuer is kept as written: updateKey cannot turn a CA's certificate into Signet's or back", async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      const external = makeKey('ks_1', 'k_ca', 'active', { certificateIssuer: 'external' });
      const own = makeKey('ks_1', 'k_own', 'next');
      await store.transaction(async (tx) => {
        await tx.insertKey(external);
        await tx.insertKey(own);
      });
      await assert.rejects(
        store.transaction((tx) =>
          tx.updateKey({ ...external, certificateIssuer: 'signet', certificateDer: 'MII-self-signed' }),
        ),
      );
      await assert.rejects(store.transaction((tx) => tx.updateKey({ ...own, certificateIssuer: 'external' })));
      assert.deepEqual(await store.read((reader) => reader.getKey('ks_1', 'k_ca')), external);
      assert.deepEqual(await store.read((reader) => reader.getKey('ks_1', 'k_own')), own);
      // Renewing Signet's own certificate writes 'signet' again, which is no change.
      const renewed = { ...own, certificateDer: 'MII-renewed', certificateNotAfter: 99 };
      await store.transaction((tx) => tx.updateKey(renewed));
      assert.deepEqual(await store.read((reader) => reader.getKey('ks_1', 'k_own')), renewed);
    });

    it('updateKey of an unknown key is ERR_KEY_NOT_FOUND', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      await assertRejectsWithCode(
        store.transaction((tx) => tx.updateKey(makeKey('ks_1', 'nope', 'active'))),
        'ERR_KEY_NOT_FOUND',
      );
    });
  });
}
