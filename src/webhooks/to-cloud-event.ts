import type { WebhookEvent } from '../domain/webhook-types.ts';

/** A CloudEvents 1.0 event in structured JSON mode (CloudEvents JSON format §3). */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
}

/** The CloudEvent of an outbox event; `source` is the tenant's base URL. */
export function toCloudEvent(event: WebhookEvent, source: string): CloudEvent {
  return {
    specversion: '1.0',
    id: event.id,
    source,
    type: event.type,
    ...(event.subject === null ? {} : { subject: event.subject }),
    time: new Date(event.time).toISOString(),
    datacontenttype: 'application/json',
    data: event.data,
  };
}
