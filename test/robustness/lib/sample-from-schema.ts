import type { Prng } from './create-prng.ts';

/** The part of JSON Schema the native API's request bodies use. */
export interface BodySchema {
  type?: string | string[];
  properties?: Record<string, BodySchema>;
  required?: string[];
  items?: BodySchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  oneOf?: BodySchema[];
  anyOf?: BodySchema[];
}

/** A value that fits `schema` (or nearly: formats and patterns are not honoured), to mutate one field of. */
export function sampleFromSchema(schema: BodySchema, prng: Prng, depth = 0): unknown {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants && variants.length > 0) return sampleFromSchema(prng.pick(variants), prng, depth + 1);
  if (schema.enum && schema.enum.length > 0) return prng.pick(schema.enum);
  const type = Array.isArray(schema.type) ? prng.pick(schema.type) : schema.type;
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        if (depth < 4 && (schema.required?.includes(name) || prng.chance(0.5)))
          value[name] = sampleFromSchema(property, prng, depth + 1);
      }
      return value;
    }
    case 'array':
      return depth < 4 && schema.items ? [sampleFromSchema(schema.items, prng, depth + 1)] : [];
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? min + 100_000;
      return min + prng.int(Math.max(1, Math.min(max - min, 1_000_000)));
    }
    case 'boolean':
      return prng.chance(0.5);
    case 'string':
      return `soak${prng.int(1_000_000)}`.slice(0, schema.maxLength ?? 64).padEnd(schema.minLength ?? 0, 'x');
    default:
      return null;
  }
}

/** The top-level property names of `schema`, for choosing which field gets a wrong type. */
export function fieldsOf(schema: BodySchema): string[] {
  return Object.keys(schema.properties ?? {});
}
