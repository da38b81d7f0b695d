import type {
  apiTokenResource,
  auditEventResource,
  authorizationServerResource,
  clientResource,
  keyResource,
  keySetResource,
  signersResource,
  readinessResource,
  tenantResource,
} from './resources.ts';
import type { webhookDeliveryResource, webhookResource } from './webhook-resources.ts';
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
export type ReadinessResource = ReturnType<typeof readinessResource>;
export type WebhookResource = ReturnType<typeof webhookResource>;
export type WebhookDeliveryResource = ReturnType<typeof webhookDeliveryResource>;
/** Who signed with a kid (`GET /key-sets/{id}/keys/{kid}/signers`). */
export type SignersResource = ReturnType<typeof signersResource>;
export type { SignatureResource, SignRequestBody } from './sign-types.ts';
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
