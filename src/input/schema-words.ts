/**
 * The words of schema problems: what an Ajv error says in a sentence, the key an unknown key
 * stands for ("did you mean"), and how keys and lists of them are quoted.
 */
import type { ErrorObject } from 'ajv';
import { patternWords } from './pattern-words.ts';
import { clipAt } from '../errors.ts';
import { closest } from './closest.ts';
import { pointerSegments } from './document.ts';

/**
 * `; did you mean "failOn"?` for an unknown key a typo away from a key the schema allows there
 * (`fail-on`, `Stauts`), else nothing. The schema object comes with the error when the validator
 * was compiled `verbose` (its schemaPath alone would restart at each $ref).
 */
export function meantKey(e: ErrorObject): string {
  const properties = (e.parentSchema as { properties?: unknown } | undefined)?.properties;
  if (properties === null || typeof properties !== 'object') return '';
  // A key already written beside it is no key it stands for (`severty` beside `severity` is a
  // leftover, and renaming it would repeat the key); nor is one the schema refuses there.
  const written = e.data !== null && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : {};
  const allowed = Object.keys(properties).filter((k) => (properties as Record<string, unknown>)[k] !== false);
  const near = closest(keyName(e), allowed.filter((k) => !Object.hasOwn(written, k)));
  const twin = near.length === 0 ? closest(keyName(e), allowed).find((k) => Object.hasOwn(written, k)) : undefined;
  if (twin !== undefined) return `; "${twin}" is written here too`;
  if (near.length > 0 && near.length <= 3) return `; did you mean ${wordList(near.map((k) => `"${k}"`)).replace(/ and (?=[^,]*$)/, ' or ')}?`;
  // A field of a value written beside it, one level too high (`HomeRegion` beside `Trail:`).
  const owners = allowed.filter((k) => {
    const fields = ((properties as Record<string, unknown>)[k] as { properties?: unknown } | undefined)?.properties;
    return fields !== null && typeof fields === 'object' && Object.hasOwn(fields, keyName(e)) && (fields as Record<string, unknown>)[keyName(e)] !== false;
  });
  const [owner] = owners;
  if (owners.length !== 1 || owner === undefined) return '';
  // Written inside it already (`Name` beside a Trail that has one): a leftover, not a key to move.
  const inside = written[owner];
  if (inside !== null && typeof inside === 'object' && Object.hasOwn(inside, keyName(e))) return `; it is a field of "${owner}", which has it already`;
  return `; it is a field of "${owner}": write it inside ${owner}`;
}

/** The key an `additionalProperties` error names, or the one a `required` error misses. */
export function keyName(e: ErrorObject): string {
  return String(e.keyword === 'required' ? e.params.missingProperty : e.params.additionalProperty);
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function wordList(words: readonly string[]): string {
  const last = words.at(-1) ?? '';
  return words.length <= 1 ? last : `${words.slice(0, -1).join(', ')} and ${last}`;
}

/** A key as a message quotes it: a crafted 50 MB key is named by its start, not echoed whole. */
export function clipped(key: string): string {
  return key.length > 80 ? `${clipAt(key, 77)}...` : key;
}

export function lastSegment(p: string): string {
  return pointerSegments(p).at(-1) ?? '';
}


export function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key "${clipped(String(p.additionalProperty))}"`;
    case 'required':
      return `missing required key "${String(p.missingProperty)}"`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      // Several allowed types: "string, object or null", not ajv's "string,object,null".
      return `must be of type ${Array.isArray(p.type) ? `${p.type.slice(0, -1).join(', ')} or ${p.type[p.type.length - 1]}` : String(p.type)}`;
    case 'pattern':
      return patternWords(String(p.pattern));
    case 'propertyNames':
      return `has an invalid key "${clipped(String(p.propertyName))}"`;
    case 'maxLength': {
      // The length written shows by how much (a trail name over CloudTrail's 128, a rule id over 64).
      const length = typeof e.data === 'string' ? ` (this is ${[...e.data].length})` : '';
      return `must be at most ${String(p.limit)} characters long${length}`;
    }
    case 'false schema':
      // A key the schema names only to refuse it (a trail entry's own key written inside Trail).
      return `the key "${clipped(lastSegment(e.instancePath))}" is not allowed here`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}
