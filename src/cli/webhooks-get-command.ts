import type { WebhookResource } from '../http/native/resource-types.ts';
import { apiPath } from './api-path.ts';
import type { Command } from './command.ts';
import { describeWebhook } from './webhook-input-flags.ts';

/** `signet webhooks get ID`: one subscription (never its secret). */
export const webhooksGetCommand: Command = {
  usage: 'ID',
  summary: 'show a webhook subscription',
  args: ['ID'],
  async run(context) {
    const body = await context.api.request<{ webhook: WebhookResource }>('GET', apiPath`/webhooks/${context.args[0]!}`);
    const { webhook } = body;
    const text = [
      describeWebhook(webhook),
      `failed attempts in a row: ${webhook.consecutiveFailures}`,
      ...(webhook.previousSecretExpiresAt ? [`previous secret signs until ${webhook.previousSecretExpiresAt}`] : []),
    ].join('\n');
    return { data: body, text };
  },
};
