import type { DatabaseFacts } from './read-database-facts.ts';

/** One broken invariant, named after the rule it breaks. */
export interface InvariantBreak {
  rule: 'I1' | 'I2' | 'jwks' | 'audit';
  detail: string;
}

/** The kids one authorization server's JWKS serves right now, or null when it did not answer 200. */
export type ServedKids = (server: { tenantId: string; id: string }) => Promise<string[] | null>;

const PUBLISHED = new Set(['next', 'active', 'draining']);

/**
 * Checks docs/spec.md §2 over the database's own rows and what the server serves: I1 (exactly one
 * active key per key set that has keys), I2 (exactly one next key: at most one by the schema, and
 * a rotation always leaves a fresh one), every server's JWKS equal to its key set's published keys,
 * and every key's audit chain complete (I5: from its creation, each event starts in the state the
 * previous one ended in, and the last ends in the key's current state).
 */
export async function checkInvariants(facts: DatabaseFacts, servedKids: ServedKids): Promise<InvariantBreak[]> {
  const breaks: InvariantBreak[] = [];
  const byKeySet = new Map<string, DatabaseFacts['keys']>();
  for (const key of facts.keys) {
    const list = byKeySet.get(key.keySetId) ?? [];
    list.push(key);
    byKeySet.set(key.keySetId, list);
  }
  for (const [keySetId, keys] of byKeySet) {
    const active = keys.filter((key) => key.state === 'active').length;
    const next = keys.filter((key) => key.state === 'next').length;
    if (active !== 1) breaks.push({ rule: 'I1', detail: `key set ${keySetId} has ${active} active keys` });
    if (next !== 1) breaks.push({ rule: 'I2', detail: `key set ${keySetId} has ${next} next keys` });
  }

  for (const server of facts.servers) {
    if (!server.signingKeySetId) continue;
    const expected = (byKeySet.get(server.signingKeySetId) ?? [])
      .filter((key) => PUBLISHED.has(key.state))
      .map((key) => key.kid)
      .sort();
    const served = await servedKids(server);
    if (served === null) {
      breaks.push({ rule: 'jwks', detail: `JWKS of ${server.tenantId}/${server.id} did not answer 200` });
    } else if (JSON.stringify([...served].sort()) !== JSON.stringify(expected)) {
      breaks.push({
        rule: 'jwks',
        detail: `JWKS of ${server.tenantId}/${server.id} serves [${served.join(',')}], the database publishes [${expected.join(',')}]`,
      });
    }
  }

  const chains = new Map<string, DatabaseFacts['keyEvents']>();
  for (const event of facts.keyEvents) {
    if (event.toState === null || event.fromState === event.toState) continue;
    const id = `${event.keySetId}/${event.kid}`;
    const list = chains.get(id) ?? [];
    list.push(event);
    chains.set(id, list);
  }
  for (const key of facts.keys) {
    const chain = chains.get(`${key.keySetId}/${key.kid}`) ?? [];
    let state: string | null = null;
    let broken = chain.length === 0;
    for (const event of chain) {
      if (event.fromState !== state) broken = true;
      state = event.toState;
    }
    if (broken || state !== key.state) {
      breaks.push({
        rule: 'audit',
        detail: `key ${key.kid} is ${key.state}; its audit chain is ${chain.map((e) => `${e.fromState}->${e.toState}`).join(', ') || 'empty'}`,
      });
    }
  }
  return breaks;
}
