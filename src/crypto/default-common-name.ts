/** The subject common name of a key's certificate unless the caller names one (62 characters, under X.520's 64). */
export function defaultCommonName(kid: string): string {
  return `Signet signing key ${kid}`;
}
