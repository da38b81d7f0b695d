import { createHash } from 'node:crypto';
import type { RateLimiter, RateLimitSettings } from '../services/create-rate-limiter.ts';

/** Settings that limit nothing: what `createApp` uses when it is given none. */
export const RATE_LIMITS_OFF: RateLimitSettings = Object.freeze({
  enabled: false,
  perMinute: Object.freeze({
    managementCredential: 1,
    managementAddress: 1,
    tokenClient: 1,
    tokenAddress: 1,
    authFailureClient: 1,
    authFailureAddress: 1,
  }),
});

/**
 * Counts one management call against its source address and the credential it presents; throws
 * ERR_RATE_LIMITED over either limit. The credential is keyed by a SHA-256 of the Authorization
 * header, so no secret is kept in memory and a caller cannot escape its bucket by authenticating
 * later; a call without one counts against its address only.
 */
export function limitManagement(limiter: RateLimiter, address: string, authorization: string | undefined): void {
  limiter.take('managementAddress', address);
  if (authorization !== undefined && authorization !== '')
    limiter.take('managementCredential', createHash('sha256').update(authorization).digest('base64url'));
}
