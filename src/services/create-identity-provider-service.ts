import { randomId } from '../crypto/random-id.ts';
import { findCurrentKeys } from '../domain/find-keys.ts';
import {
  PUBLISHED_STATES,
  type IdentityProvider,
  type IdentityProviderStatus,
  type Key,
  type KeySet,
  type RequestContext,
} from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Store, StoreTx } from '../storage/store.ts';
import { auditEvent } from './audit-event.ts';
import type { KeyService, LifecycleResult } from './create-key-service.ts';

export interface CreateIdentityProviderInput {
  /** Generated (`0oa` + 17 letters and digits, Okta's shape) when absent. */
  id?: string;
  type: string;
  name: string;
  status?: IdentityProviderStatus;
  protocolType: string;
  settings?: Record<string, unknown>;
  trustKid?: string | null;
}

export interface UpdateIdentityProviderInput {
  type?: string;
  name?: string;
  status?: IdentityProviderStatus;
  protocolType?: string;
  settings?: Record<string, unknown>;
  trustKid?: string | null;
  /** Make this key of the IdP's key set the signing key: its next key is rotated in. */
  signingKid?: string;
}

export type IdentityProviderService = ReturnType<typeof createIdentityProviderService>;

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const TYPE = /^[A-Z0-9_]{1,32}$/;
const YEAR_SECONDS = 365 * 86_400;

function assertFields(input: { id?: string; type?: string; name?: string; protocolType?: string }): void {
  if (input.id !== undefined && !ID.test(input.id)) {
    throw new SignetError('ERR_VALIDATION', 'id must be 1-63 letters, digits, hyphens or underscores', {
      fields: ['id'],
    });
  }
  if (input.type !== undefined && !TYPE.test(input.type))
    throw new SignetError('ERR_VALIDATION', 'type must be an upper-case IdP type such as SAML2 or OIDC', {
      fields: ['type'],
    });
  if (input.protocolType !== undefined && !TYPE.test(input.protocolType)) {
    throw new SignetError('ERR_VALIDATION', 'protocol type must be an upper-case protocol such as SAML2 or OIDC', {
      fields: ['protocol.type'],
    });
  }
  if (input.name !== undefined && (input.name.trim().length === 0 || input.name.length > 100)) {
    throw new SignetError('ERR_VALIDATION', 'name must be 1 to 100 characters', { fields: ['name'] });
  }
}

/**
 * Identity providers (docs/spec.md §1): each created with its own signing key set (MANUAL rotation) in
 * one transaction; its signing keys live on the one key lifecycle, so generating, cloning and
 * switching keys are key-service operations with their audit events.
 */
export function createIdentityProviderService({
  store,
  registry,
  now,
  keys,
}: {
  store: Store;
  registry: Registry;
  now: () => number;
  keys: KeyService;
}) {
  async function load(tenantId: string, id: string): Promise<IdentityProvider> {
    const idp = await store.read((reader) => reader.getIdentityProvider(tenantId, id));
    if (!idp)
      throw new SignetError('ERR_IDENTITY_PROVIDER_NOT_FOUND', `identity provider ${id} not found`, {
        identityProviderId: id,
      });
    return idp;
  }

  async function signingKeySet(tenantId: string, id: string): Promise<{ idp: IdentityProvider; keySetId: string }> {
    const idp = await load(tenantId, id);
    if (!idp.signingKeySetId)
      throw new SignetError('ERR_KEY_SET_NOT_INITIALISED', `identity provider ${id} has no signing key set`);
    return { idp, keySetId: idp.signingKeySetId };
  }

  const service = {
    /** Creates an identity provider and its signing key set (one active, one next key). */
    async createIdentityProvider(
      context: RequestContext,
      tenantId: string,
      input: CreateIdentityProviderInput,
    ): Promise<IdentityProvider> {
      assertFields(input);
      const id = input.id ?? randomId('0oa', 17);
      const prepared = await keys.prepareKeySet({
        ownerType: 'identityProvider',
        ownerId: id,
        alg: 'RS256',
        policy: { mode: 'MANUAL' },
      });
      const created = await store.transaction(async (tx) => {
        if (!(await tx.getTenant(tenantId)))
          throw new SignetError('ERR_TENANT_NOT_FOUND', `tenant ${tenantId} not found`, { tenantId });
        const at = now();
        const idp: IdentityProvider = {
          tenantId,
          id,
          type: input.type,
          name: input.name,
          status: input.status ?? 'ACTIVE',
          protocolType: input.protocolType,
          settings: input.settings ?? {},
          trustKid: input.trustKid ?? null,
          signingKeySetId: null,
          createdAt: at,
          updatedAt: at,
        };
        await tx.insertIdentityProvider(idp);
        await tx.appendAuditEvent(
          auditEvent(context, tenantId, at, 'identityProvider.created', 'createIdentityProvider', {
            kid: idp.trustKid,
            details: { identityProviderId: id, type: idp.type, name: idp.name },
          }),
        );
        const { keySet } = await keys.writeKeySet(tx, context, tenantId, prepared);
        return { ...idp, signingKeySetId: keySet.id };
      });
      await registry.refreshKeySet(created.signingKeySetId!);
      return created;
    },

    listIdentityProviders: (tenantId: string): Promise<IdentityProvider[]> =>
      store.read((reader) => reader.listIdentityProviders(tenantId)),

    /** Reads an identity provider of the tenant. */
    getIdentityProvider: load,

    /**
     * Changes an identity provider. A `signingKid` naming the IdP's next key rotates it in (the
     * active key starts draining) in the same transaction as the other changes; naming the active
     * key changes nothing; any other kid is refused.
     */
    async updateIdentityProvider(
      context: RequestContext,
      tenantId: string,
      id: string,
      patch: UpdateIdentityProviderInput,
    ): Promise<IdentityProvider> {
      assertFields(patch);
      const { keySetId } = await signingKeySet(tenantId, id);
      let rotateTo: string | undefined;
      if (patch.signingKid !== undefined) {
        const { active, next } = findCurrentKeys(await keys.listKeys(tenantId, keySetId, ['active', 'next']));
        if (patch.signingKid !== active?.kid && patch.signingKid !== next?.kid) {
          throw new SignetError(
            'ERR_VALIDATION',
            `key ${patch.signingKid} is not a usable signing key of identity provider ${id}`,
            { fields: ['protocol.credentials.signing.kid'] },
          );
        }
        if (patch.signingKid === next?.kid) rotateTo = next.kid;
      }
      let updated: IdentityProvider | undefined;
      const write = async (tx: StoreTx, at: number): Promise<void> => {
        // The rotation made the requested key active, unless another one raced it in first.
        if (rotateTo !== undefined && (await tx.getKey(keySetId, rotateTo))?.state !== 'active') {
          throw new SignetError('ERR_UNAVAILABLE', 'the signing keys changed during the operation; retry');
        }
        const idp = await tx.getIdentityProvider(tenantId, id);
        if (!idp)
          throw new SignetError('ERR_IDENTITY_PROVIDER_NOT_FOUND', `identity provider ${id} not found`, {
            identityProviderId: id,
          });
        updated = {
          ...idp,
          type: patch.type ?? idp.type,
          name: patch.name ?? idp.name,
          status: patch.status ?? idp.status,
          protocolType: patch.protocolType ?? idp.protocolType,
          settings: patch.settings ?? idp.settings,
          trustKid: patch.trustKid === undefined ? idp.trustKid : patch.trustKid,
          updatedAt: at,
        };
        await tx.updateIdentityProvider(updated);
        await tx.appendAuditEvent(
          auditEvent(context, tenantId, at, 'identityProvider.updated', 'updateIdentityProvider', {
            kid: updated.trustKid,
            details: { identityProviderId: id, name: updated.name, status: updated.status, trustKid: updated.trustKid },
          }),
        );
      };
      if (rotateTo !== undefined) await keys.rotate(context, tenantId, keySetId, 'vendor', write);
      else await store.transaction((tx) => write(tx, now()));
      return updated!;
    },

    /** The IdP's signing key set. */
    async getSigningKeySet(tenantId: string, id: string): Promise<KeySet> {
      return keys.getKeySet(tenantId, (await signingKeySet(tenantId, id)).keySetId);
    },

    /** The IdP's published signing keys (next, active, draining), oldest first. */
    async listSigningKeys(tenantId: string, id: string): Promise<Key[]> {
      return keys.listKeys(tenantId, (await signingKeySet(tenantId, id)).keySetId, PUBLISHED_STATES);
    },

    /** One published signing key of the IdP. */
    async getSigningKey(tenantId: string, id: string, kid: string): Promise<Key> {
      const key = await keys.getKey(tenantId, (await signingKeySet(tenantId, id)).keySetId, kid);
      if (!PUBLISHED_STATES.includes(key.state))
        throw new SignetError('ERR_KEY_NOT_FOUND', `key ${kid} not found`, { kid });
      return key;
    },

    /** The key that signs requests to the IdP, if any. */
    async getActiveSigningKey(tenantId: string, id: string): Promise<Key | undefined> {
      return (await keys.listKeys(tenantId, (await signingKeySet(tenantId, id)).keySetId, ['active']))[0];
    },

    /** Generates a signing key with a certificate valid for `validityYears`; it signs only once the IdP is switched to it. */
    async generateSigningKey(
      context: RequestContext,
      tenantId: string,
      id: string,
      validityYears: number,
    ): Promise<Key> {
      if (!Number.isInteger(validityYears) || validityYears < 2 || validityYears > 10) {
        throw new SignetError('ERR_VALIDATION', 'Validity years out of range. It should be 2 - 10 years', {
          fields: ['validityYears'],
        });
      }
      const result = await keys.generateKey(
        context,
        tenantId,
        (await signingKeySet(tenantId, id)).keySetId,
        validityYears * YEAR_SECONDS,
      );
      return createdKey(result);
    },

    /** Copies a signing key (private half included) of one IdP to another of the tenant. */
    async cloneSigningKey(
      context: RequestContext,
      tenantId: string,
      id: string,
      kid: string,
      targetId: string,
    ): Promise<Key> {
      const source = await signingKeySet(tenantId, id);
      const target = await signingKeySet(tenantId, targetId);
      return createdKey(await keys.cloneKey(context, tenantId, source.keySetId, kid, target.keySetId));
    },
  };
  return service;
}

function createdKey(result: LifecycleResult): Key {
  if (!result.created) throw new SignetError('ERR_INTERNAL', 'the operation created no key');
  return result.created;
}
