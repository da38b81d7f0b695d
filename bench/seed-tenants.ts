// Seeds tenants into a stopped Signet's data directory through the services (the same use case as
// POST /signet/v1/tenants), in bulk. Each tenant gets its default authorization server with an ES256
// key set: an RS256 set would need two RSA key generations per tenant (~166 ms each), hours for 10,000.
// `node seed-tenants.ts <dataDir> <from> <to>` creates tenants bench-<from> .. bench-<to - 1>.
import { join } from 'node:path';
import { parseMasterKeys } from '../src/crypto/master-key.ts';
import { createKeyMaterialPool } from '../src/crypto/create-key-material-pool.ts';
import { createSealer } from '../src/crypto/create-sealer.ts';
import { BOOTSTRAP_DEFAULTS } from '../src/config/defaults.ts';
import type { RequestContext } from '../src/domain/types.ts';
import { openCustodies } from '../src/custody/open-custodies.ts';
import { createRegistry } from '../src/runtime/create-registry.ts';
import { bootstrap } from '../src/services/bootstrap.ts';
import { createServices } from '../src/services/create-services.ts';
import { createSqliteStore } from '../src/storage/sqlite/create-sqlite-store.ts';

const [dataDir, fromText, toText] = process.argv.slice(2);
const from = Number(fromText);
const to = Number(toText);
const CONCURRENCY = 16;
const context: RequestContext = {
  actor: { type: 'system', id: 'bench-seed', tenantId: null },
  requestId: null,
  sourceIp: null,
  surface: 'bootstrap',
};

const store = createSqliteStore({ path: join(dataDir!, 'signet.db') });
await store.migrate();
const sealer = createSealer(parseMasterKeys(process.env.SIGNET_MASTER_KEY!));
const pool = createKeyMaterialPool();
const custodies = openCustodies({ defaultCustody: 'sealed', pkcs11: null }, sealer);
const registry = createRegistry({ store, sealer, custodies });
const now = (): number => Date.now();
const services = createServices({
  store,
  registry,
  pool,
  sealer,
  custodies,
  now,
  rootTenantId: BOOTSTRAP_DEFAULTS.tenantId,
});
// On a new database, the same bootstrap `signet serve` would run first (it is a no-op afterwards).
await registry.reloadAll();
await bootstrap(services, store, {
  clientId: process.env.SIGNET_BOOTSTRAP_CLIENT_ID ?? null,
  clientSecret: process.env.SIGNET_BOOTSTRAP_CLIENT_SECRET ?? null,
  apiToken: process.env.SIGNET_BOOTSTRAP_API_TOKEN ?? null,
  credentialsPath: join(dataDir!, BOOTSTRAP_DEFAULTS.credentialsFileName),
  baseUrl: 'http://127.0.0.1',
});

let next = from;
async function worker(): Promise<void> {
  while (next < to) {
    const index = next++;
    await services.tenants.createTenant(context, { id: tenantId(index), alg: 'ES256' }, { withAdminToken: false });
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
pool.close();
await store.close();
process.stdout.write(`seeded ${to - from}\n`);

/** The id of the i-th seeded tenant. */
function tenantId(index: number): string {
  return `bench-${String(index).padStart(5, '0')}`;
}
