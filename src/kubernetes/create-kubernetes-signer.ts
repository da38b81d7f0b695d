import { X509Certificate } from 'node:crypto';
import { jwksMaxAgeSeconds } from '../domain/jwks-max-age.ts';
import type { Actor } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import type { ConsumerIdentity, ReadinessRecorder } from '../runtime/create-readiness-recorder.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Principal } from '../services/authorize.ts';
import type { SigningService } from '../services/create-signing-service.ts';

/** One published key as FetchKeys answers it. */
export interface KubernetesKey {
  keyId: string;
  /** PKIX (SubjectPublicKeyInfo) DER of the public key. */
  key: Buffer;
  excludeFromOidcDiscovery: boolean;
}

export interface KubernetesSignerDeps {
  registry: Registry;
  signing: SigningService;
  now: () => number;
  tenantId: string;
  authorizationServerId: string;
  /** The issuer of the server as Signet addresses it (an external issuer of the server takes its place). */
  issuer: string;
  reservedAudiences: readonly string[];
  /** Where FetchKeys notes its caller for verifier readiness, as the JWKS routes do; null turns it off. */
  readiness: Pick<ReadinessRecorder, 'recordConsumer'> | null;
}

/** How the FetchKeys caller is known: a Unix socket has no address, so readiness names it `unix`. */
export interface KubernetesCaller {
  userAgent: string;
  /** A `signet-consumer` metadata entry, as the JWKS routes take the `Signet-Consumer` header. */
  name: string | null;
}

export type KubernetesSigner = ReturnType<typeof createKubernetesSigner>;

/**
 * The use cases behind Kubernetes' ExternalJWTSigner (issue 12), independent of gRPC: Sign goes
 * through the signing API's service (same lifetime rule, same ledger), FetchKeys and Metadata read
 * the key set's view in memory.
 */
export function createKubernetesSigner(deps: KubernetesSignerDeps) {
  const { registry, now, tenantId, authorizationServerId } = deps;
  const actor: Actor = { type: 'system', id: 'kubernetes-signer', tenantId };
  // The socket's only caller is kube-apiserver (the socket is 0600): it signs as a system actor
  // the signature ledger counts under its own id.
  const principal: Principal = { actor, tenantId, scopes: new Set(), authorizationServerIds: [authorizationServerId] };

  const view = () => {
    const server = registry.getAuthorizationServer(tenantId, authorizationServerId);
    const found = server?.signingKeySetId ? registry.getKeySetView(server.signingKeySetId) : undefined;
    if (!found)
      throw new SignetError(
        'ERR_KEY_SET_NOT_INITIALISED',
        `authorization server ${authorizationServerId} has no key set`,
      );
    return found;
  };

  return {
    /** Signs the encoded claims as given; answers the header and signature segments. */
    async sign(encodedClaims: string): Promise<{ header: string; signature: string; kid: string }> {
      const result = await deps.signing.signEncoded(principal, 'kubernetes', {
        tenantId,
        authorizationServerId,
        issuer: deps.issuer,
        encodedClaims,
        typ: 'JWT',
        reservedAudiences: deps.reservedAudiences,
      });
      const [header, , signature] = result.jwt.split('.') as [string, string, string];
      return { header, signature, kid: result.kid };
    },

    /**
     * Every published key (next, active, draining), with how soon to ask again and when the set
     * last changed; `caller` is recorded as a consumer of the key set (docs/spec.md §7, rollout safety).
     */
    fetchKeys(caller: KubernetesCaller): { keys: KubernetesKey[]; dataTimestamp: number; refreshHintSeconds: number } {
      const current = view();
      const at = now();
      if (deps.readiness) {
        const nextKid = current.keys.find((key) => key.state === 'next')?.kid ?? null;
        const consumer: ConsumerIdentity = { name: caller.name, address: 'unix', userAgent: caller.userAgent };
        deps.readiness.recordConsumer(consumer, [{ keySetId: current.keySet.id, nextKid }], at);
      }
      const keys = current.keys.map((key) => ({
        keyId: key.kid,
        key: new X509Certificate(Buffer.from(key.certificateDer, 'base64')).publicKey.export({
          type: 'spki',
          format: 'der',
        }),
        excludeFromOidcDiscovery: false,
      }));
      // The set changes when a key is published, activated or starts draining; a retirement leaves
      // no trace among the published keys, so the latest of these is a lower bound then.
      const dataTimestamp = Math.max(
        current.keySet.createdAt,
        ...current.keys.flatMap((key) => [key.publishedAt, key.activatedAt ?? 0, key.drainingSince ?? 0]),
      );
      // As the JWKS Cache-Control: never past the next scheduled change; Kubernetes wants > 0.
      const refreshHintSeconds = Math.max(1, jwksMaxAgeSeconds(current.keySet.policy, current.nextChangeAt, at));
      return { keys, dataTimestamp, refreshHintSeconds };
    },

    /** The longest token lifetime the key set allows (kube-apiserver's --service-account-max-token-expiration bound). */
    metadata(): { maxTokenExpirationSeconds: number } {
      return { maxTokenExpirationSeconds: view().keySet.policy.maxTokenLifetimeSeconds };
    },
  };
}
