/**
 * What a condition's schema says that can never hold of a field whose JSON type is known: a value
 * compared with of another type (`{ const: "true" }` on a boolean), a `type` that leaves the
 * field's out, or a keyword that looks only at another kind of value (`pattern` on a boolean),
 * which JSON Schema takes as holding; and the message that says what to write instead.
 */
import { BARE_DIGITS_HINT } from '../input/document.ts';
import { showValue } from '../input/show-value.ts';
import { isObject } from './check.ts';
import { typeWords, type ValueType } from './shapes.ts';
import { down, type Written } from './written-schema.ts';

/** The JSON type of a value a schema compares with. */
function jsonType(v: unknown): string {
  return v === null ? 'null' : typeof v;
}

/** The JSON Schema keywords that look only at values of one kind, and say nothing of any other. */
export const KEYWORD_KINDS: Record<string, string> = {
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
export function mistyped(schema: unknown, w: Written, types: readonly ValueType[]): Mistyped | undefined {
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

/** Whether a pointer into a check's schema passes through `not` an odd number of times: what it compares with is then refused, not wanted. */
function negated(pointer: string): boolean {
  return pointer.split('/').filter((segment) => segment === 'not').length % 2 === 1;
}

/** A condition on a value of the field's own type, for advice: minLength on a boolean would be refused as holding for every value. */
function valueExample(own: readonly ValueType[]): string {
  if (own.includes('string')) return '{ minLength: 1 }';
  if (own.includes('number')) return '{ minimum: 0 }';
  return '{ const: true }';
}

/** Fields that hold a 12-digit account id, where YAML's bare digits lose the leading zeros. */
const ACCOUNT_ID_FIELD = /(^|\.)(accountId|ownerAccountId|AWSAccountId)$/;

/** Says why a mistyped schema can never hold of the field `display`, whose value has one of `types`, and what to write. */
export function typeMessage(m: Mistyped, display: string, types: readonly ValueType[], fromConfig: (param: string) => boolean): string {
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
    // `const: ~` or `const:` meant "not set": quoting would compare with the text "~", or with nothing.
    v === null
      ? negated(m.pointer)
        ? // `not: {const: ~}` meant "is set": the path without ? already wants the field there.
          `a field that is not set is absent, not null, so under not this holds for every value the field can have: a path without ? already requires the field (an absent one fails the check), so say what its value must be, such as ${valueExample(own)} (YAML reads ~ and an empty value as null)`
        : 'a field that is not set is absent, not null: end the path in ? to let it be absent; otherwise write the value it must equal (YAML reads ~ and an empty value as null)'
      : typeof v === 'number' && own.includes('string')
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
