import { existsSync, readFileSync } from 'node:fs';
import { createSealer } from '../../../src/crypto/create-sealer.ts';
import { parseMasterKeys } from '../../../src/crypto/master-key.ts';
import { unsealPrivateKey } from '../../../src/crypto/unseal-private-key.ts';
import type { IssuedSecret, Ledger } from './create-ledger.ts';
import type { DatabaseFacts } from './read-database-facts.ts';

/** Figures of the scan; every `*Leaks` must be 0. */
export interface SecretScanResult {
  keysChecked: number;
  privateMembersChecked: number;
  secretsChecked: number;
  responsesScanned: number;
  logBytesScanned: number;
  databaseBytesScanned: number;
  privateKeyLeaks: number;
  pemHeaderLeaks: number;
  secretLeaks: number;
  examples: string[];
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;
const PEM_PRIVATE = /-----BEGIN (?:RSA |EC |ENCRYPTED |OPENSSH )?PRIVATE KEY-----/;

/**
 * Looks for private key material and issued secrets where they must never be (docs/spec.md I3):
 * every response of the run, the server's logs, and the SQLite database with its WAL. The private
 * JWK members of every stored key are unsealed here with the master key to know what to look for;
 * an issued secret may appear only in the one response that issued it (the database keeps hashes).
 */
export function scanForSecrets(input: {
  ledger: Ledger;
  logs: string;
  facts: DatabaseFacts;
  masterKey: string;
  sqlitePath: string | null;
  /** On PostgreSQL: every row of the database as text (dumpPostgresRows), scanned as the files are on SQLite. */
  databaseRows?: string;
  /** Secrets handed to the server up front (the bootstrap credentials), shown in no response. */
  given: string[];
}): SecretScanResult {
  const sealer = createSealer(parseMasterKeys(input.masterKey));
  const result: SecretScanResult = {
    keysChecked: 0,
    privateMembersChecked: 0,
    secretsChecked: 0,
    responsesScanned: input.ledger.responses.length,
    logBytesScanned: input.logs.length,
    databaseBytesScanned: 0,
    privateKeyLeaks: 0,
    pemHeaderLeaks: 0,
    secretLeaks: 0,
    examples: [],
  };
  // One text of every response, with the offset each starts at, so a hit can be traced to its response.
  const offsets: number[] = [];
  let length = 0;
  for (const response of input.ledger.responses) {
    offsets.push(length);
    length += response.length + 1;
  }
  const responses = input.ledger.responses.join('\u0001');
  const responseAt = (offset: number): number => {
    let low = 0;
    let high = offsets.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (offsets[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  const databaseFiles = input.sqlitePath
    ? [input.sqlitePath, `${input.sqlitePath}-wal`, `${input.sqlitePath}-shm`]
        .filter(existsSync)
        .map((path) => readFileSync(path))
    : [Buffer.from(input.databaseRows ?? '')];
  result.databaseBytesScanned = databaseFiles.reduce((sum, file) => sum + file.length, 0);

  const needles: Needle[] = [];
  for (const key of input.facts.keys) {
    const jwk = unsealPrivateKey(key, sealer).export({ format: 'jwk' }) as Record<string, string | undefined>;
    result.keysChecked += 1;
    for (const member of PRIVATE_MEMBERS) {
      const value = jwk[member];
      if (!value) continue;
      result.privateMembersChecked += 1;
      needles.push({ value, label: `private member ${member} of ${key.kid}`, allowedResponse: -1, privateKey: true });
      // The raw bytes too, in case something stored them unencoded.
      if (input.sqlitePath && databaseFiles.some((file) => file.includes(Buffer.from(value, 'base64url')))) {
        result.privateKeyLeaks += 1;
        result.examples.push(`private member ${member} of ${key.kid} found raw in the database`);
      }
    }
  }
  const secrets: IssuedSecret[] = [
    ...input.ledger.issued,
    ...input.given.map((value) => ({ value, field: 'bootstrap', shownIn: -1 })),
  ];
  for (const secret of secrets) {
    result.secretsChecked += 1;
    needles.push({
      value: secret.value,
      label: `${secret.field} issued in response ${secret.shownIn}`,
      allowedResponse: secret.shownIn,
      privateKey: false,
    });
  }
  const leaked = new Map<Needle, Set<string>>();
  const hit = (needle: Needle, where: string): void => {
    const places = leaked.get(needle) ?? new Set<string>();
    places.add(where);
    leaked.set(needle, places);
  };
  const index = indexNeedles(needles);
  findNeedles(responses, index, (needle, at) => {
    const response = responseAt(at);
    if (response !== needle.allowedResponse) hit(needle, `response ${response}`);
  });
  findNeedles(input.logs, index, (needle) => hit(needle, 'logs'));
  for (const file of databaseFiles) findNeedles(file.toString('latin1'), index, (needle) => hit(needle, 'database'));
  for (const [needle, places] of leaked) {
    if (needle.privateKey) result.privateKeyLeaks += 1;
    else result.secretLeaks += 1;
    result.examples.push(`${needle.label} found in ${[...places].slice(0, 5).join(', ')}`);
  }

  for (const [where, text] of [
    ['responses', responses],
    ['logs', input.logs],
    ...databaseFiles.map((file, i) => [`database file ${i}`, file.toString('latin1')]),
  ] as [string, string][]) {
    if (PEM_PRIVATE.test(text)) {
      result.pemHeaderLeaks += 1;
      result.examples.push(`a PEM private key header in ${where}`);
    }
  }
  return result;
}

interface Needle {
  value: string;
  label: string;
  /** The response allowed to show it (the one that issued it), or -1. */
  allowedResponse: number;
  privateKey: boolean;
}

// Every needle is a base64url-ish run of at least this many characters (members, tokens, secrets).
const PREFIX = 16;

function indexNeedles(needles: readonly Needle[]): Map<string, Needle[]> {
  const index = new Map<string, Needle[]>();
  for (const needle of needles) {
    const prefix = needle.value.slice(0, PREFIX);
    index.set(prefix, [...(index.get(prefix) ?? []), needle]);
  }
  return index;
}

/**
 * Calls `found` for every place in `text` where a needle starts: one pass over the text's runs of
 * token characters instead of one search per needle (a full run has thousands of needles and tens
 * of megabytes of responses).
 */
function findNeedles(text: string, index: Map<string, Needle[]>, found: (needle: Needle, at: number) => void): void {
  for (const run of text.matchAll(/[A-Za-z0-9_.~+/=-]{16,}/g)) {
    for (let k = 0; k + PREFIX <= run[0].length; k += 1) {
      const candidates = index.get(run[0].slice(k, k + PREFIX));
      if (!candidates) continue;
      for (const needle of candidates) {
        if (text.startsWith(needle.value, run.index + k)) found(needle, run.index + k);
      }
    }
  }
}
