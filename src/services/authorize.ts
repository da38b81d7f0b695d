import { SignetError } from '../errors.ts';
import { signetScopesOf } from '../domain/scope-catalog.ts';
import type { Actor, Scope } from '../domain/types.ts';

/** An authenticated caller of a management surface. */
export interface Principal {
  actor: Actor;
  /** The tenant the credential belongs to; it can act on no other. */
  tenantId: string;
  /** Every scope-token granted: Signet scopes and vendor scopes (src/domain/scope-catalog.ts). */
  scopes: ReadonlySet<string>;
  /** Authorization servers the credential may sign for (`tokens:sign`); absent or null for all. */
  authorizationServerIds?: readonly string[] | null;
}

/**
 * Throws unless `principal` may use `scope` on `tenantId`: a credential acts only on its own
 * tenant, and only with the scopes it was given (directly, or through a vendor scope standing for it).
 */
export function authorize(principal: Principal, tenantId: string, scope: Scope): void {
  if (principal.tenantId !== tenantId) {
    throw new SignetError('ERR_FORBIDDEN', 'this credential belongs to another tenant', {
      requiredScope: scope,
      reason: 'otherTenant',
    });
  }
  if (!principal.scopes.has(scope) && !signetScopesOf(principal.scopes).has(scope)) {
    throw new SignetError('ERR_FORBIDDEN', `insufficient scope: ${scope} is required`, {
      requiredScope: scope,
      reason: 'insufficientScope',
    });
  }
}
