/**
 * Where in a check's JSON Schema the mistake Ajv refused it for is. Ajv says what is wrong
 * (`strict mode: unknown keyword: "cosnt"`, `Invalid regular expression: /([/`) but not where,
 * and a condition's schema can run over many lines: the error would stand at the condition's key.
 */
import { escapePointerSegment } from '../input/document.ts';

/** Keywords whose keys are names (of properties, of definitions), not keywords. */
const NAME_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas', 'dependentRequired', 'dependencies', '$defs', 'definitions']);

/**
 * Keywords whose values Ajv does not compile as schemas here: data (`const: { cosnt: 1 }` holds
 * no keyword), and definitions, compiled only when referenced (and `$ref` is refused in checks).
 */
const SKIPPED = new Set(['const', 'enum', 'default', 'examples', '$defs', 'definitions']);

/** The JSON pointer, within `schema`, of what Ajv's `message` refuses; undefined when it cannot tell. */
export function placeInSchema(schema: unknown, message: string): string | undefined {
  // Ajv's own check of the schema gives the place: `schema is invalid: data/properties/Name/type must be ...`.
  // Ajv's messages go on with "must": names with spaces (`Tag Name`) are part of the path.
  const invalid = /^schema is invalid: data((?:\/.*?)?) must /.exec(message)?.[1];
  if (invalid !== undefined) return invalid === '' ? undefined : invalid;
  // `"if" without "then" and "else" is ignored`: the `if`.
  if (/"if" without "then" and "else"/.test(message)) {
    return find(schema, '', (key, _value, named, _parent, holder) => !named && key === 'if' && !Object.hasOwn(holder, 'then') && !Object.hasOwn(holder, 'else'));
  }
  const keyword = /unknown keyword: "([^"]*)"/.exec(message)?.[1];
  if (keyword !== undefined) return find(schema, '', (key, _value, named) => !named && key === keyword);
  const format = /^unknown format "([^"]*)"/.exec(message)?.[1];
  if (format !== undefined) return find(schema, '', (key, value, named) => !named && key === 'format' && value === format);
  // V8 writes the pattern between slashes, as written: `Invalid regular expression: /([/u: ...`;
  // trailgate's RE2 check quotes it: `pattern "(?<=x)y" is refused`.
  const names = (pattern: string): boolean => message.startsWith(`pattern "${pattern}" is refused`) || (/Invalid regular expression/.test(message) && refusalOf(pattern) === message);
  return find(schema, '', (key, value, named, parent) => (!named && key === 'pattern' && typeof value === 'string' && names(value)) || (parent === 'patternProperties' && names(key)));
}

/** What V8 says of a pattern, compiled as Ajv compiles it (with the u flag); undefined when it compiles. */
function refusalOf(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** `holder` is the object the key is in. */
type Match = (key: string, value: unknown, named: boolean, parent: string | undefined, holder: object) => boolean;

/** Depth first, in written order: the first key that `match` takes, as a pointer. */
function find(node: unknown, at: string, match: Match, parent?: string): string | undefined {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const found = find(node[i], `${at}/${i}`, match);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  // Under `properties` and its kind, keys are names: a property called `cosnt` is no keyword.
  const named = parent !== undefined && NAME_MAPS.has(parent);
  for (const [key, value] of Object.entries(node)) {
    const here = `${at}/${escapePointerSegment(key)}`;
    if (match(key, value, named, parent, node)) return here;
    if (!named && SKIPPED.has(key)) continue;
    const found = find(value, here, match, named ? undefined : key);
    if (found !== undefined) return found;
  }
  return undefined;
}
