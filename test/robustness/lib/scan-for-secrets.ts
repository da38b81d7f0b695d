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
    : [];
  result.databaseBytesScanned = databaseFiles.reduce((sum, file) => sum + file.length, 0);
  const places = (needle: string, allowedResponse = -1): string[] => {
    const found: string[] = [];
    for (let at = responses.indexOf(needle); at >= 0; at = responses.indexOf(needle, at + 1)) {
      const index = responseAt(at);
      if (index !== allowedResponse) {
        found.push(`response ${index}`);
        break;
      }
    }
    if (input.logs.includes(needle)) found.push('logs');
    if (databaseFiles.some((file) => file.includes(needle))) found.push('database');
    return found;
  };

  for (const key of input.facts.keys) {
    const jwk = unsealPrivateKey(key, sealer).export({ format: 'jwk' }) as Record<string, string | undefined>;
    result.keysChecked += 1;
    for (const member of PRIVATE_MEMBERS) {
      const value = jwk[member];
      if (!value) continue;
      result.privateMembersChecked += 1;
      const found = places(value);
      // The raw bytes too, in case something stored or logged them unencoded.
      if (databaseFiles.some((file) => file.includes(Buffer.from(value, 'base64url')))) found.push('database (raw)');
      if (found.length > 0) {
        result.privateKeyLeaks += 1;
        result.examples.push(`private member ${member} of ${key.kid} found in ${found.join(', ')}`);
      }
    }
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
  const secrets: IssuedSecret[] = [
    ...input.ledger.issued,
    ...input.given.map((value) => ({ value, field: 'bootstrap', shownIn: -1 })),
  ];
  for (const secret of secrets) {
    result.secretsChecked += 1;
    const found = places(secret.value, secret.shownIn);
    if (found.length > 0) {
      result.secretLeaks += 1;
      result.examples.push(`${secret.field} issued in response ${secret.shownIn} found in ${found.join(', ')}`);
    }
  }
  return result;
}
