import { checkInvariants, type InvariantBreak } from './check-invariants.ts';
import { readDatabaseFacts, type DatabaseFacts } from './read-database-facts.ts';

/** Where a target's database and JWKS are. */
export interface InvariantSource {
  url: string;
  sqlitePath: string | null;
  databaseUrl: string | null;
}

/**
 * The invariant breaks that persist: a change committed a moment ago may not be served yet (the
 * registry refreshes right after commit) and a rotation's fresh next key is generated after it,
 * so a break counts only when it is still there after `settleMs`. Returns the facts last read too.
 */
export async function settledInvariants(
  source: InvariantSource,
  settleMs = 5_000,
): Promise<{ breaks: InvariantBreak[]; facts: DatabaseFacts }> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const facts = await readDatabaseFacts(source);
    const breaks = await checkInvariants(facts, (server) => servedKids(source.url, server));
    if (breaks.length === 0 || Date.now() >= deadline) return { breaks, facts };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The kids the server's own JWKS route serves for one authorization server, addressed by tenant path. */
async function servedKids(url: string, server: { tenantId: string; id: string }): Promise<string[] | null> {
  try {
    const response = await fetch(
      `${url}/t/${encodeURIComponent(server.tenantId)}/oauth2/${encodeURIComponent(server.id)}/v1/keys`,
      { signal: AbortSignal.timeout(10_000) },
    );
    if (response.status !== 200) return null;
    return ((await response.json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
  } catch {
    return null;
  }
}
