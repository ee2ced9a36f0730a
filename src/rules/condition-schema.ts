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
 * the path form's are.
 */
import { BARE_DIGITS_HINT, escapePointerSegment } from '../input/document.ts';
import { isObject, pathStep } from './check.ts';
import { showValue } from '../input/show-value.ts';
import { elsewhereInRoot, shapeAt, typeWords, unknownField, type Shape, type ValueType } from './shapes.ts';

/** Where a part of a condition's schema is written in the rule file: a pointer, and the parameter it came from, if any. */
export interface Written {
  node: unknown;
  pointer: string;
  param?: string;
}

/** Something a condition says that cannot be meant, and where: the value, or the key when `atKey`. */
export interface Problem {
  pointer: string;
  message: string;
  atKey?: boolean;
}

/** A `{ $param: NAME }` in a rule file. */
function paramRef(node: unknown): string | undefined {
  return isObject(node) && Object.keys(node).length === 1 && typeof node.$param === 'string' ? node.$param : undefined;
}

/** One step into a written schema; inside a parameter's value nothing more is written, so the pointer stays at the parameter. */
export function down(w: Written, key: string | number): Written {
  if (w.param !== undefined) return w;
  const node = isObject(w.node) || Array.isArray(w.node) ? (w.node as Record<string, unknown>)[key] : undefined;
  const pointer = `${w.pointer}/${escapePointerSegment(String(key))}`;
  const param = paramRef(node);
  return param === undefined ? { node, pointer } : { node: undefined, pointer, param };
}

/** Keywords JSON Schema does not check: a schema of nothing else holds for every value. */
const ANNOTATIONS = new Set(['description', 'title', '$comment', 'examples', 'default', 'readOnly', 'writeOnly', 'deprecated', '$id', '$schema', 'definitions', '$defs', 'contentMediaType', 'contentEncoding']);

/**
 * Why the schema given for a field says nothing of its value, or undefined. `key`: the schema is
 * that of the property `key`, where `false` also says the field is not there.
 */
function vacuous(schema: unknown, field: string, key?: string): string | undefined {
  if (schema === true) {
    return `${field}: true is the JSON Schema that every value satisfies, so the condition holds whatever ${field} is (and a where chooses every subject); to compare with true, write { const: true }`;
  }
  if (schema === false) {
    const absent = key !== undefined ? `; to say ${field} is not there, write not: { required: [${/^[\w-]+$/.test(key) ? key : JSON.stringify(key)}] } beside properties` : '';
    return `${field}: false is the JSON Schema that no value satisfies, so the condition never holds (and a where skips every subject); to compare with false, write { const: false }${absent}`;
  }
  if (!isObject(schema)) return undefined;
  const keys = Object.keys(schema);
  if (!keys.every((k) => ANNOTATIONS.has(k))) return undefined;
  const what = keys.length === 0 ? 'the schema {}' : `a schema of annotations only (${keys.join(', ')}), which JSON Schema does not check,`;
  return `${field} has ${what} so the condition holds whatever ${field} is (and a where chooses every subject); say what the value must be, such as { const: true }, { enum: [...] } or { pattern: "..." }`;
}

/** Whether a schema holds for every value (`true`, `{}`, annotations only), for none (`false`), or says something. */
function truth(schema: unknown): boolean | undefined {
  if (typeof schema === 'boolean') return schema;
  return isObject(schema) && Object.keys(schema).every((k) => ANNOTATIONS.has(k)) ? true : undefined;
}

/**
 * What the combining keywords make of a part that holds for every value (`always`), or for none
 * (`never`), and whether the condition then holds for every value or none, when the keyword is
 * at its top (`all`, `none`).
 */
const COMBINED: Record<string, { place: string; always: string; never: string; whenAlways?: 'all' | 'none'; whenNever?: 'all' | 'none' }> = {
  not: { place: 'the schema under not', always: 'the not holds for no value', never: 'the not holds for every value', whenAlways: 'none', whenNever: 'all' },
  anyOf: { place: 'alternative N of anyOf', always: 'the anyOf holds for every value', never: 'it is never the alternative that holds', whenAlways: 'all' },
  allOf: { place: 'part N of allOf', always: 'it adds nothing', never: 'the allOf holds for no value', whenNever: 'none' },
  oneOf: { place: 'alternative N of oneOf', always: 'the oneOf holds exactly when no other alternative does', never: 'it is never the alternative that holds' },
  if: { place: 'the if', always: 'then always applies and else never', never: 'else always applies and then never' },
  then: { place: 'the then', always: 'a value that matches the if passes whatever it is', never: 'a value that matches the if fails whatever it is' },
  else: { place: 'the else', always: 'a value that does not match the if passes whatever it is', never: 'a value that does not match the if fails whatever it is' },
};

/**
 * Why a part of a schema under not, anyOf, allOf, oneOf, if, then or else says nothing (it holds
 * for every value, or for none), or undefined: `{ not: true }` never holds, `anyOf: [true, ...]`
 * always does, `then: true` makes the if/then hold whatever the value. Each is a slip for a
 * `const`, or makes the condition pass or skip every subject. `top`: the keyword is at the top
 * of the field's schema, so what it makes of the part is what the condition is.
 */
function vacuousPart(schema: unknown, keyword: string, index: number | undefined, field: string, top: boolean, alone = top, parent: Record<string, unknown> = {}): string | undefined {
  const holds = truth(schema);
  if (holds === undefined || !Object.hasOwn(COMBINED, keyword)) return undefined;
  // Parts with a meaning of their own: `then: false` (what matches the if fails) and `else:
  // false` (the if must match), beside an if and a branch that is not false too; a `true`
  // alternative of oneOf (no other alternative may hold) beside alternatives that say something.
  if ((keyword === 'then' || keyword === 'else') && !holds && Object.hasOwn(parent, 'if') && truth(parent[keyword === 'then' ? 'else' : 'then']) !== false) return undefined;
  if (keyword === 'oneOf' && schema === true && Array.isArray(parent.oneOf) && parent.oneOf.filter((a) => truth(a) !== undefined).length === 1 && parent.oneOf.length > 1) return undefined;
  const c = COMBINED[keyword];
  const keys = isObject(schema) ? Object.keys(schema) : [];
  const what = typeof schema === 'boolean' ? String(schema) : keys.length === 0 ? 'the schema {}' : `a schema of annotations only (${keys.join(', ')}; JSON Schema does not check annotations)`;
  const place = c.place.replace('N', String((index ?? 0) + 1));
  // "Holds for none" stands beside any other keyword (they are ANDed); "holds for every value" only when nothing else is said.
  const reach = top ? (holds ? c.whenAlways : c.whenNever) : undefined;
  const whole = reach === 'all' && !alone ? undefined : reach;
  const condition =
    whole === 'all' ? `, so the condition holds whatever ${field} is (and a where chooses every subject)` : whole === 'none' ? ', so the condition never holds (and a where skips every subject)' : '';
  const advice =
    typeof schema !== 'boolean'
      ? `say what the value must${keyword === 'not' ? ' not' : ''} be, such as ${keyword === 'not' ? 'not: ' : ''}{ const: true }, { enum: [...] } or { pattern: "..." }`
      : keyword === 'not'
        ? `to say ${field} is not ${schema}, write not: { const: ${schema} }`
        : `to compare with ${schema}, write { const: ${schema} }`;
  return `${field}: ${place} is ${what}, which ${holds ? 'every value satisfies' : 'no value satisfies'}: ${holds ? c.always : c.never}${condition}; ${advice}`;
}

/** The containers of conditions in a rule file, as pointers to them. */
const CONDITION_MAPS = ['/where', '/check', '/some/where', '/some/check', '/every/where', '/every/check', '/none/where', '/none/check', '/count/where'];

/**
 * The first condition of a rule file, as written, whose schema says nothing (a boolean, `{}`,
 * only annotations). Looked for before the rule schema is checked, which refuses a boolean in
 * words that do not say what to write instead.
 */
export function vacuousCondition(rule: unknown): Problem | undefined {
  for (const pointer of CONDITION_MAPS) {
    let map: unknown = rule;
    for (const seg of pointer.slice(1).split('/')) map = isObject(map) ? map[seg] : undefined;
    if (!isObject(map)) continue;
    for (const [written, schema] of Object.entries(map)) {
      const message = vacuous(schema, written.replace(/\?$/, ''));
      if (message !== undefined) return { pointer: `${pointer}/${escapePointerSegment(written)}`, message };
    }
  }
  return undefined;
}

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
  for (let i = 0; i < list.length; i++) {
    const r = f(list[i], i);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** A message about a value that came from a parameter says so. */
function withOrigin(message: string, w: Written, fromConfig: (param: string) => boolean): string {
  return w.param === undefined ? message : `${message} (from parameter "${w.param}"${fromConfig(w.param) ? ', as the config file sets it' : ''})`;
}

/** The JSON type of a value a schema compares with. */
function jsonType(v: unknown): string {
  return v === null ? 'null' : typeof v;
}

/** The JSON Schema keywords that look only at values of one kind, and say nothing of any other. */
const KEYWORD_KINDS: Record<string, string> = {
  pattern: 'text',
  minLength: 'text',
  maxLength: 'text',
  format: 'text',
  minimum: 'numbers',
  maximum: 'numbers',
  exclusiveMinimum: 'numbers',
  exclusiveMaximum: 'numbers',
  multipleOf: 'numbers',
  items: 'lists',
  prefixItems: 'lists',
  contains: 'lists',
  minItems: 'lists',
  maxItems: 'lists',
  uniqueItems: 'lists',
  minContains: 'lists',
  maxContains: 'lists',
  properties: 'objects',
  patternProperties: 'objects',
  additionalProperties: 'objects',
  required: 'objects',
  propertyNames: 'objects',
  minProperties: 'objects',
  maxProperties: 'objects',
  dependentRequired: 'objects',
  dependentSchemas: 'objects',
  // draft-07's names, which the check schemas use (the two above are 2019-09's).
  dependencies: 'objects',
  additionalItems: 'lists',
};

const KIND_OF_TYPE: Record<ValueType, string> = { string: 'text', boolean: 'booleans', number: 'numbers', null: 'null' };

/** What a schema says about a field of a known type that can never be so: a value it compares with, or a keyword. */
type Mistyped = Written & ({ value: unknown; keyword?: undefined } | { keyword: string; value: unknown });

/**
 * The first place a schema says something that cannot hold of a field whose JSON type is known,
 * with where the rule file writes it: a value it compares with (`const`, an `enum` member) of
 * another type, a `type` that leaves the field's out, or a keyword that looks only at another
 * kind of value (`pattern` on a boolean, `minimum` on text), which JSON Schema then takes as
 * holding, so a check would pass every subject. Also under `not`, `allOf`, `anyOf`, `oneOf` and
 * `if`/`then`/`else`. `schema` has the parameters in place.
 */
function mistyped(schema: unknown, w: Written, types: readonly ValueType[]): Mistyped | undefined {
  if (!isObject(schema)) return undefined;
  const wrong = (v: unknown): boolean => !(types as readonly string[]).includes(jsonType(v));
  if ('const' in schema && wrong(schema.const)) return { ...down(w, 'const'), value: schema.const };
  if (Array.isArray(schema.enum)) {
    const i = schema.enum.findIndex(wrong);
    if (i >= 0) return { ...down(down(w, 'enum'), i), value: schema.enum[i] };
  }
  if ('type' in schema) {
    // JSON Schema's integer is a number; only a number field can be one.
    const written: unknown[] = (Array.isArray(schema.type) ? schema.type : [schema.type]).map((t) => (t === 'integer' ? 'number' : t));
    if (!written.some((t) => (types as readonly unknown[]).includes(t))) return { ...down(w, 'type'), keyword: 'type', value: schema.type };
  }
  const kinds = types.map((t) => KIND_OF_TYPE[t]);
  for (const keyword of Object.keys(schema)) {
    const kind = Object.hasOwn(KEYWORD_KINDS, keyword) ? KEYWORD_KINDS[keyword] : undefined;
    if (kind !== undefined && !kinds.includes(kind)) return { ...down(w, keyword), keyword, value: kind };
  }
  for (const key of ['not', 'if', 'then', 'else']) {
    const hit = mistyped(schema[key], down(w, key), types);
    if (hit) return hit;
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const hit = mistyped(list[i], down(down(w, key), i), types);
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * What to write for text compared with a boolean or number field. Removing quotes helps only
 * when the text is such a value: YAML 1.2 reads `yes`, `no`, `on` and `off` as text (YAML 1.1
 * read them as booleans), quoted or not, so for them the advice is the value to write.
 */
function unquotedAdvice(text: string, type: 'boolean' | 'number'): string {
  if (type === 'boolean') return /^(true|false)$/i.test(text) ? 'write it without quotes, as a boolean' : 'write true or false, without quotes (YAML 1.2 reads yes, no, on and off as text)';
  return text.trim() !== '' && Number.isFinite(Number(text)) ? 'write it without quotes, as a number' : 'write a number, without quotes';
}

/** Fields that hold a 12-digit account id, where YAML's bare digits lose the leading zeros. */
const ACCOUNT_ID_FIELD = /(^|\.)(accountId|ownerAccountId|AWSAccountId)$/;

/** Says why a mistyped schema can never hold of the field `display`, whose value has one of `types`, and what to write. */
function typeMessage(m: Mistyped, display: string, types: readonly ValueType[], fromConfig: (param: string) => boolean): string {
  const always = `${display} is always ${typeWords(types)}`;
  // What to write instead is of the field's own type; null is only "there is none".
  const own = types.filter((t) => t !== 'null');
  if (m.keyword === 'type') return `${always}, so type ${showValue(m.value)} never matches it: write type ${showValue(own.length === 1 ? own[0] : own)} or leave type out`;
  if (m.keyword !== undefined) {
    const keywords = ['const', 'enum', ...(own.includes('number') ? ['minimum', 'maximum'] : []), ...(own.includes('string') ? ['pattern', 'minLength'] : [])];
    return `${always}, and ${m.keyword} looks only at ${String(m.value)}, so JSON Schema takes it as holding for every value: use a keyword for ${own.map((t) => KIND_OF_TYPE[t]).join(' or ')} (${keywords.join(', ')})`;
  }
  const v = m.value;
  const what = typeof v === 'number' ? `the number ${v}` : typeof v === 'boolean' ? `the boolean ${v}` : typeof v === 'string' ? `the text ${showValue(v)}` : showValue(v);
  const origin = m.param === undefined ? '' : ` (from parameter "${m.param}"${fromConfig(m.param) ? ', as the config file sets it' : ''})`;
  const unquoted = own.find((t) => t === 'boolean' || t === 'number');
  const advice =
    typeof v === 'number' && own.includes('string')
      ? // The leading-zeros example is an account id's: for any other text field it only misleads.
        ACCOUNT_ID_FIELD.test(display)
        ? BARE_DIGITS_HINT
        : `quote it (${JSON.stringify(String(v))}), as YAML reads bare digits as a number`
      : typeof v === 'string' && unquoted !== undefined
        ? unquotedAdvice(v, unquoted)
        : own.includes('string')
          ? 'quote it'
          : `use a ${own.join(' or a ')}`;
  return `${always}, so ${what}${origin} can never equal it: ${advice}`;
}
