/**
 * The little XML the JUnit reporter needs. Hand-written because XML libraries tried here
 * emitted ill-formed documents when the data held control characters.
 */
import { INVISIBLE_ASTRAL_UNITS, INVISIBLE_CLASS } from './escape.ts';

/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls
 * other than tab, newline and carriage return; U+FFFE and U+FFFF; and unpaired surrogates
 * (the regex runs without the `u` flag so that it sees UTF-16 code units).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Characters XML allows but a terminal or a log must not receive raw (the report may be printed
 * to one): DEL, the C1 controls (U+009B is CSI), the line and paragraph separators, the bidi and
 * invisible characters, and those past U+FFFF (a surrogate pair: no `u` flag), as
 * escapeTerminal has them (the same lists). Each is written as a character reference, which
 * every XML reader reads back as the character.
 */
const SHOWN_AS_REFERENCE = new RegExp(`[${INVISIBLE_CLASS}]|${INVISIBLE_ASTRAL_UNITS}`, 'g');

// Anything that is forbidden, special, shown as a reference or a surrogate half.
const NEEDS_WORK = new RegExp(`[\\u0000-\\u001F&<>"'${INVISIBLE_CLASS}\\uFFFE\\uFFFF\\uD800-\\uDFFF]`);

/** Removes every character XML 1.0 forbids; what remains can be escaped and written. */
export function stripForbidden(s: string): string {
  return s.replace(FORBIDDEN, '');
}

/**
 * Makes a string safe as XML text or as an attribute value (double or single quoted).
 * Forbidden characters are removed, and those of SHOWN_AS_REFERENCE become character references.
 * Tab, newline and carriage return become character references in attributes, where a parser
 * would otherwise normalize them to spaces; in text only the carriage return does, since parsers
 * turn a literal one into a newline.
 */
export function xmlEscape(s: string, where: 'attribute' | 'text' = 'attribute'): string {
  if (!s.includes('##[') && !NEEDS_WORK.test(s)) return s;
  const special = where === 'attribute' ? /[&<>"'\t\n\r]/g : /[&<>"'\r]/g;
  let escaped = stripForbidden(s)
    .replace(special, (c) => ENTITIES[c]!)
    .replace(SHOWN_AS_REFERENCE, (c) => `&#x${c.codePointAt(0)!.toString(16)};`);
  // The GitHub Actions runner reads workflow commands in a step's output (`--format junit` on
  // standard output goes to its log): `##[command]` anywhere in a line, and `::command::` at the
  // start of one, after what .NET's TrimStart removes (any Unicode space). The `[`, or the colon
  // after a line break, is written as a reference, which every XML reader reads back unchanged.
  // Checked after stripping: `#`, a forbidden character and `#[` become `##[` once it is gone.
  if (escaped.includes('##[')) escaped = escaped.replaceAll('##[', '##&#91;');
  // Spaces other than a line break: with `\s`, each line break of a long run of them would start a
  // match that scans the whole run again (quadratic); the colon after the last one is found all the same.
  return where === 'text' && escaped.includes('\n') ? escaped.replace(/\n((?:[^\S\n]|\u0085)*):/g, (_, space: string) => `\n${space}&#58;`) : escaped;
}

/** Writes an element's start tag (or an empty element when `empty`) with escaped attributes in the given order. */
export function xmlTag(name: string, attributes: ReadonlyArray<readonly [string, string]>, empty = false): string {
  const attrs = attributes.map(([k, v]) => ` ${k}="${xmlEscape(v)}"`).join('');
  return `<${name}${attrs}${empty ? '/>' : '>'}`;
}
