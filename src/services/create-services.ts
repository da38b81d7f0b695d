import type { KeyMaterialPool } from '../crypto/create-key-material-pool.ts';
import type { Sealer } from '../crypto/create-sealer.ts';
import type { Custodies } from '../custody/create-custodies.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Store } from '../storage/store.ts';
import { createAuditService } from './create-audit-service.ts';
import { createAuthorizationServerService } from './create-authorization-server-service.ts';
import { createCredentialService } from './create-credential-service.ts';
import { createIdentityProviderService } from './create-identity-provider-service.ts';
import { createIdpCsrService } from './create-idp-csr-service.ts';
import { createKeyService } from './create-key-service.ts';
import { createKeyStoreService } from './create-key-store-service.ts';
import { createSimulationService } from './create-simulation-service.ts';
import { createMasterKeyService } from './create-master-key-service.ts';
import { createTenantService } from './create-tenant-service.ts';
import { createSigningService } from './create-signing-service.ts';
import { createTokenService } from './create-token-service.ts';
import { createWebhookService } from './create-webhook-service.ts';
import { createCertificateExpiryReporter } from './create-certificate-expiry-reporter.ts';
import { DEFAULT_SERVER_OPTIONS } from '../config/defaults.ts';
import type { WebhookTargetRules } from '../domain/check-webhook-url.ts';
import { createNullSignatureLedger, type SignatureLedger } from './signature-ledger.ts';

export interface ServicesDeps {
  store: Store;
  registry: Registry;
  pool: KeyMaterialPool;
  sealer: Sealer;
  custodies: Custodies;
  now: () => number;
  rootTenantId: string;
  onTokenSigned?: (kid: string) => void;
  /** Which webhook targets are allowed and how long a rotated-out secret signs; the server defaults when absent. */
  webhooks?: WebhookTargetRules & { secretGraceSeconds: number };
  /** Counts every signature (signing API and token endpoints) per kid and credential; nothing by default. */
  signatureLedger?: SignatureLedger;
}

export type Services = ReturnType<typeof createServices>;

/** Wires every use case over one store, registry and clock. */
export function createServices(deps: ServicesDeps) {
  const { store, registry, now } = deps;
  const keys = createKeyService(deps);
  const credentials = createCredentialService({ store, registry, now, rootTenantId: deps.rootTenantId });
  const authorizationServers = createAuthorizationServerService({ store, registry, now, keys });
  const tenants = createTenantService({ store, registry, now, authorizationServers, credentials });
  const ledger = deps.signatureLedger ?? createNullSignatureLedger();
  const onSigned = deps.onTokenSigned ? { onSigned: deps.onTokenSigned } : {};
  const tokens = createTokenService({ registry, now, ledger, ...onSigned });
  const signing = createSigningService({ registry, now, ledger, ...onSigned });
  const audit = createAuditService({ store });
  const identityProviders = createIdentityProviderService({ store, registry, now, keys });
  const keyStore = createKeyStoreService({ store, now });
  const csrs = createIdpCsrService({ store, pool: deps.pool, sealer: deps.sealer, now, keys, identityProviders });
  const d = DEFAULT_SERVER_OPTIONS;
  const webhookOptions = deps.webhooks ?? {
    allowHttp: d.webhookAllowHttp,
    allowPrivateNetworks: d.webhookAllowPrivateNetworks,
    secretGraceSeconds: d.webhookSecretGraceSeconds,
  };
  const webhooks = createWebhookService({
    store,
    sealer: deps.sealer,
    now,
    rules: { allowHttp: webhookOptions.allowHttp, allowPrivateNetworks: webhookOptions.allowPrivateNetworks },
    secretGraceSeconds: webhookOptions.secretGraceSeconds,
  });
  const simulations = createSimulationService({ keys, now });
  const masterKeys = createMasterKeyService({ store, sealer: deps.sealer, now });
  return {
    keys,
    credentials,
    authorizationServers,
    tenants,
    tokens,
    signing,
    audit,
    identityProviders,
    keyStore,
    csrs,
    webhooks,
    certificateExpiry: createCertificateExpiryReporter({ store, now }),
    simulations,
    masterKeys,
  };
}
