/**
 * How many times `call` reads `property` of objects inheriting from `proto`: a count of the
 * work a parse or a lookup does, not a time, so a test of how it grows says the same on any
 * machine. The property is turned into a counting accessor for the call, then given back.
 */
export function countReads(proto: object, property: string, call: () => void): number {
  const stored = Symbol(property);
  let reads = 0;
  Object.defineProperty(proto, property, {
    configurable: true,
    get(this: Record<symbol, unknown>) {
      reads++;
      return this[stored];
    },
    set(this: Record<symbol, unknown>, v: unknown) {
      this[stored] = v;
    },
  });
  try {
    call();
  } finally {
    delete (proto as Record<string, unknown>)[property];
  }
  return reads;
}
