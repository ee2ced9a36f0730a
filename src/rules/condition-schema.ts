/**
 * What a condition's JSON Schema says that cannot mean what its author meant, found when the rule
 * loads: a schema that holds for every value (`Status.IsLogging: true`, the natural YAML slip for
 * `{ const: true }`), a field name no value of its level can have (`Efect` inside `properties`
 * or `required`), and a comparison with a value, a `type` or a keyword that can never apply to a
 * field of known type (`{ const: "true" }` on a boolean). Each of them would make a check pass,
 * or a `where` skip, every subject without a word.
 *
 * Below the path, the inventory's shapes (shapes.ts) say what each level holds, so names and
 * types under `properties`, `required`, `items`, `contains`, `not`, `anyOf`... are checked as
 * the path form's are. The schemas that hold for every value or for none are vacuous-schema.ts's,
 * what cannot hold of a field of known type mistyped-schema.ts's, and where in the rule file a
 * part of the schema is written written-schema.ts's.
 */
import { isObject, pathStep } from './check.ts';
import { KEYWORD_KINDS, mistyped, typeMessage } from './mistyped-schema.ts';
import { shapeAt, type Shape } from './shapes.ts';
import { elsewhereInRoot, unknownField } from './field-problems.ts';
import { ANNOTATIONS, vacuous, vacuousPart } from './vacuous-schema.ts';
import { down, withOrigin, type Problem, type Written } from './written-schema.ts';

/**
 * The first thing a condition's schema says that cannot be meant (see the top of this file).
 * `schema` has the parameters in place; `w` is where it is written; `fromConfig` tells a
 * parameter the config file sets.
 */
export function conditionProblem(schema: unknown, w: Written, display: string, path: readonly string[], fromConfig: (param: string) => boolean): Problem | undefined {
  const empty = vacuous(schema, display);
  if (empty !== undefined) return { pointer: w.pointer, message: withOrigin(empty, w, fromConfig) };
  return walk(schema, w, shapeAt(path), display, fromConfig, true);
}

/**
 * A condition's schema, with the shape of the value it applies to (undefined where nothing is
 * known), and that value's name. `top`: the schema is the condition's whole schema.
 */
function walk(schema: unknown, w: Written, shape: Shape | undefined, name: string, fromConfig: (param: string) => boolean, top = false): Problem | undefined {
  if (shape?.types !== undefined) {
    const m = mistyped(schema, w, shape.types);
    if (m !== undefined) return { pointer: m.pointer, message: typeMessage(m, name, shape.types, fromConfig) };
  }
  if (!isObject(schema)) return undefined;
  // A list (a shape of elements and no fields) is never an object: JSON Schema takes an object
  // keyword as holding for it, so `EventSelectors: { properties: { ReadWriteType: ... } }`,
  // meant for each selector, would pass every trail.
  if (shape !== undefined && shape.items !== undefined && shape.fields.size === 0) {
    const keyword = Object.keys(schema).find((k) => Object.hasOwn(KEYWORD_KINDS, k) && KEYWORD_KINDS[k] === 'objects');
    if (keyword !== undefined) {
      const at = down(w, keyword);
      const message = `${name} is always a list, and ${keyword} looks only at objects, so JSON Schema takes it as holding for every list: to say it of every element, write items: { ${keyword}: ... }, and of some element, contains: { ${keyword}: ... }`;
      return { pointer: at.pointer, message: withOrigin(message, at, fromConfig) };
    }
  }
  const field = (n: unknown, at: Written, atKey: boolean): Problem | undefined => {
    const message = shape !== undefined && typeof n === 'string' ? (unknownField(shape, n, name) ?? elsewhereInRoot(shape, n)) : undefined;
    // A name a parameter gives is not written where the pointer leads: say where it came from.
    return message === undefined ? undefined : { pointer: at.pointer, message: withOrigin(message, at, fromConfig), atKey };
  };
  const names = (list: unknown, at: Written): Problem | undefined => (Array.isArray(list) ? first(list, (n, i) => field(n, down(at, i), false)) : undefined);
  if (isObject(schema.properties)) {
    const props = down(w, 'properties');
    for (const [k, schemaOf] of Object.entries(schema.properties)) {
      const at = down(props, k);
      const sub = pathStep(name, k);
      const empty = vacuous(schemaOf, sub, k);
      const hit = field(k, at, true) ?? (empty !== undefined ? { pointer: at.pointer, message: withOrigin(empty, at, fromConfig) } : walk(schemaOf, at, shape?.fields.get(k), sub, fromConfig));
      if (hit) return hit;
    }
  }
  const required = names(schema.required, down(w, 'required'));
  if (required) return required;
  for (const key of ['dependencies', 'dependentRequired', 'dependentSchemas']) {
    const deps = schema[key];
    if (!isObject(deps)) continue;
    for (const [k, dep] of Object.entries(deps)) {
      const at = down(down(w, key), k);
      const hit = field(k, at, true) ?? (Array.isArray(dep) ? names(dep, at) : walk(dep, at, shape, name, fromConfig));
      if (hit) return hit;
    }
  }
  // A list's items: `[]` names any one of them.
  const item = shape?.items;
  const items = schema.items;
  const itemHit = Array.isArray(items)
    ? first(items, (s, i) => walk(s, down(down(w, 'items'), i), item, `${name}[]`, fromConfig))
    : walk(items, down(w, 'items'), item, `${name}[]`, fromConfig);
  if (itemHit) return itemHit;
  for (const key of ['contains', 'additionalItems']) {
    const hit = walk(schema[key], down(w, key), item, `${name}[]`, fromConfig);
    if (hit) return hit;
  }
  // A part that holds for every value or none, where it decides the condition or is a slip.
  const part = (sub: unknown, at: Written, key: string, i?: number): Problem | undefined => {
    const alone = Object.keys(schema).every((k) => k === key || ANNOTATIONS.has(k));
    const empty = vacuousPart(sub, key, i, name, top, top && alone, schema);
    return empty !== undefined ? { pointer: at.pointer, message: withOrigin(empty, at, fromConfig) } : walk(sub, at, shape, name, fromConfig);
  };
  for (const key of ['not', 'if', 'then', 'else']) {
    const hit = Object.hasOwn(schema, key) ? part(schema[key], down(w, key), key) : undefined;
    if (hit) return hit;
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[key];
    const hit = Array.isArray(list) ? first(list, (s, i) => part(s, down(down(w, key), i), key, i)) : undefined;
    if (hit) return hit;
  }
  return undefined;
}

function first<T, R>(list: readonly T[], f: (item: T, i: number) => R | undefined): R | undefined {
  let i = 0;
  for (const item of list) {
    const r = f(item, i++);
    if (r !== undefined) return r;
  }
  return undefined;
}
