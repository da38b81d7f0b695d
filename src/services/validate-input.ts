import { SignetError } from '../errors.ts';

const ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HOST_PATTERN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/;

/** Throws ERR_VALIDATION unless `value` is a lower-case slug usable in URLs (tenant and server ids). */
export function assertSlug(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new SignetError('ERR_VALIDATION', `${field} must be 1-63 lower-case letters, digits or inner hyphens`, {
      fields: [field],
    });
  }
}

/** Normalises and checks host names a tenant claims (lower-case, optional port). */
export function normaliseHostNames(values: readonly string[]): string[] {
  const hosts = [...new Set(values.map((value) => value.trim().toLowerCase()))];
  for (const host of hosts) {
    if (!HOST_PATTERN.test(host))
      throw new SignetError('ERR_VALIDATION', `invalid host name ${JSON.stringify(host)}`, { fields: ['hostNames'] });
  }
  return hosts;
}

/** Throws ERR_VALIDATION unless every audience is a non-empty string of at most 512 characters. */
export function assertAudiences(values: readonly string[]): void {
  if (values.length === 0 || values.some((value) => value.length === 0 || value.length > 512)) {
    throw new SignetError('ERR_VALIDATION', 'audiences must be 1 or more non-empty strings of at most 512 characters', {
      fields: ['audiences'],
    });
  }
}

/**
 * Throws ERR_VALIDATION unless `value` is an issuer identifier OpenID Connect Discovery §3 accepts:
 * an https URL (http only on loopback, for development) with no query or fragment.
 */
export function assertIssuerUrl(field: string, value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const loopback = url?.hostname === 'localhost' || url?.hostname === '127.0.0.1' || url?.hostname === '[::1]';
  const ok =
    url !== undefined &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) &&
    url.search === '' &&
    url.hash === '' &&
    value.length <= 512;
  if (!ok)
    throw new SignetError(
      'ERR_VALIDATION',
      `${field} must be an https URL without query or fragment (http only on loopback), got ${JSON.stringify(value)}`,
      { fields: [field] },
    );
}
