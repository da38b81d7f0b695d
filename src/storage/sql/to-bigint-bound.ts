/**
 * A bound of a `>=` or `<` comparison with an integer column. PostgreSQL's BIGINT refuses
 * fractions and values past 2^63: for an integer column `x >= v` is `x >= ceil(v)` and `x < v` is
 * `x < ceil(v)`, and every stored value (epoch ms, ids) lies within the safe integers, so clamping
 * to them changes nothing (on SQLite too, where the comparison would also hold unrounded).
 */
export function toBigintBound(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(Number.MIN_SAFE_INTEGER, Math.ceil(value)));
}
