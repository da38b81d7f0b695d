import { SignetError } from '../errors.ts';
import { computeRetentionSeconds } from './compute-retire-at.ts';
import type { Key, RotationPolicy } from './types.ts';

export interface BuildClaimsSetInput {
  /** The caller's claims set, as parsed from JSON (checked here). */
  claims: unknown;
  /** Lifetime when `claims.exp` is absent; the server's accessTokenLifetimeSeconds by default. */
  expiresInSeconds: number;
  issuer: string;
  policy: RotationPolicy;
  /** The key that will sign (the key set's active key). */
  key: Pick<Key, 'tokenLifetimeCeilingSeconds'>;
  /** Audiences a caller may not sign for (tokens for them would pass as management credentials). */
  reservedAudiences: readonly string[];
  now: number;
}

export interface ClaimsSet {
  payload: Record<string, unknown>;
  /** NumericDate seconds. */
  issuedAt: number;
  expiresAt: number;
  /** Milliseconds: the earliest time the key may leave the JWKS if it stopped signing now. */
  verifiableUntil: number;
}

/**
 * The claims set the signing API signs for a caller (docs/spec.md §7): `iss` is always the server's,
 * `iat` is now (or the caller's, within the clock skew), `exp` comes from the lifetime unless given,
 * and no token may live longer than the key set's maxTokenLifetimeSeconds, so its key stays
 * published until `verifiableUntil >= exp + clockSkew` whatever happens to the key set later.
 */
export function buildClaimsSet(input: BuildClaimsSetInput): ClaimsSet {
  const { claims, policy, now } = input;
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    throw invalid('claims', 'claims must be a JSON object');
  const given = claims as Record<string, unknown>;
  const nowSeconds = Math.floor(now / 1000);

  if (given.iss !== undefined && given.iss !== input.issuer)
    throw invalid('claims.iss', `claims.iss must be the authorization server's issuer ${input.issuer} or absent`);
  const audiences = Array.isArray(given.aud) ? given.aud : given.aud === undefined ? [] : [given.aud];
  const reserved = audiences.find((audience) => input.reservedAudiences.includes(audience as string));
  if (reserved !== undefined)
    throw invalid('claims.aud', `claims.aud may not name Signet's management audience ${String(reserved)}`);
  const iat = given.iat === undefined ? nowSeconds : numericDate(given.iat, 'claims.iat');
  if (Math.abs(iat - nowSeconds) > policy.clockSkewSeconds)
    throw invalid(
      'claims.iat',
      `claims.iat (${iat}) is more than clockSkewSeconds (${policy.clockSkewSeconds}) away from now (${nowSeconds})`,
    );
  const exp = given.exp === undefined ? nowSeconds + input.expiresInSeconds : numericDate(given.exp, 'claims.exp');
  if (exp <= nowSeconds) throw invalid('claims.exp', `claims.exp (${exp}) is not after now (${nowSeconds})`);
  const lifetimeSeconds = exp - nowSeconds;
  if (lifetimeSeconds > policy.maxTokenLifetimeSeconds) {
    throw new SignetError(
      'ERR_TOKEN_LIFETIME_TOO_LONG',
      `the token would live ${lifetimeSeconds} seconds, longer than the key set's maxTokenLifetimeSeconds (${policy.maxTokenLifetimeSeconds})`,
      { lifetimeSeconds, maxTokenLifetimeSeconds: policy.maxTokenLifetimeSeconds },
    );
  }
  if (given.nbf !== undefined && numericDate(given.nbf, 'claims.nbf') > exp)
    throw invalid('claims.nbf', `claims.nbf (${String(given.nbf)}) is after claims.exp (${exp})`);

  // The key's ceiling is at least maxTokenLifetimeSeconds >= lifetimeSeconds, so this is never
  // before exp + clockSkew; apply-policy-change.ts keeps it from shrinking later.
  const verifiableUntil = now + computeRetentionSeconds(input.key, policy) * 1000;
  return {
    payload: { ...given, iss: input.issuer, iat, exp },
    issuedAt: iat,
    expiresAt: exp,
    verifiableUntil,
  };
}

function numericDate(value: unknown, field: string): number {
  // RFC 7519 §2: a NumericDate is a JSON number of seconds (fractions allowed).
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw invalid(field, `${field} must be a NumericDate (seconds since the epoch), got ${JSON.stringify(value)}`);
  return value;
}

function invalid(field: string, message: string): SignetError {
  return new SignetError('ERR_VALIDATION', message, { fields: [field] });
}
