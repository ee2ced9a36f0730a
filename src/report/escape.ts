/**
 * Escaping untrusted text (trail names, policies, AWS error messages) for a terminal or a CI
 * log: nothing in the data may move the cursor, change colours, forge a line or reorder text.
 */

// C0 controls, DEL, C1 controls (ESC and CSI among them), line and paragraph separators, and
// the bidirectional overrides that can make text read differently than it is (trojan source).
// Also the `[` of `##[`: the GitHub Actions runner reads `##[command]data` anywhere in a line of
// a step's output as a workflow command (its older syntax, still accepted), so a trail named
// `x##[error]...` would forge an annotation in any log a report is printed to.
// eslint-disable-next-line no-control-regex -- matching control characters is this file's purpose
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|(?<=##)\[/g;

/** Replaces every control or bidi character with a visible escape such as `\x1b` or `\u202e`, and `\` with `\\`. */
export function escapeTerminal(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\\') return '\\\\'; // so a literal "\x1b" in a name cannot pass for an escaped ESC
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// eslint-disable-next-line no-control-regex -- matching control characters is this function's purpose
const UNSAFE_NO_BACKSLASH = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|(?<=##)\[/g;

/**
 * Like escapeTerminal, but leaves backslashes alone: for text whose backslashes already mean
 * something (Markdown escapes added on purpose), where doubling them would undo that meaning.
 */
export function escapeControls(s: string): string {
  return s.replace(UNSAFE_NO_BACKSLASH, (c) => (c === '[' ? '\\x5b' : escapeTerminal(c)));
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
