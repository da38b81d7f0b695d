import type {
  apiTokenResource,
  auditEventResource,
  authorizationServerResource,
  clientResource,
  keyResource,
  keySetResource,
  tenantResource,
} from '../http/native/resources.ts';
import type { simulationResource } from '../http/native/simulation-resource.ts';

// The native API's response shapes, taken from the server's own resource mappers so the two cannot drift.

export type KeyResource = ReturnType<typeof keyResource>;
export type KeySetResource = ReturnType<typeof keySetResource>;
export type TenantResource = ReturnType<typeof tenantResource>;
export type AuthorizationServerResource = ReturnType<typeof authorizationServerResource>;
export type ClientResource = ReturnType<typeof clientResource>;
export type ApiTokenResource = ReturnType<typeof apiTokenResource>;
export type AuditEventResource = ReturnType<typeof auditEventResource>;
export type SimulationResource = ReturnType<typeof simulationResource>;

export interface ListResponse<T> {
  items: T[];
}

/** Response of rotate, emergency rotate, revoke and import. */
export interface LifecycleResponse {
  keySet: KeySetResource;
  keys: KeyResource[];
  changed: KeyResource[];
  created: KeyResource | null;
}
