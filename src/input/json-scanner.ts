/**
 * A cursor over JSON text that knows the current line and where it started, and the JSON syntax
 * characters it scans by. Shared by the passes that find positions without a second full parse:
 * the source map of an inventory (locate-json.ts), one pointer's position (json-pointer.ts), a
 * repeated key (json-repeated-key.ts), a syntax error's place (json-syntax.ts), and the members
 * of an object (json-members.ts). Everything here is on the per-character path of a pass over a
 * large inventory: plain char-code comparisons, string bodies skipped by `indexOf`.
 */

// The JSON syntax characters, as char codes (json-pointer.ts, json-repeated-key.ts and json-syntax.ts scan with them too).
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const LBRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const RBRACKET = 0x5d;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
const BOM = 0xfeff;

/** Index of the quote that closes the string opening at `open` (the text's length if none). */
export function stringEnd(t: string, open: number): number {
  let j = open;
  for (;;) {
    j = t.indexOf('"', j + 1);
    if (j < 0) return t.length;
    let k = j - 1;
    while (t.charCodeAt(k) === BACKSLASH) k--;
    // An even run of backslashes escapes itself, not the quote.
    if ((j - 1 - k) % 2 === 0) return j;
  }
}

/** A cursor over the text that knows the current line and where it started. */
export class Scanner {
  i: number;
  line = 1;
  lineStart: number;
  readonly n: number;

  constructor(readonly text: string) {
    // An editor does not show the BOM, so it is not counted in line 1's columns.
    this.i = text.charCodeAt(0) === BOM ? 1 : 0;
    this.lineStart = this.i;
    this.n = text.length;
  }

  get column(): number {
    return this.i - this.lineStart + 1;
  }

  /** Skips whitespace and returns the next character code, NaN at the end of the text. */
  ws(): number {
    const t = this.text;
    let i = this.i;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === SPACE || c === TAB) {
        i++;
      } else if (c === LF) {
        i++;
        this.line++;
        this.lineStart = i;
      } else if (c === CR) {
        // CRLF is one break (counted at the LF); a lone CR is a break of its own, as editors show it.
        i++;
        if (t.charCodeAt(i) !== LF) {
          this.line++;
          this.lineStart = i;
        }
      } else {
        this.i = i;
        return c;
      }
    }
  }

  /** Reads the object key at the cursor (a string) and moves past the colon after it. */
  key(): string {
    const t = this.text;
    const open = this.i;
    const close = stringEnd(t, open);
    this.i = close + 1;
    let key = t.slice(open + 1, close);
    // "\u0061ccounts" is "accounts" to JSON.parse, so escaped keys are decoded the same way.
    if (key.includes('\\')) key = JSON.parse(t.slice(open, close + 1)) as string;
    if (this.ws() === COLON) this.i++;
    return key;
  }

  /** Moves past the value at the cursor, counting the line breaks inside it. */
  skipValue(): void {
    const t = this.text;
    const n = this.n;
    let i = this.i;
    const first = t.charCodeAt(i);
    if (first === QUOTE) {
      this.i = stringEnd(t, i) + 1;
      return;
    }
    if (first !== LBRACE && first !== LBRACKET) {
      // A number, true, false or null: it ends at a delimiter or whitespace.
      let c = t.charCodeAt(++i);
      while (c > SPACE && c !== COMMA && c !== RBRACE && c !== RBRACKET) c = t.charCodeAt(++i);
      this.i = i;
      return;
    }
    let depth = 0;
    let line = this.line;
    let lineStart = this.lineStart;
    while (i < n) {
      switch (t.charCodeAt(i)) {
        case QUOTE:
          i = stringEnd(t, i) + 1;
          continue;
        case LBRACE:
        case LBRACKET:
          depth++;
          break;
        case RBRACE:
        case RBRACKET:
          if (--depth === 0) {
            this.i = i + 1;
            this.line = line;
            this.lineStart = lineStart;
            return;
          }
          break;
        case LF:
          line++;
          lineStart = ++i;
          // Indentation is a third of a pretty-printed inventory: a tighter loop for it pays.
          while (t.charCodeAt(i) === SPACE) i++;
          continue;
        case CR:
          if (t.charCodeAt(i + 1) !== LF) {
            line++;
            lineStart = i + 1;
          }
          break;
      }
      i++;
    }
    this.i = i;
    this.line = line;
    this.lineStart = lineStart;
  }

  /**
   * Walks the members of the object at the cursor, calling `member` with the cursor on each
   * value; `member` must move past the value.
   */
  object(member: (key: string) => void): void {
    this.i++;
    for (;;) {
      const c = this.ws();
      if (c === QUOTE) {
        const key = this.key();
        this.ws();
        member(key);
      } else if (c === COMMA) {
        this.i++;
      } else {
        if (c === RBRACE) this.i++;
        return;
      }
    }
  }

  /** Walks the elements of the array at the cursor, like `object`. */
  array(element: (index: number) => void): void {
    this.i++;
    let index = 0;
    for (;;) {
      const c = this.ws();
      if (c === COMMA) {
        this.i++;
      } else if (c === RBRACKET || c !== c) {
        if (c === RBRACKET) this.i++;
        return;
      } else {
        element(index++);
      }
    }
  }
}
