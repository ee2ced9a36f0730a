/**
 * Where a JSON pointer's value is written in a JSON text, for the message of an input error.
 *
 * Asking the `yaml` parser would work (it reads JSON too) but it builds a node with a position for
 * every value: on a 100 MB inventory that is minutes and more memory than Node has, so one schema
 * error deep in a large file ended in an out-of-memory abort instead of its message. This is one
 * forward pass that only follows the pointer: every member and element off the path is skipped
 * by bracket counting, nothing is built, and the pass stops at the pointer's value. Time is at most
 * the text's length, memory the pointer's segments; no recursion, so any nesting depth reads.
 *
 * The text is one that `JSON.parse` has accepted; on anything else the walk stops early and
 * answers the last place it reached, never throws and never loops.
 */
import { QUOTE, COMMA, LBRACKET, RBRACKET, LBRACE, Scanner } from './json-scanner.ts';
import { pointerSegments } from './document.ts';

export interface TextPosition {
  line: number;
  column: number;
}

/**
 * Line and column (1-based, columns in UTF-16 code units as editors count) of the value at
 * `pointer` in `text`, or of its nearest ancestor that exists; with `key`, of the key naming it
 * (where a misspelt or misplaced key is written). The same answer as `parseYaml(text).locate`.
 */
export function locateJsonPointer(text: string, pointer: string, key = false): TextPosition {
  const s = new Scanner(text);
  let c = s.ws();
  let found: TextPosition = { line: s.line, column: s.column };
  const segments = pointerSegments(pointer);
  for (const [d, segment] of segments.entries()) {
    if (c === LBRACE) {
      const keyAt = enterMember(s, segment);
      if (keyAt === undefined) break;
      if (key && d === segments.length - 1) return keyAt;
    } else if (c === LBRACKET) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment) || !enterElement(s, Number(segment))) break;
    } else {
      break;
    }
    c = s.ws();
    found = { line: s.line, column: s.column };
  }
  return found;
}

/**
 * With the cursor on an object, moves it to the value of its member `name` and answers where
 * that member's key is; undefined when the object has no such member. A repeated key is refused
 * before any position is asked for, so the first member of that name is the one.
 */
function enterMember(s: Scanner, name: string): TextPosition | undefined {
  s.i++;
  for (;;) {
    const c = s.ws();
    if (c === QUOTE) {
      const at = { line: s.line, column: s.column };
      const written = s.key();
      s.ws();
      if (written === name) return at;
      s.skipValue();
    } else if (c === COMMA) {
      s.i++;
    } else {
      return undefined;
    }
  }
}

/** With the cursor on an array, moves it to element `index`; false when there are fewer. */
function enterElement(s: Scanner, index: number): boolean {
  s.i++;
  let n = 0;
  for (;;) {
    const c = s.ws();
    if (c === COMMA) {
      s.i++;
    } else if (c === RBRACKET || c !== c) {
      return false;
    } else if (n === index) {
      return true;
    } else {
      n++;
      s.skipValue();
    }
  }
}
