/**
 * Escaping untrusted text (trail names, policies, AWS error messages) for a terminal or a CI
 * log: nothing in the data may move the cursor, change colours, forge a line or reorder text.
 */

// C0 controls, DEL, C1 controls (ESC and CSI among them), line and paragraph separators.
// Every Bidi_Control character, which can make text read differently than it is (trojan
// source): U+061C, U+200E, U+200F, the embeddings and overrides U+202A-202E, the isolates
// U+2066-2069. The invisible format characters with which two different names print alike
// (`prod` and `pro<ZWSP>d`): U+00AD, U+180E, U+200B-200D, U+2060-2064, U+FEFF, and the tag
// characters U+E0000-E007F (astral, hence the `u` flag); and the other default-ignorable
// characters that print as nothing (or as a blank) after a letter: the combining grapheme joiner
// U+034F, the variation selectors U+FE00-FE0F and U+E0100-E01EF and the Mongolian ones
// U+180B-180D and U+180F, the Khmer inherent vowels U+17B4-17B5, the Hangul fillers U+115F,
// U+1160, U+3164 and U+FFA0, the deprecated format characters U+206A-206F, the shorthand format
// controls U+1BCA0-1BCA3, the musical formatting characters U+1D173-1D17A, and the code points
// Unicode reserves as default-ignorable (U+2065, U+FFF0-FFF8, the rest of U+E0000-E0FFF), which a
// later Unicode version may assign and fonts print as nothing already: with the others above,
// every Default_Ignorable_Code_Point, the characters Unicode says to print as nothing. And a lone surrogate
// (U+D800-DFFF not in a pair: with the `u` flag a pair is one code point beyond U+FFFF, so only
// lone ones match), which an encoder would print as U+FFFD, alike for every lone surrogate and
// for U+FFFD; and for the same reason the noncharacters U+FFFE and U+FFFF, which a terminal
// prints as a replacement box (XML cannot carry them at all: xml.ts removes them first).
// Also the `[` of `##[`: the GitHub Actions runner reads `##[command]data` anywhere in a line of
// a step's output as a workflow command (its older syntax, still accepted), so a trail named
// `x##[error]...` would forge an annotation in any log a report is printed to.
// The characters from DEL on that this file makes visible, as the body of a character class:
// the list xml.ts and JSON_UNSAFE escape too, written once so that none of them falls behind.
export const INVISIBLE_CLASS =
  '\\u007f-\\u009f\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff0-\\ufff8\\ufffe\\uffff';
// Those past U+FFFF (U+1BCA0-1BCA3, U+1D173-1D17A, and U+E0000-E0FFF with the tag characters and
// the variation selectors U+E0100-E01EF), as UTF-16 pairs, for a regex without the `u` flag,
// which sees code units; and as code points, for one with it.
export const INVISIBLE_ASTRAL_UNITS = '\\ud82f[\\udca0-\\udca3]|\\ud834[\\udd73-\\udd7a]|[\\udb40-\\udb43][\\udc00-\\udfff]';
const INVISIBLE_ASTRAL = '\\u{1bca0}-\\u{1bca3}\\u{1d173}-\\u{1d17a}\\u{e0000}-\\u{e0fff}';
// eslint-disable-next-line no-misleading-character-class -- each combining mark (U+034F, a variation selector) is matched alone, on purpose
const UNSAFE = new RegExp(`[\\\\\\u0000-\\u001f${INVISIBLE_CLASS}\\ud800-\\udfff${INVISIBLE_ASTRAL}]|(?<=##)\\[`, 'gu');

/**
 * Replaces every control, bidi or invisible format character with a visible escape: `\x1b`,
 * `\u202e`, or `\u{e0041}` past U+FFFF (JavaScript's own spelling); and `\` with `\\`, so the
 * escapes read back exactly. Untrusted text bound for a terminal, a CI log or the step summary
 * goes through it.
 */
export function escapeTerminal(s: string): string {
  return s.replace(UNSAFE, (c) => {
    if (c === '\\') return '\\\\'; // so a literal "\x1b" in a name cannot pass for an escaped ESC
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.codePointAt(0)!;
    const hex = code.toString(16);
    return code <= 0xff ? `\\x${hex.padStart(2, '0')}` : code <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
  });
}

/**
 * escapeTerminal for text that begins a line of output (a user rule's control id in the
 * compliance view, a line of an internal error's message): the GitHub Actions runner runs a line
 * that starts with `::` (after the white space .NET trims, U+00A0 and U+3000 among it) as a
 * workflow command, so a control `::error file=README.md,line=1::...` would forge an annotation
 * in the log of a step that prints it. Such a colon is written `\x3a`, as `\x5b` is for the `[`
 * of `##[`.
 */
export function escapeLineStart(s: string): string {
  return escapeTerminal(s).replace(/^(\s*):/, '$1\\x3a');
}

/**
 * What a JSON text may not carry raw (see jsonWithoutCommands): in a string, the characters
 * escapeTerminal makes visible that JSON.stringify leaves raw (it escapes C0 controls and lone
 * surrogates itself): DEL, the C1 controls, the line and paragraph separators, the bidi and
 * invisible characters, those past U+FFFF among them (the tag characters, the variation
 * selectors U+E0100-E01EF: a surrogate pair here, with no `u` flag, so a `\uXXXX` escape is
 * written per UTF-16 unit, as JSON spells a character past U+FFFF). And `##[`.
 */
// eslint-disable-next-line no-misleading-character-class -- each combining mark (U+034F, a variation selector) is matched alone, on purpose
const JSON_UNSAFE = new RegExp(`[${INVISIBLE_CLASS}]|${INVISIBLE_ASTRAL_UNITS}|##\\[`, 'g');

/**
 * JSON text (a JSON or SARIF report, a snapshot, a listing, any of which may be printed to a
 * terminal or a log) in which a string holds none of JSON_UNSAFE raw: each such character is
 * written as its `\uXXXX` escape, and `##[` as `##\u005b`. The same string to every JSON reader;
 * but printed, a C1 control (U+009B is CSI) cannot move the cursor, a bidi override cannot reorder
 * the line, U+2028 or U+0085 cannot split a result's line for a reader that breaks lines there,
 * and `##[` is never a workflow command to the Actions runner. These characters can only occur
 * inside a string value or key in JSON.stringify's output, where an escape is valid.
 */
export function jsonWithoutCommands(json: string): string {
  JSON_UNSAFE.lastIndex = 0;
  if (!JSON_UNSAFE.test(json)) return json;
  return json.replace(JSON_UNSAFE, (c) => (c === '##[' ? '##\\u005b' : Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')));
}
