/**
 * A schema with its local `$ref`s (`#/definitions/x`) replaced by the definitions themselves,
 * for a validator run with `allErrors`. Ajv calls a referenced definition that holds references
 * of its own as a function, and appends that function's errors to the ones gathered so far by
 * copying them: on a list of a hundred thousand accounts each missing its keys that was a copy
 * per account, a minute on a 400 KB file. Inlined, each error is pushed once. Only for schemas
 * whose definitions do not refer to themselves (trailgate's do not; a cycle throws).
 */
export function inlineRefs(schema: object): object {
  const definitions = ((schema as { definitions?: Record<string, unknown> }).definitions ?? {}) as Record<string, unknown>;
  const inline = (s: unknown, seen: readonly string[]): unknown => {
    if (Array.isArray(s)) return s.map((x) => inline(x, seen));
    if (s === null || typeof s !== 'object') return s;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) {
      if (k === 'definitions' && s === schema) continue;
      // The names under `properties` are keys of the data, not keywords: a property called `$ref` stays one.
      out[k] = k === 'properties' && v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([p, q]) => [p, inline(q, seen)])) : inline(v, seen);
    }
    const ref = out.$ref;
    if (typeof ref !== 'string') return out;
    const name = /^#\/definitions\/([^/~]+)$/.exec(ref)?.[1];
    if (name === undefined || !Object.hasOwn(definitions, name)) throw new Error(`inlineRefs: cannot inline ${ref}`);
    if (seen.includes(name)) throw new Error(`inlineRefs: ${ref} refers to itself`);
    delete out.$ref;
    const target = inline(definitions[name], [...seen, name]);
    if (target === null || typeof target !== 'object') throw new Error(`inlineRefs: ${ref} is no schema object`);
    for (const [k, v] of Object.entries(target)) {
      // A keyword beside the $ref (`type: string` next to a region's) must say the same as the definition's.
      if (Object.hasOwn(out, k) && JSON.stringify(out[k]) !== JSON.stringify(v)) throw new Error(`inlineRefs: ${k} beside ${ref} differs from the definition's`);
      out[k] = v;
    }
    return out;
  };
  return inline(schema, []) as object;
}
