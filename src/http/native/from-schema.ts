/**
 * The TypeScript type a JSON Schema (written `as const`) describes, for the subset the native
 * schemas use: `enum`, `object` with `properties` and `required` (an object without `properties`
 * is a free-form record), `array` with `items`, `string`, `integer`, `number`, `boolean`, `null`.
 * A request or response type taken from its route's schema cannot drift from what the route
 * validates, serialises and documents in OpenAPI.
 */
export type FromSchema<S> = S extends { readonly enum: readonly (infer E)[] }
  ? E
  : S extends { readonly type: 'object'; readonly properties: infer P }
    ? ObjectOf<P, S extends { readonly required: readonly (infer R)[] } ? R : never>
    : S extends { readonly type: 'object' }
      ? Record<string, unknown>
      : S extends { readonly type: 'array'; readonly items: infer I }
        ? FromSchema<I>[]
        : S extends { readonly type: 'string' }
          ? string
          : S extends { readonly type: 'integer' | 'number' }
            ? number
            : S extends { readonly type: 'boolean' }
              ? boolean
              : S extends { readonly type: 'null' }
                ? null
                : unknown;

type ObjectOf<P, R> = Flatten<
  { -readonly [K in keyof P & R]: FromSchema<P[K]> } & { -readonly [K in Exclude<keyof P, R>]?: FromSchema<P[K]> }
>;

type Flatten<T> = { [K in keyof T]: T[K] };
