import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IdentityProvider, IdpCsr, KeyStoreCredential } from '../../src/domain/types.ts';
import { storageDialects } from './dialects.ts';
import { assertRejectsWithCode, makeKeySet, makeTenant, useHarness } from './fixtures.ts';

function makeIdp(tenantId: string, id: string, fields: Partial<IdentityProvider> = {}): IdentityProvider {
  return {
    tenantId,
    id,
    type: 'SAML2',
    name: `IdP ${id}`,
    status: 'ACTIVE',
    protocolType: 'SAML2',
    settings: { endpoints: { sso: { url: 'https://idp.example/sso' } } },
    trustKid: null,
    signingKeySetId: null,
    createdAt: 10_000,
    updatedAt: 10_000,
    ...fields,
  };
}

function makeCredential(tenantId: string, kid: string, fields: Partial<KeyStoreCredential> = {}): KeyStoreCredential {
  return { tenantId, kid, certificateDer: `MII-${kid}`, createdAt: 20_000, updatedAt: 20_000, ...fields };
}

function makeCsr(tenantId: string, idpId: string, id: string, fields: Partial<IdpCsr> = {}): IdpCsr {
  return {
    tenantId,
    idpId,
    id,
    csrDer: `MII-csr-${id}`,
    kty: 'RSA',
    alg: 'RS256',
    sealedPrivateKey: `sgk1.k1.iv.ct-${id}.tag`,
    createdAt: 30_000,
    ...fields,
  };
}

for (const dialect of storageDialects) {
  describe(`${dialect.name}: identity providers`, () => {
    const harness = useHarness(dialect);

    it('round-trips every field, lists oldest first per tenant, and updates all but the identity', async () => {
      const { store } = harness();
      const a = makeIdp('acme', 'idp-a', { createdAt: 2, updatedAt: 2 });
      const b = makeIdp('acme', 'idp-b', {
        createdAt: 1,
        updatedAt: 1,
        type: 'OIDC',
        protocolType: 'OIDC',
        status: 'INACTIVE',
      });
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertTenant(makeTenant('globex'));
        await tx.insertKeyStoreCredential(makeCredential('acme', 'k1'));
        await tx.insertIdentityProvider(a);
        await tx.insertIdentityProvider(b);
        await tx.insertIdentityProvider(makeIdp('globex', 'idp-a'));
        await tx.insertKeySet(makeKeySet('ks_idp', 'acme', { ownerType: 'identityProvider', ownerId: 'idp-a' }));
      });
      assert.deepEqual(await store.read((reader) => reader.getIdentityProvider('acme', 'idp-a')), a);
      assert.equal(await store.read((reader) => reader.getIdentityProvider('acme', 'nope')), undefined);
      assert.deepEqual(await store.read((reader) => reader.listIdentityProviders('acme')), [b, a]);

      const changed = {
        ...a,
        name: 'renamed',
        status: 'INACTIVE' as const,
        trustKid: 'k1',
        signingKeySetId: 'ks_idp',
        settings: { x: 1 },
        updatedAt: 9,
      };
      await store.transaction((tx) => tx.updateIdentityProvider({ ...changed, createdAt: 999 }));
      assert.deepEqual(await store.read((reader) => reader.getIdentityProvider('acme', 'idp-a')), changed);
      await assertRejectsWithCode(
        store.transaction((tx) => tx.updateIdentityProvider(makeIdp('acme', 'missing'))),
        'ERR_IDENTITY_PROVIDER_NOT_FOUND',
      );
    });

    it('refuses a taken id or name in the same tenant and a trusted kid the key store does not hold', async () => {
      const { store } = harness();
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertIdentityProvider(makeIdp('acme', 'idp-a', { name: 'Corp' }));
      });
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertIdentityProvider(makeIdp('acme', 'idp-a', { name: 'Other' }))),
        'ERR_ALREADY_EXISTS',
      );
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertIdentityProvider(makeIdp('acme', 'idp-b', { name: 'Corp' }))),
        'ERR_ALREADY_EXISTS',
      );
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertIdentityProvider(makeIdp('acme', 'idp-c', { trustKid: 'unknown' }))),
        'ERR_KEY_STORE_CREDENTIAL_NOT_FOUND',
      );
      await assertRejectsWithCode(
        store.transaction((tx) =>
          tx.updateIdentityProvider(makeIdp('acme', 'idp-a', { name: 'Corp', trustKid: 'unknown' })),
        ),
        'ERR_KEY_STORE_CREDENTIAL_NOT_FOUND',
      );
      assert.deepEqual(
        (await store.read((reader) => reader.listIdentityProviders('acme'))).map((idp) => idp.id),
        ['idp-a'],
      );
    });
  });

  describe(`${dialect.name}: key store`, () => {
    const harness = useHarness(dialect);

    it('pages oldest first with an (createdAt, kid) cursor, per tenant', async () => {
      const { store } = harness();
      const credentials = [
        makeCredential('acme', 'b', { createdAt: 1 }),
        makeCredential('acme', 'a', { createdAt: 2 }),
        makeCredential('acme', 'c', { createdAt: 2 }),
        makeCredential('acme', 'd', { createdAt: 3 }),
      ];
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertTenant(makeTenant('globex'));
        for (const credential of [...credentials].reverse()) await tx.insertKeyStoreCredential(credential);
        await tx.insertKeyStoreCredential(makeCredential('globex', 'a'));
      });
      const first = await store.read((reader) => reader.listKeyStoreCredentials('acme', { limit: 2 }));
      assert.deepEqual(first, credentials.slice(0, 2));
      const last = first.at(-1)!;
      const second = await store.read((reader) =>
        reader.listKeyStoreCredentials('acme', { limit: 2, after: { createdAt: last.createdAt, kid: last.kid } }),
      );
      assert.deepEqual(second, credentials.slice(2));
      assert.deepEqual(await store.read((reader) => reader.listKeyStoreCredentials('acme', { limit: 0 })), []);
      assert.deepEqual(
        await store.read((reader) => reader.getKeyStoreCredential('globex', 'a')),
        makeCredential('globex', 'a'),
      );
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertKeyStoreCredential(makeCredential('acme', 'a'))),
        'ERR_ALREADY_EXISTS',
      );
    });

    it('replaces only the certificate and updatedAt', async () => {
      const { store } = harness();
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertKeyStoreCredential(makeCredential('acme', 'k1'));
      });
      await store.transaction((tx) =>
        tx.updateKeyStoreCredential(
          makeCredential('acme', 'k1', { certificateDer: 'MII-new', createdAt: 5, updatedAt: 99 }),
        ),
      );
      assert.deepEqual(
        await store.read((reader) => reader.getKeyStoreCredential('acme', 'k1')),
        makeCredential('acme', 'k1', { certificateDer: 'MII-new', updatedAt: 99 }),
      );
      await assertRejectsWithCode(
        store.transaction((tx) => tx.updateKeyStoreCredential(makeCredential('acme', 'k2'))),
        'ERR_KEY_STORE_CREDENTIAL_NOT_FOUND',
      );
    });

    it('a credential an identity provider trusts cannot be deleted, by the port or by raw SQL', async () => {
      const { store, rawExec } = harness();
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertKeyStoreCredential(makeCredential('acme', 'used'));
        await tx.insertKeyStoreCredential(makeCredential('acme', 'free'));
        await tx.insertIdentityProvider(makeIdp('acme', 'idp-a', { trustKid: 'used', status: 'INACTIVE' }));
      });
      await assertRejectsWithCode(
        store.transaction((tx) => tx.deleteKeyStoreCredential('acme', 'used')),
        'ERR_KEY_IN_USE',
      );
      await assert.rejects(rawExec("PRAGMA foreign_keys = ON; DELETE FROM key_store_credentials WHERE kid = 'used'"));
      assert.ok(await store.read((reader) => reader.getKeyStoreCredential('acme', 'used')));
      assert.equal(await store.transaction((tx) => tx.deleteKeyStoreCredential('acme', 'free')), true);
      assert.equal(await store.transaction((tx) => tx.deleteKeyStoreCredential('acme', 'free')), false);

      // Once the IdP trusts another certificate, the old one can go.
      await store.transaction(async (tx) => {
        await tx.insertKeyStoreCredential(makeCredential('acme', 'new'));
        await tx.updateIdentityProvider(makeIdp('acme', 'idp-a', { trustKid: 'new' }));
      });
      assert.equal(await store.transaction((tx) => tx.deleteKeyStoreCredential('acme', 'used')), true);
    });
  });

  describe(`${dialect.name}: IdP CSRs`, () => {
    const harness = useHarness(dialect);

    it('round-trips, lists per IdP oldest first, and deletes within its IdP only', async () => {
      const { store } = harness();
      const first = makeCsr('acme', 'idp-a', 'csr1', { createdAt: 1 });
      const second = makeCsr('acme', 'idp-a', 'csr2', { createdAt: 2, kty: 'EC', alg: 'ES256' });
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertIdentityProvider(makeIdp('acme', 'idp-a'));
        await tx.insertIdentityProvider(makeIdp('acme', 'idp-b'));
        await tx.insertIdpCsr(second);
        await tx.insertIdpCsr(first);
      });
      assert.deepEqual(await store.read((reader) => reader.listIdpCsrs('acme', 'idp-a')), [first, second]);
      assert.deepEqual(await store.read((reader) => reader.listIdpCsrs('acme', 'idp-b')), []);
      assert.deepEqual(await store.read((reader) => reader.getIdpCsr('acme', 'idp-a', 'csr1')), first);
      assert.equal(await store.read((reader) => reader.getIdpCsr('acme', 'idp-b', 'csr1')), undefined);
      assert.equal(await store.transaction((tx) => tx.deleteIdpCsr('acme', 'idp-b', 'csr1')), false);
      assert.equal(await store.transaction((tx) => tx.deleteIdpCsr('acme', 'idp-a', 'csr1')), true);
      assert.deepEqual(await store.read((reader) => reader.listIdpCsrs('acme', 'idp-a')), [second]);
    });

    it('refuses a CSR of an unknown IdP and a private key that is not sealed', async () => {
      const { store } = harness();
      await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        await tx.insertIdentityProvider(makeIdp('acme', 'idp-a'));
      });
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertIdpCsr(makeCsr('acme', 'nope', 'csr1'))),
        'ERR_IDENTITY_PROVIDER_NOT_FOUND',
      );
      await assert.rejects(
        store.transaction((tx) =>
          tx.insertIdpCsr(makeCsr('acme', 'idp-a', 'csr2', { sealedPrivateKey: '-----BEGIN PRIVATE KEY-----' })),
        ),
      );
      assert.deepEqual(await store.read((reader) => reader.listIdpCsrs('acme', 'idp-a')), []);
    });
  });
}
