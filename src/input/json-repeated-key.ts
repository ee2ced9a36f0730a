/**
 * Where a JSON text repeats a key in one object, for the message that refuses it.
 *
 * JSON.parse keeps the last of two members with one name, so the repetition is found by counting
 * members (json-members.ts); naming it needs a position. Asking the `yaml` parser (it reads JSON
 * and refuses repeated keys) builds a node for every value: on a 100 MB inventory that is minutes
 * and more memory than Node has. This is one forward pass with a set of keys per open object and
 * nothing else built; no recursion, so any nesting depth reads.
 */
import { QUOTE, COMMA, LBRACKET, RBRACKET, LBRACE, RBRACE, Scanner } from './json-scanner.ts';

export interface RepeatedKey {
  key: string;
  /** Where its second occurrence is written (1-based; columns in UTF-16 code units, as editors count). */
  line: number;
  column: number;
}

/** The first key written twice in one object of `text` (one JSON.parse accepted), or undefined. */
export function firstRepeatedKey(text: string): RepeatedKey | undefined {
  const s = new Scanner(text);
  // One entry per open object (the keys it has so far) or array (undefined).
  const open: (Set<string> | undefined)[] = [];
  let keyNext = false;
  for (;;) {
    const c = s.ws();
    if (c !== c) return undefined; // the end of the text
    if (c === LBRACE) {
      s.i++;
      open.push(new Set());
      keyNext = true;
    } else if (c === LBRACKET) {
      s.i++;
      open.push(undefined);
      keyNext = false;
    } else if (c === RBRACE || c === RBRACKET) {
      s.i++;
      open.pop();
      keyNext = false;
    } else if (c === COMMA) {
      s.i++;
      keyNext = open.length > 0 && open[open.length - 1] !== undefined;
    } else if (keyNext && c === QUOTE) {
      const keys = open[open.length - 1]!;
      const at = { line: s.line, column: s.column };
      const key = s.key();
      if (keys.has(key)) return { key, ...at };
      keys.add(key);
      keyNext = false;
    } else {
      s.skipValue();
      keyNext = false;
    }
  }
}
