import { randomUUID } from 'node:crypto';
import { readCertificate } from '../crypto/read-certificate.ts';
import type { KeyStoreCredential, RequestContext } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import type { KeyStorePage, Store } from '../storage/store.ts';
import { auditEvent } from './audit-event.ts';

export type KeyStoreService = ReturnType<typeof createKeyStoreService>;

/** One page of the key store and the cursor of the next, when there is one. */
export interface KeyStoreListResult {
  items: KeyStoreCredential[];
  next: KeyStorePage['after'] | null;
}

// A chain longer than this is not a signing certificate's; it bounds the work per request.
const MAX_CHAIN = 10;

/** The leaf of an `x5c` chain (RFC 7517 §4.7), checked; every member must be a certificate. */
function leafOf(x5c: readonly string[]): string {
  if (x5c.length === 0 || x5c.length > MAX_CHAIN) {
    throw new SignetError('ERR_VALIDATION', `x5c must hold 1 to ${MAX_CHAIN} base64 DER certificates`, {
      fields: ['x5c'],
    });
  }
  const certificates = x5c.map((entry) => {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(entry))
      throw new SignetError('ERR_VALIDATION', 'x5c entries must be standard base64 DER', { fields: ['x5c'] });
    return readCertificate(Buffer.from(entry, 'base64'));
  });
  return certificates[0]!.der;
}

/**
 * The tenant's key store of uploaded X.509 certificates (Okta's global IdP key store). Only the
 * leaf certificate of an `x5c` chain is kept; the schema keeps a certificate an IdP trusts.
 */
export function createKeyStoreService({ store, now }: { store: Store; now: () => number }) {
  async function load(tenantId: string, kid: string): Promise<KeyStoreCredential> {
    const credential = await store.read((reader) => reader.getKeyStoreCredential(tenantId, kid));
    if (!credential)
      throw new SignetError('ERR_KEY_STORE_CREDENTIAL_NOT_FOUND', `key store credential ${kid} not found`, { kid });
    return credential;
  }

  return {
    /** Adds the leaf certificate of `x5c` under a new kid. */
    async addCredential(
      context: RequestContext,
      tenantId: string,
      x5c: readonly string[],
    ): Promise<KeyStoreCredential> {
      const der = leafOf(x5c);
      return store.transaction(async (tx) => {
        if (!(await tx.getTenant(tenantId)))
          throw new SignetError('ERR_TENANT_NOT_FOUND', `tenant ${tenantId} not found`, { tenantId });
        const at = now();
        const credential: KeyStoreCredential = {
          tenantId,
          kid: randomUUID(),
          certificateDer: der,
          createdAt: at,
          updatedAt: at,
        };
        await tx.insertKeyStoreCredential(credential);
        await tx.appendAuditEvent(
          auditEvent(context, tenantId, at, 'keyStoreCredential.created', 'addKeyStoreCredential', {
            kid: credential.kid,
          }),
        );
        return credential;
      });
    },

    /** Replaces a credential's certificate, keeping its kid (IdPs that trust it trust the new one). */
    async replaceCredential(
      context: RequestContext,
      tenantId: string,
      kid: string,
      x5c: readonly string[],
    ): Promise<KeyStoreCredential> {
      const der = leafOf(x5c);
      return store.transaction(async (tx) => {
        const current = await tx.getKeyStoreCredential(tenantId, kid);
        if (!current)
          throw new SignetError('ERR_KEY_STORE_CREDENTIAL_NOT_FOUND', `key store credential ${kid} not found`, { kid });
        const at = now();
        const replaced = { ...current, certificateDer: der, updatedAt: at };
        await tx.updateKeyStoreCredential(replaced);
        await tx.appendAuditEvent(
          auditEvent(context, tenantId, at, 'keyStoreCredential.replaced', 'replaceKeyStoreCredential', { kid }),
        );
        return replaced;
      });
    },

    /** Deletes a credential; ERR_KEY_IN_USE while an identity provider trusts it. */
    async deleteCredential(context: RequestContext, tenantId: string, kid: string): Promise<void> {
      await store.transaction(async (tx) => {
        if (!(await tx.deleteKeyStoreCredential(tenantId, kid))) {
          throw new SignetError('ERR_KEY_STORE_CREDENTIAL_NOT_FOUND', `key store credential ${kid} not found`, { kid });
        }
        await tx.appendAuditEvent(
          auditEvent(context, tenantId, now(), 'keyStoreCredential.deleted', 'deleteKeyStoreCredential', { kid }),
        );
      });
    },

    getCredential: load,

    /** One page, oldest first, and the cursor of the next page (null on the last). */
    async listCredentials(tenantId: string, page: KeyStorePage): Promise<KeyStoreListResult> {
      // One extra row tells whether another page follows without a second query.
      const rows = await store.read((reader) =>
        reader.listKeyStoreCredentials(tenantId, { ...page, limit: page.limit + 1 }),
      );
      const items = rows.slice(0, page.limit);
      const last = items.at(-1);
      return { items, next: rows.length > page.limit && last ? { createdAt: last.createdAt, kid: last.kid } : null };
    },
  };
}
