import { apiPath } from './api-path.ts';
import type { ReadinessResource } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';
import { KEY_SET_OPTIONS, KEY_SET_USAGE, resolveKeySetId } from './resolve-key-set-id.ts';

/** `signet readiness`: which JWKS consumers of a key set hold its next key, and which lag since when. */
export const readinessCommand: Command = {
  usage: KEY_SET_USAGE,
  summary: 'verifier readiness: the JWKS consumers seen in the window and which hold the next key',
  options: { ...KEY_SET_OPTIONS },
  async run(context) {
    const keySetId = await resolveKeySetId(context);
    const body = await context.api.request<ReadinessResource>('GET', apiPath`/key-sets/${keySetId}/readiness`);
    const rows = body.consumers.map((consumer) => [
      consumer.name ?? '-',
      consumer.address,
      consumer.userAgent,
      consumer.ready ? 'ready' : `lagging since ${consumer.laggingSince}`,
      consumer.lastFetchAt,
      consumer.observedIntervalSeconds === null ? '-' : `${consumer.observedIntervalSeconds}s`,
    ]);
    const gate =
      body.gate.reason === 'disabled'
        ? 'no readiness gate'
        : `readiness gate ${body.gate.open ? 'open' : 'closed'} (${body.gate.requiredPercent}% must be ready)`;
    const summary = `next key ${body.nextKid ?? '(none)'}: ${body.readyCount} of ${body.consumerCount} consumers ready; ${gate}`;
    return {
      data: body,
      text: `${summary}\n${formatTable(['NAME', 'ADDRESS', 'USER AGENT', 'READY', 'LAST FETCH', 'INTERVAL'], rows)}`,
    };
  },
};
