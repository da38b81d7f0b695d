import type { KeyMaterialPool } from '../crypto/create-key-material-pool.ts';
import { createCsr, type CsrSubject } from '../crypto/create-csr.ts';
import type { Sealer } from '../crypto/create-sealer.ts';
import { csrPrivateKeyAad } from '../crypto/csr-private-key-aad.ts';
import { randomToken } from '../crypto/random-token.ts';
import { isKeyOf, readCertificate } from '../crypto/read-certificate.ts';
import { unsealKeyPair } from '../crypto/unseal-key-pair.ts';
import type { IdpCsr, Key, RequestContext } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import type { Store } from '../storage/store.ts';
import { auditEvent } from './audit-event.ts';
import type { IdentityProviderService } from './create-identity-provider-service.ts';
import type { KeyService } from './create-key-service.ts';

export type IdpCsrService = ReturnType<typeof createIdpCsrService>;

/** A published certificate must stay valid at least this long (Okta's documented check). */
export const MIN_PUBLISHED_CERTIFICATE_VALIDITY_SECONDS = 90 * 86_400;

export interface IdpCsrServiceDeps {
  store: Store;
  pool: KeyMaterialPool;
  sealer: Sealer;
  now: () => number;
  keys: KeyService;
  identityProviders: IdentityProviderService;
}

/**
 * Certificate signing requests of identity providers: Signet mints the key pair (sealed at rest,
 * never shown), hands out a PKCS#10 request, and on publish adopts the key with the CA's
 * certificate into the IdP's signing key set, deleting the CSR in the same transaction.
 */
export function createIdpCsrService({ store, pool, sealer, now, keys, identityProviders }: IdpCsrServiceDeps) {
  async function load(tenantId: string, idpId: string, id: string): Promise<IdpCsr> {
    await identityProviders.getIdentityProvider(tenantId, idpId);
    const csr = await store.read((reader) => reader.getIdpCsr(tenantId, idpId, id));
    if (!csr) throw new SignetError('ERR_CSR_NOT_FOUND', `CSR ${id} not found`, { csrId: id });
    return csr;
  }

  return {
    /** Mints a key pair of the IdP key set's algorithm and a CSR for it. */
    async createCsr(
      context: RequestContext,
      tenantId: string,
      idpId: string,
      input: { subject: CsrSubject; dnsNames: readonly string[] },
    ): Promise<IdpCsr> {
      const keySet = await identityProviders.getSigningKeySet(tenantId, idpId);
      const pair = await pool.take(keySet.alg, keySet.rsaModulusLength);
      const csrDer = await createCsr({
        keyPair: pair,
        alg: keySet.alg,
        subject: input.subject,
        dnsNames: input.dnsNames,
      });
      const id = randomToken('', 32);
      const csr: IdpCsr = {
        tenantId,
        idpId,
        id,
        csrDer,
        kty: keySet.alg.startsWith('ES') ? 'EC' : 'RSA',
        alg: keySet.alg,
        sealedPrivateKey: sealer.seal(pair.privateKey, csrPrivateKeyAad(tenantId, idpId, id)),
        createdAt: now(),
      };
      await store.transaction(async (tx) => {
        await tx.insertIdpCsr(csr);
        await tx.appendAuditEvent(
          auditEvent(context, tenantId, csr.createdAt, 'csr.created', 'createCsr', {
            details: { identityProviderId: idpId, csrId: id },
          }),
        );
      });
      pool.warm(keySet.alg, keySet.rsaModulusLength);
      return csr;
    },

    async listCsrs(tenantId: string, idpId: string): Promise<IdpCsr[]> {
      await identityProviders.getIdentityProvider(tenantId, idpId);
      return store.read((reader) => reader.listIdpCsrs(tenantId, idpId));
    },

    getCsr: load,

    /** Deletes a CSR and with it the only copy of its private key. */
    async deleteCsr(context: RequestContext, tenantId: string, idpId: string, id: string): Promise<void> {
      await load(tenantId, idpId, id);
      await store.transaction(async (tx) => {
        if (!(await tx.deleteIdpCsr(tenantId, idpId, id)))
          throw new SignetError('ERR_CSR_NOT_FOUND', `CSR ${id} not found`, { csrId: id });
        await tx.appendAuditEvent(
          auditEvent(context, tenantId, now(), 'csr.deleted', 'deleteCsr', {
            details: { identityProviderId: idpId, csrId: id },
          }),
        );
      });
    },

    /**
     * Publishes the CA's certificate for a CSR: it must certify the CSR's key and stay valid for
     * 90 days or more. The key enters the IdP's signing key set as its next key.
     */
    async publishCsr(
      context: RequestContext,
      tenantId: string,
      idpId: string,
      id: string,
      certificateInput: Buffer | string,
    ): Promise<Key> {
      const csr = await load(tenantId, idpId, id);
      const certificate = readCertificate(certificateInput);
      const pair = unsealKeyPair(csr.sealedPrivateKey, csrPrivateKeyAad(tenantId, idpId, id), sealer);
      if (!isKeyOf(certificate.publicKey, pair.privateKey)) {
        throw new SignetError('ERR_VALIDATION', 'The certificate does not match the CSR.', { fields: ['certificate'] });
      }
      if (certificate.notAfter - now() < MIN_PUBLISHED_CERTIFICATE_VALIDITY_SECONDS * 1000) {
        throw new SignetError('ERR_VALIDATION', 'The certificate must be valid for at least 90 days.', {
          fields: ['certificate'],
        });
      }
      const keySet = await identityProviders.getSigningKeySet(tenantId, idpId);
      const result = await keys.adoptKey(
        context,
        tenantId,
        keySet.id,
        pair,
        { der: certificate.der, notBefore: certificate.notBefore, notAfter: certificate.notAfter },
        'publishCsr',
        async (tx, at) => {
          if (!(await tx.deleteIdpCsr(tenantId, idpId, id)))
            throw new SignetError('ERR_CSR_NOT_FOUND', `CSR ${id} not found`, { csrId: id });
          await tx.appendAuditEvent(
            auditEvent(context, tenantId, at, 'csr.published', 'publishCsr', {
              keySetId: keySet.id,
              details: { identityProviderId: idpId, csrId: id },
            }),
          );
        },
      );
      if (!result.created) throw new SignetError('ERR_INTERNAL', 'publishing created no key');
      return result.created;
    },
  };
}
