/**
 * What the YAML parser finds wrong, in the input's terms: a problem it words for its own
 * purposes (a stack run out, a second document, text it takes for an alias, a flow or a
 * mapping) is said as what the author wrote and what to write instead.
 */
import type { Scalar, YAMLError } from 'yaml';

/** A parse error in words: those the parser words for its own purposes are said in the input's terms. */
export function parseProblem(problem: YAMLError, text: string): string {
  // The parser reports its own stack running out as a syntax problem: say what it means.
  if (/call stack/i.test(problem.message)) return 'the document nests too deeply to read (a trailgate file nests a few levels, not thousands)';
  switch (problem.code) {
    case 'MULTIPLE_DOCS': {
      // The last marker line before it: `---` starts a document, `...` ends one.
      const markers = text.slice(0, problem.pos[0]).match(/^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm);
      const after = markers?.at(-1) === '...' ? 'the end marker "..."' : '"---"';
      return `a second document starts here (after ${after}); a file holds one document`;
    }
    case 'NON_STRING_KEY': {
      const first = text[problem.pos[0]];
      if (first === '*') return 'a mapping key is an alias here; write the key out';
      if (first === '!') return `a mapping key is read as text, and cannot be tagged ${text.slice(problem.pos[0], problem.pos[1])}`;
      return `a mapping key must be a name, not a ${first === '[' || first === '-' ? 'list' : 'mapping'}`;
    }
    // `rule: *` (every rule) and `reason: @team`: a pattern or text the parser takes for syntax.
    case 'BAD_ALIAS':
      if (/^Alias cannot be an empty string/.test(problem.message)) return 'a * alone starts an alias that names nothing; to write text that begins with *, quote the whole value (rule: "*")';
      return firstLine(problem.message);
    case 'BAD_SCALAR_START':
      return `a value cannot begin with ${text[problem.pos[0]] ?? 'this character'} unquoted; quote the whole value`;
    // `reason: accepted: see SEC-12`.
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (/^Nested mappings/.test(problem.message) && /:[ \t]/.test(restOfLine(text, problem.pos[0]))) {
        return 'the value holds ": " (a colon and a space), which would start a mapping inside it; to write it as text, quote the whole value';
      }
      return firstLine(problem.message);
    case 'UNEXPECTED_TOKEN': {
      const after = /^Unexpected scalar at node end/.test(problem.message) ? valueEndedBefore(text, problem.pos[0]) : undefined;
      return after === undefined ? firstLine(problem.message) : `more text follows ${after}; to write the line's value as text, quote the whole value`;
    }
    default:
      return firstLine(problem.message);
  }
}

/** The text from `offset` to the end of its line. */
function restOfLine(text: string, offset: number): string {
  const end = text.indexOf('\n', offset);
  return text.slice(offset, end < 0 ? text.length : end);
}

/**
 * What ended the value before a stray scalar on the same line: `fail: {Trail.Name} is not
 * logging` is a mapping and then text, `reason: "ok" by ops` a quoted text and then more,
 * `rule: *kms is off` an alias. Undefined when the line shows none of these.
 */
function valueEndedBefore(text: string, offset: number): string | undefined {
  const before = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset).trimEnd();
  const last = before[before.length - 1];
  if (last === '}') return 'the {...} before it, which YAML reads as a mapping';
  if (last === ']') return 'the [...] before it, which YAML reads as a list';
  if (last === '"' || last === "'") return 'the quoted text before it';
  if (/(^|[\s,[{])\*[^\s,[\]{}]+$/.test(before)) return 'the alias before it (a value that begins with * repeats an anchored value)';
  return undefined;
}

/** A key repeated in its mapping, in words; `keys` are the earlier key and the repeat. */
export function repeatedKey(keys: [Scalar, Scalar], text: string): string {
  const written = (k: Scalar): string => text.slice(k.range?.[0] ?? 0, k.range?.[1] ?? 0);
  const first = written(keys[0]);
  const again = written(keys[1]);
  // Keys are read as text (stringKeys above), so `123456` and `"123456"` are one key: say so
  // when they look different (and are short enough to quote on one line).
  const note = first !== again && first.length + again.length <= 120 ? ` (as ${first} and as ${again}: keys are read as text)` : '';
  return `the key ${JSON.stringify(keys[1].value)} is repeated in one mapping${note}`;
}

/** The tags of the data JSON holds; with them a value is only said more explicitly (`!!str 1` is "1"). */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * A tag the parser could not apply. Any other tag trailgate would have to drop, reading the bare
 * value instead (`!Ref b1` as the bucket b1, as if CloudFormation had resolved it); a core tag
 * on a value that is not of its type (`!!float 1`, `!!int abc`) would leave the value as text.
 */
export function tagProblem(warning: YAMLError, text: string): string {
  const written = text.slice(warning.pos[0], warning.pos[1]);
  const name = /^Unresolved tag: (.*)$/.exec(warning.message)?.[1];
  if (name !== undefined && CORE_TAGS.has(name)) return `the tag ${written} does not fit its value; write the value without a tag`;
  if (warning.code === 'BAD_COLLECTION_TYPE') return `the tag ${written} does not fit the list or mapping it is on; write the value without a tag`;
  return `the tag ${written} is not supported: trailgate reads plain strings, numbers, booleans, null, lists and mappings, and resolves no tags (write the value itself)`;
}

/** The first line of a message, trimmed: the parser's own messages go on with a picture of the line. */
export function firstLine(s: string): string {
  const end = s.indexOf('\n');
  return (end < 0 ? s : s.slice(0, end)).trim();
}
