import { apiPath } from './api-path.ts';
import type { KeySetResource } from '../http/native/resource-types.ts';
import { UsageError } from './cli-errors.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';
import { KEY_SET_OPTIONS, KEY_SET_USAGE, resolveKeySetId } from './resolve-key-set-id.ts';

/** `signet key-sets policy [ID]`: shows the rotation policy, or changes the fields given with `--set field=value`. */
export const keySetsPolicyCommand: Command = {
  usage: `[ID] ${KEY_SET_USAGE} [--set FIELD=VALUE]...`,
  summary: 'show the rotation policy, or change it (e.g. --set rotationPeriodSeconds=2592000 --set mode=MANUAL)',
  options: { ...KEY_SET_OPTIONS, set: { type: 'string', multiple: true } },
  args: ['[ID]'],
  async run(context) {
    const [positional] = context.args;
    if (positional !== undefined && context.flag('key-set') !== undefined)
      throw new UsageError('give the key set as ID or --key-set, not both');
    const keySetId = await resolveKeySetId(context, positional);
    const assignments = context.flags('set');
    const keySet =
      assignments.length === 0
        ? await context.api.request<KeySetResource>('GET', apiPath`/key-sets/${keySetId}`)
        : await context.api.request<KeySetResource>('PATCH', apiPath`/key-sets/${keySetId}`, {
            body: { policy: parseAssignments(assignments) },
          });
    const rows = Object.entries(keySet.policy).map(([field, value]) => [field, describeValue(field, value)]);
    return { data: keySet, text: `key set ${keySet.id}\n${formatTable(['FIELD', 'VALUE'], rows)}` };
  },
};

/** Integers become numbers, anything else stays text; the server validates names and values. */
function parseAssignments(assignments: readonly string[]): Record<string, string | number> {
  const policy: Record<string, string | number> = {};
  for (const assignment of assignments) {
    const match = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(assignment);
    if (!match) throw new UsageError(`--set expects FIELD=VALUE, got ${JSON.stringify(assignment)}`);
    const [, field, value] = match;
    policy[field!] = /^-?\d+$/.test(value!) ? Number(value) : value!;
  }
  return policy;
}

const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/** `7500` -> `7500 (2h 5min)`, for fields whose name says they are seconds. */
function describeValue(field: string, value: unknown): string {
  if (!field.endsWith('Seconds') || typeof value !== 'number' || value <= 0) return String(value);
  let rest = value;
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (rest >= size) parts.push(`${Math.floor(rest / size)}${unit}`);
    rest %= size;
  }
  return `${value} (${parts.join(' ')})`;
}
