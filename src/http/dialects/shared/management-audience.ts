import type { Dialect } from '../../../domain/scope-catalog.ts';
import type { ManagementAudience } from '../../authenticate.ts';

/**
 * The audience of each vendor dialect's management access tokens, for one base URL of a tenant:
 * Auth0's Management API identifier `{base}/api/v2/`, Okta's org URL `{base}` (what the org
 * authorization server puts in `aud`), and `{base}/api/2` for OneLogin (the root of its v2 API;
 * OneLogin tokens are opaque to their callers, so any stable name serves).
 */
export function managementAudience(dialect: Dialect, tenantBaseUrl: string): string {
  switch (dialect) {
    case 'auth0':
      return `${tenantBaseUrl}/api/v2/`;
    case 'okta':
      return tenantBaseUrl;
    case 'onelogin':
      return `${tenantBaseUrl}/api/2`;
  }
}

/** The management audiences of every dialect for one base URL (accepted by the default server). */
export function dialectAudiences(tenantBaseUrl: string): string[] {
  return (['auth0', 'okta', 'onelogin'] as const).map((dialect) => managementAudience(dialect, tenantBaseUrl));
}

/** What a dialect's management endpoints accept (see `authenticate`). */
export function dialectManagementAudience(dialect: Dialect): ManagementAudience {
  return { audienceFor: (base) => managementAudience(dialect, base), ssws: dialect === 'okta' };
}
