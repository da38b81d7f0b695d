import type { AuditAction } from './types.ts';

/** Every CloudEvents `type` Signet sends (docs/events.md); the string is the contract. */
export const WEBHOOK_EVENT_TYPES = [
  'dev.signet.key.generated',
  'dev.signet.key.imported',
  'dev.signet.key.activated',
  'dev.signet.key.draining',
  'dev.signet.key.retired',
  'dev.signet.key.revoked',
  'dev.signet.certificate.renewed',
  'dev.signet.certificate.expiring',
  'dev.signet.keyset.policy-changed',
  'dev.signet.rotation.overdue',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

// Audit actions that are lifecycle news; the others (credentials, tenants, IdPs) send nothing.
const TYPE_OF_ACTION: Partial<Record<AuditAction, WebhookEventType>> = {
  'key.generated': 'dev.signet.key.generated',
  'key.imported': 'dev.signet.key.imported',
  'key.activated': 'dev.signet.key.activated',
  'key.draining': 'dev.signet.key.draining',
  'key.retired': 'dev.signet.key.retired',
  'key.revoked': 'dev.signet.key.revoked',
  'key.certificateRenewed': 'dev.signet.certificate.renewed',
  'key.certificateExpiring': 'dev.signet.certificate.expiring',
  'keySet.policyUpdated': 'dev.signet.keyset.policy-changed',
  'keySet.rotationOverdue': 'dev.signet.rotation.overdue',
};

/** The event type an audit action is reported as, or undefined when it sends no event. */
export function webhookEventTypeOf(action: AuditAction): WebhookEventType | undefined {
  return TYPE_OF_ACTION[action];
}

/** True when `value` names an event type Signet sends. */
export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
