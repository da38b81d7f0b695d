import { SignetError } from '../errors.ts';
import type { RotationPolicy } from './types.ts';

const YEAR_SECONDS = 365 * 24 * 3600;

/** The longest readiness window a policy may ask for; sightings older than it are pruned. */
export const MAX_READINESS_WINDOW_SECONDS = 90 * 24 * 3600;

/** Inclusive bounds of each duration field, in seconds. */
const BOUNDS: Record<Exclude<keyof RotationPolicy, 'mode'>, [number, number]> = {
  rotationPeriodSeconds: [60, 10 * YEAR_SECONDS],
  jwksMaxAgeSeconds: [0, 7 * 24 * 3600],
  clockSkewSeconds: [0, 3600],
  maxTokenLifetimeSeconds: [1, YEAR_SECONDS],
  drainingPeriodSeconds: [1, 10 * YEAR_SECONDS],
  certificateValiditySeconds: [24 * 3600, 30 * YEAR_SECONDS],
  certificateRenewBeforeSeconds: [0, 30 * YEAR_SECONDS],
  readinessWindowSeconds: [3600, MAX_READINESS_WINDOW_SECONDS],
  readinessGatePercent: [0, 100],
  readinessGateMaxWaitSeconds: [0, YEAR_SECONDS],
};

/**
 * Checks a whole policy against docs/spec.md §3 and returns it; a value out of range or a combination
 * that breaks a timing rule is refused with an error naming the conflicting values.
 */
export function validatePolicy(policy: RotationPolicy): RotationPolicy {
  if (policy.mode !== 'AUTO' && policy.mode !== 'MANUAL') {
    throw policyError(['mode'], `mode must be AUTO or MANUAL, got ${JSON.stringify(policy.mode)}`, 'ERR_VALIDATION');
  }
  for (const [field, [min, max]] of Object.entries(BOUNDS) as [keyof typeof BOUNDS, [number, number]][]) {
    const value = policy[field];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw policyError(
        [field],
        `${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
        'ERR_VALIDATION',
      );
    }
  }
  const { rotationPeriodSeconds, jwksMaxAgeSeconds, clockSkewSeconds, maxTokenLifetimeSeconds } = policy;
  const cacheWindow = jwksMaxAgeSeconds + clockSkewSeconds;
  const tokenWindow = maxTokenLifetimeSeconds + cacheWindow;
  if (policy.drainingPeriodSeconds < tokenWindow) {
    throw policyError(
      ['drainingPeriodSeconds', 'maxTokenLifetimeSeconds', 'jwksMaxAgeSeconds', 'clockSkewSeconds'],
      `drainingPeriodSeconds (${policy.drainingPeriodSeconds}) is shorter than maxTokenLifetimeSeconds ` +
        `(${maxTokenLifetimeSeconds}) + jwksMaxAgeSeconds (${jwksMaxAgeSeconds}) + clockSkewSeconds ` +
        `(${clockSkewSeconds}) = ${tokenWindow}: tokens would outlive their key in the JWKS`,
    );
  }
  if (rotationPeriodSeconds < cacheWindow) {
    throw policyError(
      ['rotationPeriodSeconds', 'jwksMaxAgeSeconds', 'clockSkewSeconds'],
      `rotationPeriodSeconds (${rotationPeriodSeconds}) is shorter than jwksMaxAgeSeconds (${jwksMaxAgeSeconds}) + ` +
        `clockSkewSeconds (${clockSkewSeconds}) = ${cacheWindow}: a next key would sign before verifiers could fetch it`,
    );
  }
  if (policy.certificateRenewBeforeSeconds < cacheWindow) {
    throw policyError(
      ['certificateRenewBeforeSeconds', 'jwksMaxAgeSeconds', 'clockSkewSeconds'],
      `certificateRenewBeforeSeconds (${policy.certificateRenewBeforeSeconds}) is shorter than jwksMaxAgeSeconds ` +
        `(${jwksMaxAgeSeconds}) + clockSkewSeconds (${clockSkewSeconds}) = ${cacheWindow}: verifiers could hold an expired certificate`,
    );
  }
  if (policy.certificateValiditySeconds <= policy.certificateRenewBeforeSeconds + cacheWindow) {
    throw policyError(
      ['certificateValiditySeconds', 'certificateRenewBeforeSeconds'],
      `certificateValiditySeconds (${policy.certificateValiditySeconds}) must exceed certificateRenewBeforeSeconds ` +
        `(${policy.certificateRenewBeforeSeconds}) + jwksMaxAgeSeconds + clockSkewSeconds (${cacheWindow}), or every certificate would be renewed at once`,
    );
  }
  return policy;
}

function policyError(
  fields: string[],
  message: string,
  code: 'ERR_POLICY_CONFLICT' | 'ERR_VALIDATION' = 'ERR_POLICY_CONFLICT',
): SignetError {
  return new SignetError(code, message, { fields });
}
