import { DEFAULT_ROTATION_POLICY } from '../domain/default-rotation-policy.ts';
import { SignetError } from '../errors.ts';
import type { RotationPolicy } from '../domain/types.ts';
import { validatePolicy } from '../domain/validate-policy.ts';

const FIELDS = Object.keys(DEFAULT_ROTATION_POLICY) as (keyof RotationPolicy)[];

/** Merges a partial policy over `base` (the defaults for a new key set) and validates the result. */
export function resolvePolicy(
  patch: Partial<RotationPolicy>,
  base: RotationPolicy = DEFAULT_ROTATION_POLICY,
): RotationPolicy {
  const unknown = Object.keys(patch).filter((field) => !FIELDS.includes(field as keyof RotationPolicy));
  if (unknown.length > 0) {
    throw new SignetError('ERR_VALIDATION', `unknown policy field(s): ${unknown.join(', ')}`, { fields: unknown });
  }
  const merged = { ...base };
  for (const field of FIELDS) {
    if (patch[field] !== undefined) (merged as Record<string, unknown>)[field] = patch[field];
  }
  return validatePolicy(merged);
}
