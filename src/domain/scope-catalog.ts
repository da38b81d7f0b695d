import type { Scope } from './types.ts';

/** The vendor APIs Signet speaks besides its own (docs/spec.md §5). */
export type Dialect = 'okta' | 'auth0' | 'onelogin';

/** A vendor scope name and the Signet scopes it stands for. */
export interface VendorScope {
  dialect: Dialect;
  standsFor: readonly Scope[];
  /** Sibling vendor scopes this one includes in the vendor's own API (Okta: manage includes read). */
  includes?: readonly string[];
}

/**
 * Every vendor scope Signet understands. A credential holding one may call that vendor's endpoints
 * that require it, and the native API for the Signet scopes it stands for.
 *
 * OneLogin credentials carry a permission level ("Manage All"), not an OAuth scope string; Signet
 * names that level with the scope-token `manage_all`.
 */
export const VENDOR_SCOPES: Readonly<Record<string, VendorScope>> = Object.freeze({
  'okta.authorizationServers.read': { dialect: 'okta', standsFor: ['authorization-servers:read', 'keys:read'] },
  'okta.authorizationServers.manage': {
    dialect: 'okta',
    standsFor: ['authorization-servers:read', 'authorization-servers:write', 'keys:read', 'keys:write'],
    includes: ['okta.authorizationServers.read'],
  },
  'okta.idps.read': { dialect: 'okta', standsFor: ['identity-providers:read'] },
  'okta.idps.manage': {
    dialect: 'okta',
    standsFor: ['identity-providers:read', 'identity-providers:write'],
    includes: ['okta.idps.read'],
  },
  'read:signing_keys': { dialect: 'auth0', standsFor: ['keys:read'] },
  'create:signing_keys': { dialect: 'auth0', standsFor: ['keys:write'] },
  'update:signing_keys': { dialect: 'auth0', standsFor: ['keys:write'] },
  manage_all: { dialect: 'onelogin', standsFor: ['keys:read', 'keys:write'] },
});

/** OneLogin's "Manage All" permission level as a scope-token. */
export const ONELOGIN_MANAGE_ALL = 'manage_all';

/** The Signet scopes a set of granted scope-tokens carries, directly or through vendor scopes. */
export function signetScopesOf(granted: Iterable<string>): Set<string> {
  const scopes = new Set<string>();
  for (const scope of granted) {
    scopes.add(scope);
    for (const implied of VENDOR_SCOPES[scope]?.standsFor ?? []) scopes.add(implied);
  }
  return scopes;
}

/**
 * True when `granted` satisfies the vendor scope `required`: it holds that scope or one the vendor
 * documents as including it, or holds directly every Signet scope it stands for. Vendor scopes are
 * never widened through their Signet scopes, so `create:signing_keys` never stands in for its
 * sibling `update:signing_keys`.
 */
export function holdsVendorScope(granted: ReadonlySet<string>, required: string): boolean {
  if (granted.has(required)) return true;
  for (const scope of granted) {
    if (VENDOR_SCOPES[scope]?.includes?.includes(required)) return true;
  }
  const standsFor = VENDOR_SCOPES[required]?.standsFor;
  return standsFor?.every((scope) => granted.has(scope)) === true;
}
