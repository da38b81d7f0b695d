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
import { createTokenService } from './create-token-service.ts';

export interface ServicesDeps {
  store: Store;
  registry: Registry;
  pool: KeyMaterialPool;
  sealer: Sealer;
  custodies: Custodies;
  now: () => number;
  rootTenantId: string;
  onTokenSigned?: (kid: string) => void;
}

export type Services = ReturnType<typeof createServices>;

/** Wires every use case over one store, registry and clock. */
export function createServices(deps: ServicesDeps) {
  const { store, registry, now } = deps;
  const keys = createKeyService(deps);
  const credentials = createCredentialService({ store, registry, now, rootTenantId: deps.rootTenantId });
  const authorizationServers = createAuthorizationServerService({ store, registry, now, keys });
  const tenants = createTenantService({ store, registry, now, authorizationServers, credentials });
  const tokens = createTokenService({ registry, now, ...(deps.onTokenSigned ? { onSigned: deps.onTokenSigned } : {}) });
  const audit = createAuditService({ store });
  const identityProviders = createIdentityProviderService({ store, registry, now, keys });
  const keyStore = createKeyStoreService({ store, now });
  const csrs = createIdpCsrService({ store, pool: deps.pool, sealer: deps.sealer, now, keys, identityProviders });
  const simulations = createSimulationService({ keys, now });
  const masterKeys = createMasterKeyService({ store, sealer: deps.sealer, now });
  return {
    keys,
    credentials,
    authorizationServers,
    tenants,
    tokens,
    audit,
    identityProviders,
    keyStore,
    csrs,
    simulations,
    masterKeys,
  };
}
