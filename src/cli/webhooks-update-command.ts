import type { WebhookResource } from '../http/native/resource-types.ts';
import { apiPath } from './api-path.ts';
import type { Command } from './command.ts';
import { secretNotice } from './secret-notice.ts';
import { WEBHOOK_INPUT_OPTIONS, describeWebhook, webhookInputOf } from './webhook-input-flags.ts';

/** `signet webhooks update ID [--url URL] [--event TYPE]... [--paused|--resume] [--rotate-secret]`. */
export const webhooksUpdateCommand: Command = {
  usage:
    'ID [--url URL] [--event TYPE]... [--all-events] [--key-set ID]... [--all-key-sets] [--paused|--resume] [--rotate-secret]',
  summary: 'change, pause or resume a webhook subscription, or rotate its secret',
  options: {
    ...WEBHOOK_INPUT_OPTIONS,
    url: { type: 'string' },
    resume: { type: 'boolean' },
    'rotate-secret': { type: 'boolean' },
  },
  args: ['ID'],
  async run(context) {
    const url = context.flag('url');
    const body = {
      ...webhookInputOf(context),
      ...(url === undefined ? {} : { url }),
      ...(context.isSet('resume') ? { enabled: true } : {}),
      ...(context.isSet('rotate-secret') ? { rotateSecret: true } : {}),
    };
    const updated = await context.api.request<{ webhook: WebhookResource; secret?: string }>(
      'PATCH',
      apiPath`/webhooks/${context.args[0]!}`,
      { body },
    );
    if (updated.secret === undefined)
      return { data: updated, text: `updated webhook ${describeWebhook(updated.webhook)}` };
    const text = [
      `updated webhook ${describeWebhook(updated.webhook)}`,
      `new signing secret (the old one keeps signing until ${updated.webhook.previousSecretExpiresAt}):`,
      updated.secret,
    ].join('\n');
    return { data: updated, text, notice: secretNotice('webhook signing secret') };
  },
};
