/**
 * The id of the authorization server every tenant is created with (docs/spec.md §2): its issuer is
 * the tenant base URL, its token endpoint `/oauth/token`, and it alone issues management tokens.
 */
export const DEFAULT_AUTHORIZATION_SERVER_ID = 'default';
