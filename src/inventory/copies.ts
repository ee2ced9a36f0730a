/**
 * Copies of one thing that should complement each other: a trail listed more than once in one
 * account (trail-copies.ts), a bucket or key in several merged inventories (merge.ts). A field one
 * copy lacks says nothing (it was not read, or its read failed), so copies are united field by
 * field; a field both hold with different values says two things, and is refused by the caller.
 */

/**
 * The first field of `later` (in its own order) that `earlier` also holds with a value `same`
 * does not accept; undefined when the two complement each other.
 */
export function differingField(
  earlier: Readonly<Record<string, unknown>>,
  later: Readonly<Record<string, unknown>>,
  same: (field: string, x: unknown, y: unknown) => boolean,
): string | undefined {
  for (const field of Object.keys(later)) {
    if (Object.hasOwn(earlier, field) && !same(field, earlier[field], later[field])) return field;
  }
  return undefined;
}

/**
 * Adds to `into` each field of `from` it lacks, as an own field whatever its name: assigning
 * `__proto__` (a name an inventory may hold, the schema keeps unknown fields) would set the
 * object's prototype instead.
 */
export function addMissing(into: Record<string, unknown>, from: Readonly<Record<string, unknown>>): void {
  for (const [field, value] of Object.entries(from)) {
    if (!Object.hasOwn(into, field)) Object.defineProperty(into, field, { value, enumerable: true, writable: true, configurable: true });
  }
}

/**
 * Whether two parsed JSON or YAML values are equal (object keys in any order). Without recursion:
 * an inventory may nest deeper than the call stack reaches, and two files may share such a bucket.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') {
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      return false;
    }
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    if (kx.length !== ky.length) return false;
    for (const k of kx) {
      if (!Object.hasOwn(y, k)) return false;
      stack.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
    }
  }
  return true;
}
