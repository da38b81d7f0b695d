import { chmodSync, writeFileSync } from 'node:fs';
import { BOOTSTRAP_DEFAULTS } from '../config/defaults.ts';
import { ALL_SCOPES, type RequestContext } from '../domain/types.ts';
import type { Store } from '../storage/store.ts';
import type { Services } from './create-services.ts';

const COMPLETED = 'bootstrap.completedAt';

export interface BootstrapOptions {
  clientId: string | null;
  clientSecret: string | null;
  apiToken: string | null;
  /** Where to write the generated credentials (mode 0600). */
  credentialsPath: string;
  baseUrl: string;
}

export interface BootstrapResult {
  created: boolean;
  credentialsPath: string | null;
}

const SYSTEM: RequestContext = {
  actor: { type: 'system', id: 'bootstrap', tenantId: null },
  requestId: null,
  sourceIp: null,
  surface: 'bootstrap',
};

/**
 * On an empty database: creates the root tenant, its `default` authorization server with an RS256
 * key set (one active, one next key), an admin API client and an admin API token with every scope
 * (SIGNET_BOOTSTRAP_* when given), and writes the credentials to a 0600 file.
 */
export async function bootstrap(services: Services, store: Store, options: BootstrapOptions): Promise<BootstrapResult> {
  if (await isBootstrapped(store)) return { created: false, credentialsPath: null };
  // Instances starting at once on an empty shared database: the lock lets one bootstrap, and the
  // others find it done once they get the lock.
  return store.exclusively('bootstrap', async () => {
    if (await isBootstrapped(store)) return { created: false, credentialsPath: null };
    return bootstrapEmptyDatabase(services, store, options);
  });
}

function isBootstrapped(store: Store): Promise<boolean> {
  return store.read(async (reader) => (await reader.getMeta(COMPLETED)) !== undefined);
}

async function bootstrapEmptyDatabase(
  services: Services,
  store: Store,
  options: BootstrapOptions,
): Promise<BootstrapResult> {
  // Each step checks its own result, so a start-up interrupted half way finishes the job next time.
  if (!(await store.read((reader) => reader.getTenant(BOOTSTRAP_DEFAULTS.tenantId)))) {
    await services.tenants.createTenant(
      SYSTEM,
      { id: BOOTSTRAP_DEFAULTS.tenantId, displayName: 'Default' },
      { withAdminToken: false },
    );
  }
  const scopes = [...ALL_SCOPES];
  const { client, clientSecret } = await services.credentials.createClient(SYSTEM, BOOTSTRAP_DEFAULTS.tenantId, {
    name: 'bootstrap admin',
    scopes,
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
  });
  const { apiToken, token } = await services.credentials.createApiToken(SYSTEM, BOOTSTRAP_DEFAULTS.tenantId, {
    name: 'bootstrap admin',
    scopes,
    ...(options.apiToken ? { token: options.apiToken } : {}),
  });
  const credentials = {
    issuer: options.baseUrl,
    tokenEndpoint: `${options.baseUrl}/oauth/token`,
    managementApi: `${options.baseUrl}/signet/v1`,
    clientId: client.clientId,
    clientSecret,
    apiTokenId: apiToken.id,
    apiToken: token,
    scopes,
  };
  writeFileSync(options.credentialsPath, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(options.credentialsPath, 0o600);
  await store.transaction((tx) => tx.setMeta(COMPLETED, new Date().toISOString()));
  return { created: true, credentialsPath: options.credentialsPath };
}
