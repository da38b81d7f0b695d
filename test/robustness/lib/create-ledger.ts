/** A secret the server handed out once, in the response numbered `shownIn`. */
export interface IssuedSecret {
  value: string;
  field: string;
  shownIn: number;
}

/** Every response of a run (headers and body as text) and the secrets some of them issued. */
export interface Ledger {
  responses: string[];
  issued: IssuedSecret[];
  /** Records one response; returns its number. Secrets in a 2xx JSON body are noted as issued. */
  record(status: number, headers: Record<string, string>, body: string): number;
}

// Fields that carry a freshly issued secret in Signet's answers (API tokens, client secrets).
const SECRET_FIELDS = new Set(['token', 'clientSecret', 'client_secret', 'secret', 'apiToken']);
// Responses are kept whole up to this size; beyond it the head and the tail, where secrets would sit.
const KEEP_BYTES = 256 * 1024;

/** Creates an empty ledger. */
export function createLedger(): Ledger {
  const responses: string[] = [];
  const issued: IssuedSecret[] = [];
  return {
    responses,
    issued,
    record(status, headers, body) {
      const index = responses.length;
      const headText = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\n');
      const kept = body.length > KEEP_BYTES ? `${body.slice(0, KEEP_BYTES / 2)}${body.slice(-KEEP_BYTES / 2)}` : body;
      responses.push(`${status}\n${headText}\n\n${kept}`);
      if (status >= 200 && status < 300 && body.startsWith('{')) {
        try {
          collectSecrets(JSON.parse(body), (field, value) => issued.push({ value, field, shownIn: index }));
        } catch {
          // Not JSON after all; nothing issued.
        }
      }
      return index;
    },
  };
}

function collectSecrets(value: unknown, found: (field: string, value: string) => void): void {
  if (Array.isArray(value)) for (const item of value) collectSecrets(item, found);
  else if (value && typeof value === 'object') {
    for (const [field, inner] of Object.entries(value)) {
      if (SECRET_FIELDS.has(field) && typeof inner === 'string' && inner.length >= 16) found(field, inner);
      else collectSecrets(inner, found);
    }
  }
}
