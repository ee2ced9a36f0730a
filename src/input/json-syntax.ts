/**
 * Where a JSON text first breaks JSON's grammar (RFC 8259), and what is there. `JSON.parse` says
 * where for most mistakes, but not for a token that starts no value (`True`, `NaN`, `'x'`, `+1`)
 * or for a text that ends too soon, and the YAML parser cannot stand in: it reads `True` as text.
 * One pass without recursion (a document may nest deeper than the call stack reaches); used only
 * once `JSON.parse` has failed.
 */
import { BACKSLASH, COLON, COMMA, LBRACE, LBRACKET, QUOTE, RBRACE, RBRACKET } from './json-scanner.ts';

/** The first offending token: its offset in the text, and what is wrong, in words that show it. */
export interface JsonSyntaxError {
  offset: number;
  problem: string;
}

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function firstJsonError(text: string): JsonSyntaxError | undefined {
  const n = text.length;
  // The open objects and arrays, innermost last.
  const open: number[] = [];
  let expect: 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'after' = 'value';
  let i = 0;
  for (;;) {
    i = skipWhitespace(text, i);
    if (i >= n) return expect === 'after' && open.length === 0 ? undefined : { offset: contentEnd(text), problem: 'the document ends before it is complete' };
    const c = text.charCodeAt(i);
    if (expect === 'firstKey' && c === RBRACE) {
      open.pop();
      i++;
      expect = 'after';
    } else if (expect === 'firstKey' || expect === 'key') {
      if (c !== QUOTE) return { offset: i, problem: `expected a property name in double quotes, not ${tokenAt(text, i)}` };
      const end = stringEnd(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      expect = 'colon';
    } else if (expect === 'colon') {
      if (c !== COLON) return { offset: i, problem: `expected ':' after the property name, not ${tokenAt(text, i)}` };
      i++;
      expect = 'value';
    } else if (expect === 'firstValue' && c === RBRACKET) {
      open.pop();
      i++;
      expect = 'after';
    } else if (expect === 'value' || expect === 'firstValue') {
      if (c === LBRACE || c === LBRACKET) {
        open.push(c);
        i++;
        expect = c === LBRACE ? 'firstKey' : 'firstValue';
        continue;
      }
      const end = c === QUOTE ? stringEnd(text, i) : valueEnd(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      expect = 'after';
    } else {
      const inner = open[open.length - 1];
      if (inner === undefined) return { offset: i, problem: `${tokenAt(text, i)} after the end of the document` };
      const close = inner === LBRACE ? RBRACE : RBRACKET;
      if (c === close) {
        open.pop();
        i++;
      } else if (c === COMMA) {
        i++;
        expect = inner === LBRACE ? 'key' : 'value';
      } else {
        return { offset: i, problem: `expected ',' or '${String.fromCharCode(close)}' after ${inner === LBRACE ? 'a property value' : 'an array element'}, not ${tokenAt(text, i)}` };
      }
    }
  }
}

function skipWhitespace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** Just past the last character that is not whitespace: where a truncated document stops. */
function contentEnd(text: string): number {
  let end = text.length;
  while (end > 0 && /[ \t\r\n]/.test(text.charAt(end - 1))) end--;
  return end;
}

const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** Past the string opening at `i`, or what breaks it. */
function stringEnd(text: string, i: number): number | JsonSyntaxError {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) return j + 1;
    if (c < 0x20) return { offset: j, problem: `a string holds a raw control character (${JSON.stringify(text[j])}); write it as an escape` };
    if (c === BACKSLASH) {
      const e = text[j + 1];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) j += 5;
      else if (e !== undefined && ESCAPES.has(e)) j++;
      else return { offset: j, problem: `${text.slice(j, e === 'u' ? j + 6 : j + 2)} is no JSON escape` };
    }
  }
  return { offset: i, problem: 'a string that starts here never ends' };
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WORD_CHAR = /[A-Za-z0-9_$]/;

/** Past the number or literal at `i`, or why none starts there. */
function valueEnd(text: string, i: number): number | JsonSyntaxError {
  let end = -1;
  for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, i)) end = i + literal.length;
  if (end < 0) {
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) end = NUMBER.lastIndex;
  }
  // `truex`, `1.`, `-x`: the whole token is what is wrong, not its last character.
  if (end > i && !WORD_CHAR.test(text[end] ?? '') && text[end] !== '.') return end;
  return { offset: i, problem: valueProblem(tokenAt(text, i)) };
}

/** What is wrong with a token where a value belongs, with what JSON writes instead when that is clear. */
function valueProblem(token: string): string {
  if (/^(true|false|null)$/i.test(token)) return `${token} is not a JSON value: JSON writes true, false and null in lower case`;
  if (/^[+-]?(NaN|Infinity|inf)$/i.test(token)) return `${token} is not a JSON value: a JSON number is never NaN or infinite`;
  if (/^(yes|no|on|off|y|n|none|nil|undefined)$/i.test(token)) return `${token} is not a JSON value: JSON's only words are true, false and null`;
  if (token.startsWith("'")) return `${token} is not a JSON value: JSON strings are in double quotes`;
  if (token.startsWith('+')) return `${token} is not a JSON value: a JSON number has no plus sign`;
  if (/^-?\./.test(token)) return `${token} is not a JSON value: a JSON number starts with a digit`;
  if (token.length === 1 && ',:]}'.includes(token)) return `unexpected ${token} where a value belongs`;
  return `${token} is not a JSON value`;
}

/** The token that starts at `i`, as written: a quoted run, a word, or one character; at most 40 characters. */
function tokenAt(text: string, i: number): string {
  const c = text.charAt(i);
  let end = i + 1;
  if (c === "'") {
    const close = text.indexOf("'", i + 1);
    const quoted = text.slice(i, close < 0 ? text.length : close + 1);
    const lineEnd = quoted.search(/[\r\n]/);
    end = i + (lineEnd < 0 ? quoted.length : lineEnd);
  } else if (!'{}[],:"'.includes(c)) {
    while (end < text.length && !/[\s{}[\],:"']/.test(text.charAt(end))) end++;
  }
  return text.slice(i, Math.min(end, i + 40));
}
