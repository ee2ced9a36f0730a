/**
 * Reading YAML and JSON documents with positions. Every parse problem becomes an InputError
 * naming the file, line and column; alias bombs are refused at the alias that expands the
 * document too far (yaml-value.ts).
 * YAML is read as the data JSON can hold, and what YAML would make of it silently otherwise is
 * refused: keys that are no plain name, merge keys, tags, and the YAML 1.1 rules.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Document, type Node } from 'yaml';
import { InputError } from '../errors.ts';
import { firstJsonError } from './json-syntax.ts';
import { parsedMembers, writtenMembers } from './json-members.ts';
import { firstRepeatedKey } from './json-repeated-key.ts';
import { documentShape, pairNamed } from './yaml-keys.ts';
import { expansionLimit, yamlValue } from './yaml-value.ts';
import { firstLine, parseProblem, repeatedKey, tagProblem } from './yaml-problems.ts';

/**
 * The advice for a number where text was meant, such as an account id written without quotes:
 * the config file and the rule loader give it in the same words.
 */
export const BARE_DIGITS_HINT = 'quote it ("012345678901"), as YAML reads bare digits as a number and drops leading zeros';

/**
 * For a value YAML read as a number or boolean where text goes: what it read, and to quote it;
 * empty for any other value. `S3BucketName: 20240101`, `Name: true` or a compliance id `3.10`
 * (the number 3.1) is text to the user and a number or boolean to YAML: "must be of type string"
 * alone does not say so.
 */
export function unquotedHint(v: unknown): string {
  if (typeof v !== 'number' && typeof v !== 'boolean') return '';
  return `: YAML reads it unquoted as the ${typeof v} ${String(v)}; quote it to write it as text`;
}

/** A parsed document and a way back from a JSON pointer to its source position. */
export interface ParsedDocument {
  value: unknown;
  /**
   * Line and column (1-based) of the value at `pointer`, or of its nearest existing ancestor;
   * with `key`, of the mapping key that names it (where a misspelt or misplaced key is).
   */
  locate(pointer: string, key?: boolean): { line: number; column: number };
}

/** Parses YAML (or JSON, which YAML reads too) keeping source positions. Throws InputError. */
export function parseYaml(text: string, file: string): ParsedDocument {
  text = lineBreaksAsLf(text);
  if (text.trim() === '') throw new InputError('the file is empty; expected a YAML or JSON document', { file, line: 1, column: 1 });
  const lineCounter = new LineCounter();
  // logLevel 'error': the parser's own warnings would go to stderr as extra lines beside the one
  // message; those that matter (tags) are refused below.
  // stringKeys: every key is the text written, as in JSON, where keys are strings. Otherwise
  // `123456:` (a number) and `"123456":` (a string) are two keys to YAML, one name to the
  // inventory, and the last would silently win; `0x10:` would become "16" and `null:` "". A key
  // that is no scalar (`? [a, b]`), an alias or a tagged number is an error.
  // resolveKnownTags false: !!binary, !!set, !!timestamp and the like, which would give values no
  // JSON holds (bytes, sets, dates), are left unresolved, so they are refused with the other tags.
  // uniqueKeys false: the parser's own check is quadratic in the keys of a mapping; repeated keys
  // are refused below, from one linear walk.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, strict: true, logLevel: 'error', stringKeys: true, resolveKnownTags: false });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const problem = doc.errors[0];
  const { repeated, values } = documentShape(doc.contents);
  // The first problem in the text is named, a repeated key as any other, as the parser did when
  // it found repeats itself.
  const again = repeated?.[1].range?.[0] ?? 0;
  if (repeated && (!problem || again < problem.pos[0])) throw new InputError(`invalid YAML: ${repeatedKey(repeated, text)}`, at(again));
  if (problem) throw new InputError(`invalid YAML: ${parseProblem(problem, text)}`, at(problem.pos[0]));
  // A document may declare YAML 1.1, where `yes` is true, `012` is 10, a bare date is a date and
  // `<<` merges: the same text would mean other data than trailgate reads everywhere else.
  if (doc.directives?.yaml.version === '1.1') {
    throw new InputError('invalid YAML: the document declares %YAML 1.1; trailgate reads YAML 1.2, where yes, 012, dates and << mean other things (remove the %YAML line)', at(Math.max(0, text.search(/^%YAML/m))));
  }
  // Any other version but 1.2 (1.0, 1.3) the parser only warns about, and reads as 1.2: a document
  // that says it follows other rules than the ones it is read by is refused too.
  const directive = doc.warnings.find((w) => w.code === 'BAD_DIRECTIVE' && /^Unsupported YAML version/.test(w.message));
  if (directive) {
    const version = /^%YAML[ \t]+(\S+)/m.exec(text)?.[1] ?? 'another version';
    throw new InputError(`invalid YAML: the document declares %YAML ${version}; trailgate reads YAML 1.2 (remove the %YAML line)`, at(Math.max(0, text.search(/^%YAML/m))));
  }
  // An unknown tag (`!Ref b1`, `!custom 1`) is only a warning to the parser, which keeps the bare
  // value: `!Ref b1` would be read as the bucket b1, `!!float 1` as the text "1".
  const tag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED' || w.code === 'BAD_COLLECTION_TYPE');
  if (tag) throw new InputError(`invalid YAML: ${tagProblem(tag, text)}`, at(tag.pos[0]));
  const merge = text.includes('<<') ? mergeKey(doc) : undefined;
  if (merge !== undefined) {
    throw new InputError('invalid YAML: merge keys (<<) are not supported; write the fields out in each mapping', at(merge));
  }
  // Aliases are resolved here, not by the parser, whose resolution is quadratic in the aliases.
  const value = yamlValue(doc.contents, expansionLimit(values), (message, offset) => {
    throw new InputError(`invalid YAML: ${message}`, at(offset));
  });
  return {
    value,
    locate(pointer, key = false) {
      const node = nodeAt(doc, pointer, key);
      const offset = node?.range?.[0] ?? 0;
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, column: pos.col };
    },
  };
}

/**
 * Where the first merge key (`<<: *base`) is. trailgate refuses them instead of merging:
 * - YAML 1.2, which trailgate reads (and JSON, its subset), has none: other readers of the same
 *   file keep `<<` as a plain key, as trailgate did, where it went unnoticed among the unknown keys
 *   AWS shapes allow, and the trail lacked every merged field;
 * - a merge is a silent override by design (a key written beside `<<` wins over the merged one,
 *   an earlier merge source over a later), the very ambiguity repeated keys are refused for;
 * - a merged field has no position of its own in the mapping it lands in, for messages and
 *   reports to point at.
 * Only a plain `<<` is a merge key: a quoted one (`"<<":`) is an ordinary key.
 */
function mergeKey(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<' && pair.key.type === Scalar.PLAIN) {
        found = pair.key.range?.[0] ?? 0;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Parses JSON fast with JSON.parse; only when that fails is the text read again to find where
 * (JSON.parse's own messages differ between Node versions, and some name no position).
 */
export function parseJsonFast(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new InputError('the JSON document nests too deeply to read (a trailgate file nests a few levels, not thousands)', { file, line: 1, column: 1 });
    }
    const message = firstLine((e as Error).message);
    // Only here, where a position is wanted: the parse reads a lone CR as the whitespace it is.
    text = lineBreaksAsLf(text);
    // V8 gives `at position N`, and from Node 21 also `(line L column C)`; the words go without them.
    const at = /position (\d+)/.exec(message);
    const lc = /line (\d+) column (\d+)/.exec(message);
    const words = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s*(in JSON )?at position \d+.*/, '');
    // A position past the last token (only JSON white space after it) is the end of a text that
    // stops too soon: V8 then names a token that is not there, on a line that may not exist either.
    if (at === null || !/^[ \t\n\r]*$/.test(text.slice(Number(at[1])))) {
      if (lc) throw new InputError(`invalid JSON: ${words}`, { file, line: Number(lc[1]), column: Number(lc[2]) });
      if (at) throw new InputError(`invalid JSON: ${words}`, { file, ...lineAndColumn(text, Number(at[1])) });
    }
    // No position in the message (V8 gives none for a token that starts no value, `True` or `'x'`,
    // nor for a text that ends too soon): a scan of JSON's grammar finds the token, and shows it.
    const found = firstJsonError(text);
    if (found) throw new InputError(`invalid JSON: ${found.problem}`, { file, ...lineAndColumn(text, found.offset) });
    throw new InputError(`invalid JSON: ${message}`, { file, line: 1, column: 1 });
  }
  if (writtenMembers(text) !== parsedMembers(value)) throwRepeatedKey(text, file);
  return value;
}

/**
 * The text with each lone CR (a classic Mac OS line end) made an LF. YAML 1.2 reads a lone CR as a
 * line break, and so do editors and json-scanner.ts (the locator's cursor), but the YAML parser's line counter counts only
 * LFs: without this a file with CR line ends is one long line, refused as YAML and, as JSON,
 * placed at 1:1. In JSON a raw CR can only be whitespace, so its value does not change; the text
 * keeps its length, so every offset stays valid. CRLF is left alone.
 */
function lineBreaksAsLf(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** The 1-based line and column (in UTF-16 code units, as editors count) of an offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    start = nl + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Names the first repeated key, where its second occurrence is written (json-repeated-key.ts). */
function throwRepeatedKey(text: string, file: string): never {
  const found = firstRepeatedKey(text);
  if (found) throw new InputError(`invalid JSON: the key ${JSON.stringify(found.key)} is repeated in one object`, { file, line: found.line, column: found.column });
  throw new InputError('invalid JSON: a key is repeated in one object', { file, line: 1, column: 1 });
}

/** Splits a JSON pointer into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value a JSON pointer names in a parsed document, or undefined where the path leaves it. */
export function valueAtPointer(value: unknown, pointer: string): unknown {
  let v = value;
  for (const seg of pointerSegments(pointer)) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
  return v;
}

function nodeAt(doc: Document, pointer: string, key: boolean): Node | undefined {
  let node: unknown = doc.contents;
  let last: Node | undefined = doc.contents ?? undefined;
  const segments = pointerSegments(pointer);
  for (const [i, seg] of segments.entries()) {
    if (isMap(node)) {
      const pair = pairNamed(node, seg);
      if (!pair) break;
      if (key && i === segments.length - 1) return pair.key as Node;
      node = pair.value ?? pair.key;
      if (!pair.value) {
        last = pair.key as Node;
        break;
      }
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      node = item;
    } else break;
    last = node as Node;
  }
  return last;
}


/** Escapes one segment for a JSON pointer. */
export function escapePointerSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
