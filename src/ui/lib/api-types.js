// The native API's shapes, taken from the server's resource mappers (through the CLI's type
// catalogue) so the dashboard and the API cannot drift apart. Types only: nothing is imported at run time.

/** @typedef {import('../../http/native/resource-types.ts').KeyResource} KeyResource */
/** @typedef {import('../../http/native/resource-types.ts').KeySetResource} KeySetResource */
/** @typedef {import('../../http/native/resource-types.ts').TenantResource} TenantResource */
/** @typedef {import('../../http/native/resource-types.ts').AuthorizationServerResource} AuthorizationServerResource */
/** @typedef {import('../../http/native/resource-types.ts').ClientResource} ClientResource */
/** @typedef {import('../../http/native/resource-types.ts').ApiTokenResource} ApiTokenResource */
/** @typedef {import('../../http/native/resource-types.ts').AuditEventResource} AuditEventResource */
/** @typedef {import('../../http/native/resource-types.ts').LifecycleResponse} LifecycleResponse */
/** @typedef {import('../../http/native/resource-types.ts').WebhookResource} WebhookResource */
/** @typedef {import('../../http/native/resource-types.ts').WebhookDeliveryResource} WebhookDeliveryResource */
/** @typedef {import('../../domain/webhook-event-types.ts').WebhookEventType} WebhookEventType */
/** @typedef {import('../../http/native/resource-types.ts').SimulationResource} SimulationResource */
/** @typedef {import('../../domain/types.ts').RotationPolicy} RotationPolicy */
/** @typedef {import('../../domain/types.ts').KeyState} KeyState */
/** @typedef {import('../../domain/types.ts').AuditAction} AuditAction */
/** @typedef {import('../../domain/types.ts').Scope} Scope */
/** @typedef {{ at: string, action: 'rotate' | 'retire' | 'renewCertificate' | 'generateNext' | 'certificateExpires', kid: string | null }} TransitionResource */

export {};
