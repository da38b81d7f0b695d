import type {
  apiTokenResource,
  auditEventResource,
  authorizationServerResource,
  clientResource,
  keyResource,
  keySetResource,
  tenantResource,
} from './resources.ts';
import type { simulationResource } from './simulation-resource.ts';

// The native API's response shapes, taken from its own resource mappers so that its clients (the CLI,
// the dashboard) and the API cannot drift.

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
