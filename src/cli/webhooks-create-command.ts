import type { WebhookResource } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { secretNotice } from './secret-notice.ts';
import { WEBHOOK_INPUT_OPTIONS, describeWebhook, webhookInputOf } from './webhook-input-flags.ts';

/** `signet webhooks create URL [--event TYPE]... [--key-set ID]... [--paused]`: prints the signing secret once. */
export const webhooksCreateCommand: Command = {
  usage: 'URL [--event TYPE]... [--key-set ID]... [--paused]',
  summary: 'subscribe a URL to lifecycle events; prints its signing secret once',
  options: WEBHOOK_INPUT_OPTIONS,
  args: ['URL'],
  async run(context) {
    const created = await context.api.request<{ webhook: WebhookResource; secret: string }>('POST', '/webhooks', {
      body: { url: context.args[0]!, ...webhookInputOf(context) },
    });
    const text = [`created webhook ${describeWebhook(created.webhook)}`, 'signing secret:', created.secret].join('\n');
    return { data: created, text, notice: secretNotice('webhook signing secret') };
  },
};
