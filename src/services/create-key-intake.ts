import type { CertificateResult } from '../crypto/create-certificate.ts';
import type { Sealer } from '../crypto/create-sealer.ts';
import type { KeyPair } from '../crypto/generate-key-pair.ts';
import { privateKeyAad } from '../crypto/private-key-aad.ts';
import { unsealKeyPair } from '../crypto/unseal-key-pair.ts';
import { planImport } from '../domain/plan-import.ts';
import { PUBLISHED_STATES, type Key, type RequestContext } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import type { StoreTx } from '../storage/store.ts';
import type { LifecycleResult, LifecycleWriter } from './create-lifecycle-writer.ts';

export interface KeyIntakeDeps {
  sealer: Sealer;
  writer: LifecycleWriter;
  getKey: (tenantId: string, keySetId: string, kid: string) => Promise<Key>;
}

/**
 * Keys that enter a key set outside a rotation (identity providers' signing keys): generated on
 * request, cloned from another key set, or adopted from a CSR with a CA's certificate. Each enters
 * as the next key through the lifecycle writer (planImport), with its audit events.
 */
export function createKeyIntake({ sealer, writer, getKey }: KeyIntakeDeps) {
  const { mint, loadOwned, runLifecycle } = writer;
  return {
    /**
     * Generates a key as the next key, its certificate valid for `certificateValiditySeconds`
     * (Okta's IdP `generate?validityYears=`); an unused next key it replaces is revoked (I2).
     */
    generateKey(
      context: RequestContext,
      tenantId: string,
      keySetId: string,
      certificateValiditySeconds: number,
    ): Promise<LifecycleResult> {
      return runLifecycle(
        context,
        tenantId,
        keySetId,
        'generate',
        (current, _ks, at) => planImport({ keys: current, now: at }),
        (keySet) => mint({ ...keySet, policy: { ...keySet.policy, certificateValiditySeconds } }, 'generated'),
      );
    },

    /**
     * Copies a published key, private half, kid and certificate, into another key set of the
     * tenant as its next key (Okta's IdP key `clone`); ERR_ALREADY_EXISTS when the kid is there.
     */
    async cloneKey(
      context: RequestContext,
      tenantId: string,
      sourceKeySetId: string,
      kid: string,
      targetKeySetId: string,
    ): Promise<LifecycleResult> {
      const source = await getKey(tenantId, sourceKeySetId, kid);
      if (!PUBLISHED_STATES.includes(source.state)) {
        throw new SignetError('ERR_KEY_NOT_FOUND', `key ${kid} is ${source.state} and can no longer be cloned`, {
          kid,
          keySetId: sourceKeySetId,
        });
      }
      const target = await loadOwned(tenantId, targetKeySetId);
      if (target.keys.some((key) => key.kid === kid)) {
        throw new SignetError('ERR_ALREADY_EXISTS', `key ${kid} is already in key set ${targetKeySetId}`, {
          kid,
          keySetId: targetKeySetId,
        });
      }
      if (target.keySet.alg !== source.alg) {
        throw new SignetError(
          'ERR_VALIDATION',
          `key ${kid} is ${source.alg} but key set ${targetKeySetId} is ${target.keySet.alg}`,
          { kid },
        );
      }
      if (source.sealedPrivateKey === null) {
        // A key on a token is non-extractable by construction: there is nothing to copy.
        throw new SignetError('ERR_INVALID_KEY', `key ${kid} is held on a PKCS#11 token and cannot be cloned`, {
          kid,
          keySetId: sourceKeySetId,
        });
      }
      const pair = unsealKeyPair(source.sealedPrivateKey, privateKeyAad(source.keySetId, source.kid), sealer);
      const certificate = {
        der: source.certificateDer,
        notBefore: source.certificateNotBefore,
        notAfter: source.certificateNotAfter,
      };
      // The copy keeps its certificate's issuer: a CA's certificate stays one Signet never renews.
      const fresh = await mint(target.keySet, 'imported', pair, kid, certificate, source.certificateIssuer);
      return runLifecycle(
        context,
        tenantId,
        targetKeySetId,
        'clone',
        (current, _ks, at) => planImport({ keys: current, now: at }),
        async () => fresh,
      );
    },

    /**
     * Adds a key pair Signet minted elsewhere (a CSR's) with the certificate a CA issued for it as
     * the next key; `within` writes the rest of the operation in the same transaction.
     */
    async adoptKey(
      context: RequestContext,
      tenantId: string,
      keySetId: string,
      pair: KeyPair,
      certificate: CertificateResult,
      operation: string,
      within: (tx: StoreTx, at: number) => Promise<void>,
    ): Promise<LifecycleResult> {
      const { keySet, keys } = await loadOwned(tenantId, keySetId);
      const fresh = await mint(keySet, 'imported', pair, undefined, certificate);
      if (keys.some((key) => key.kid === fresh.kid)) {
        throw new SignetError('ERR_ALREADY_EXISTS', `key ${fresh.kid} is already in key set ${keySetId}`, {
          kid: fresh.kid,
        });
      }
      return runLifecycle(
        context,
        tenantId,
        keySetId,
        operation,
        (current, _ks, at) => planImport({ keys: current, now: at }),
        async () => fresh,
        within,
      );
    },
  };
}
