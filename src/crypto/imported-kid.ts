import { SignetError } from '../errors.ts';

const KID_PATTERN = /^[A-Za-z0-9._~-]{1,128}$/;

/**
 * The kid an imported key keeps: the one given explicitly, else the `kid` member of a JWK, else
 * none (the RFC 7638 thumbprint is used). A kept kid lets tokens signed before the move still find
 * their key in the JWKS.
 */
export function importedKid(input: string | Record<string, unknown>, explicit: string | undefined): string | undefined {
  let kid: unknown = explicit;
  if (kid === undefined && typeof input === 'object') kid = input.kid;
  if (kid === undefined && typeof input === 'string' && input.trimStart().startsWith('{')) {
    try {
      kid = (JSON.parse(input) as Record<string, unknown>).kid;
    } catch {
      kid = undefined; // importPrivateKey reports the malformed key without echoing it.
    }
  }
  if (kid === undefined) return undefined;
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) {
    throw new SignetError('ERR_VALIDATION', 'kid must be 1-128 characters of A-Z a-z 0-9 . _ ~ -', { fields: ['kid'] });
  }
  return kid;
}
