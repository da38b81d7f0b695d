import type { RotationPolicy } from './types.ts';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The rotation policy a new key set gets unless the caller overrides a field (docs/spec.md §3). */
export const DEFAULT_ROTATION_POLICY: Readonly<RotationPolicy> = Object.freeze({
  /** AUTO: the scheduler rotates, retires and renews; MANUAL: it only retires and renews. */
  mode: 'AUTO',
  /** 90 days between automatic rotations (Okta's cadence, OneLogin's recommendation). */
  rotationPeriodSeconds: 90 * DAY,
  /** 1 hour: the longest Cache-Control max-age of the JWKS. */
  jwksMaxAgeSeconds: HOUR,
  /** 5 minutes of tolerated clock difference with verifiers. */
  clockSkewSeconds: 5 * MINUTE,
  /** 1 hour: the longest access token the token endpoint issues with this key set. */
  maxTokenLifetimeSeconds: HOUR,
  /** 2 h 5 min = maxTokenLifetime + jwksMaxAge + clockSkew, the shortest safe draining window. */
  drainingPeriodSeconds: 2 * HOUR + 5 * MINUTE,
  /** 1 year of certificate validity per key. */
  certificateValiditySeconds: 365 * DAY,
  /** Renew a published key's certificate 30 days before it expires. */
  certificateRenewBeforeSeconds: 30 * DAY,
  /** 7 days: consumers that fetched the JWKS in the last week count for readiness. */
  readinessWindowSeconds: 7 * DAY,
  /** 0: no readiness gate; AUTO rotation keeps to its schedule alone. */
  readinessGatePercent: 0,
  /** 7 days: a gated AUTO rotation waits at most a week past its scheduled time for lagging consumers. */
  readinessGateMaxWaitSeconds: 7 * DAY,
});
