/**
 * A condition's schema, or a part of one under not, anyOf, allOf, oneOf, if, then or else, that
 * holds for every value (`true`, `{}`, annotations only) or for none (`false`): the natural YAML
 * slip for `{ const: true }`, and a check that passes, or a `where` that skips, every subject.
 */
import { escapePointerSegment } from '../input/document.ts';
import { isObject } from './check.ts';
import type { Problem } from './written-schema.ts';

/** Keywords JSON Schema does not check: a schema of nothing else holds for every value. */
export const ANNOTATIONS = new Set(['description', 'title', '$comment', 'examples', 'default', 'readOnly', 'writeOnly', 'deprecated', '$id', '$schema', 'definitions', '$defs', 'contentMediaType', 'contentEncoding']);

/**
 * Why the schema given for a field says nothing of its value, or undefined. `key`: the schema is
 * that of the property `key`, where `false` also says the field is not there.
 */
export function vacuous(schema: unknown, field: string, key?: string): string | undefined {
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
export function vacuousPart(schema: unknown, keyword: string, index: number | undefined, field: string, top: boolean, alone = top, parent: Record<string, unknown> = {}): string | undefined {
  const holds = truth(schema);
  if (holds === undefined || !Object.hasOwn(COMBINED, keyword)) return undefined;
  // Parts with a meaning of their own: `then: false` (what matches the if fails) and `else:
  // false` (the if must match), beside an if and a branch that is not false too; a `true`
  // alternative of oneOf (no other alternative may hold) beside alternatives that say something.
  if ((keyword === 'then' || keyword === 'else') && !holds && Object.hasOwn(parent, 'if') && truth(parent[keyword === 'then' ? 'else' : 'then']) !== false) return undefined;
  if (keyword === 'oneOf' && schema === true && Array.isArray(parent.oneOf) && parent.oneOf.filter((a) => truth(a) !== undefined).length === 1 && parent.oneOf.length > 1) return undefined;
  const c = COMBINED[keyword]!;
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
