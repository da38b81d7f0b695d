type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void ? I : never;

/** One object holding the methods of every part, typed as all of them at once. */
export function mergeMethods<T extends object>(parts: readonly T[]): Intersection<T> {
  return Object.assign({}, ...parts) as Intersection<T>;
}
