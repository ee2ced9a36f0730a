/**
 * Escaping untrusted text (trail names, policies, AWS error messages) for a terminal or a CI
 * log: nothing in the data may move the cursor, change colours, forge a line or reorder text.
 */

// C0 controls, DEL, C1 controls (ESC and CSI among them), line and paragraph separators.
// Every Bidi_Control character, which can make text read differently than it is (trojan
// source): U+061C, U+200E, U+200F, the embeddings and overrides U+202A-202E, the isolates
// U+2066-2069. The invisible format characters with which two different names print alike
// (`prod` and `pro<ZWSP>d`): U+00AD, U+180E, U+200B-200D, U+2060-2064, U+FEFF, and the tag
// characters U+E0000-E007F (astral, hence the `u` flag). And a lone surrogate (U+D800-DFFF
// not in a pair: with the `u` flag a pair is one code point beyond U+FFFF, so only lone ones
// match), which an encoder would print as U+FFFD, alike for every lone surrogate and for U+FFFD.
// Also the `[` of `##[`: the GitHub Actions runner reads `##[command]data` anywhere in a line of
// a step's output as a workflow command (its older syntax, still accepted), so a trail named
// `x##[error]...` would forge an annotation in any log a report is printed to.
// eslint-disable-next-line no-control-regex -- matching control characters is this file's purpose
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ud800-\udfff\ufeff\u{e0000}-\u{e007f}]|(?<=##)\[/gu;

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

/** The runner's older workflow-command prefix (see UNSAFE). */
const COMMAND_PREFIX = '##[';

/**
 * JSON text (a JSON or SARIF report, which may be printed to a log) with `##[` written as
 * `##\u005b`: the same string to every JSON reader, and never a workflow command to the runner.
 * `##[` can only occur inside a string value in these reports, where `\u005b` is a valid escape.
 */
export function jsonWithoutCommands(json: string): string {
  return json.includes(COMMAND_PREFIX) ? json.replaceAll(COMMAND_PREFIX, '##\\u005b') : json;
}
