/**
 * Certificates start 5 minutes in the past so a verifier whose clock runs behind Signet's (the
 * default clockSkew of docs/spec.md §3) does not see a not-yet-valid certificate.
 */
const BACKDATE_MS = 5 * 60 * 1000;

/** The validity window of a certificate issued at `now` for `validitySeconds`. */
export function certificateTimes(now: number, validitySeconds: number): { notBefore: number; notAfter: number } {
  return { notBefore: now - BACKDATE_MS, notAfter: now + validitySeconds * 1000 };
}
