import { SignetError } from '../errors.ts';
import { readJwkInput } from './read-jwk-input.ts';

const KID_PATTERN = /^[A-Za-z0-9._~-]{1,128}$/;

/**
 * The kid an imported key keeps: the one given explicitly, else the `kid` member of a JWK, else
 * none (the RFC 7638 thumbprint is used). A kept kid lets tokens signed before the move still find
 * their key in the JWKS.
 */
export function importedKid(input: string | Record<string, unknown>, explicit: string | undefined): string | undefined {
  const kid: unknown = explicit ?? jwkKid(input);
  if (kid === undefined) return undefined;
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) {
    throw new SignetError('ERR_VALIDATION', 'kid must be 1-128 characters of A-Z a-z 0-9 . _ ~ -', { fields: ['kid'] });
  }
  return kid;
}

function jwkKid(input: string | Record<string, unknown>): unknown {
  try {
    return readJwkInput(input)?.kid;
  } catch {
    return undefined; // importPrivateKey reports the malformed key without echoing it.
  }
}
