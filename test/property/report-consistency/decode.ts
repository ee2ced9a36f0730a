/**
 * Decoding the reports, written from the documents (README.md, shared/design/reports.md) rather
 * than from src/report.
 *
 * Text and annotations are UTF-8 files, where an unpaired surrogate can only be U+FFFD; JSON and
 * SARIF keep it as an escape, and JUnit removes it, as README says.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reports are read back as plain JSON
export type Any = any;

/** Removes what XML 1.0's Char production excludes: controls but tab, LF, CR; U+FFFE, U+FFFF; unpaired surrogates. */
export function xmlCarriable(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i] + s[i + 1];
      i++;
    } else if (c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd)) out += s[i];
  }
  return out;
}

/**
 * Characters a terminal or the Actions log would act on, or that hide what a name is (README):
 * C0, DEL, C1, line/paragraph separators, Bidi_Control characters, the invisible format
 * characters (soft hyphen, zero-width space and joiners, word joiner, invisible operators,
 * BOM), the tag characters, and lone surrogates (with the `u` flag a pair is one code point
 * beyond U+FFFF, so only lone ones match), which would otherwise print as U+FFFD.
 */
// eslint-disable-next-line no-control-regex, no-misleading-character-class -- the characters under test
export const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\u3164\ud800-\udfff\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\ufffe\uffff\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0000}-\u{e0fff}]/u;

/** The README's visible escapes for those characters (`\x1b`, `\u202e`, `\u{e0041}`, `\n`...), and `\\` for a backslash. */
export function visible(s: string): string {
  return [...s]
    .map((c) => {
      if (c === '\\') return '\\\\';
      if (!ACTIVE.test(c)) return c;
      if (c === '\n') return '\\n';
      if (c === '\r') return '\\r';
      if (c === '\t') return '\\t';
      const code = c.codePointAt(0)!;
      if (code > 0xffff) return `\\u{${code.toString(16)}}`;
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
    .join('')
    // README: the `[` of `##[` (the runner's older workflow-command prefix) is shown as `\x5b` too.
    .replaceAll('##[', '##\\x5b');
}

/** What a UTF-8 file holds of a string: an unpaired surrogate cannot be encoded and becomes U+FFFD. */
export function utf8(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Undoes the text report's escaping, where a backslash is itself escaped, so the decoding is exact. */
export function unescapeTerminal(s: string): string {
  return s.replace(/\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4}|u\{[0-9a-f]+\})/g, (_, e: string) =>
    e === '\\' ? '\\' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : String.fromCodePoint(parseInt(e.replace(/^[xu]\{?|\}$/g, ''), 16)),
  );
}

/**
 * What a SARIF viewer shows of a plain text message with no arguments (SARIF 2.1.0 §3.11.5): `{{`
 * as `{` and `}}` as `}`. README: `](` is written `]\(`, so no embedded link (§3.11.6) can form;
 * `linkless` gives the text a message holds with that change.
 */
export function sarifShown(text: string): string {
  return text.replace(/\{\{|\}\}/g, (pair) => pair[0]);
}

export function linkless(text: string): string {
  return text.replaceAll('](', ']\\(');
}

/** Undoes a workflow command's escaping: `%25`, `%0D`, `%0A` in data; `%3A` and `%2C` too in properties. */
export function unescapeCommand(s: string, property: boolean): string {
  return s.replace(property ? /%(25|0D|0A|3A|2C)/g : /%(25|0D|0A)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export function subjectKeyOf(r: Any): string {
  if (r.scope === 'trail') return r.resource;
  if (r.scope === 'region') return `${r.accountId}/${r.region}`;
  return r.accountId;
}

export const SEVERITY_RANK: Record<string, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
export const LEVEL: Record<string, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
export const ANNOTATION: Record<string, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' };
/** GitHub's security-severity bands: > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. */
export const BAND: Record<string, [number, number]> = { critical: [9.1, 10], high: [7, 8.9], medium: [4, 6.9], low: [0.1, 3.9], info: [0.1, 3.9] };

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The exit code README's table gives: 1 for an open violation at or above --fail-on, else 3 for an open error, else 0. */
export function expectedExit(results: Any[], failOn: string): number {
  const open = results.filter((r) => r.suppression === undefined);
  if (failOn !== 'never' && open.some((r) => r.status === 'fail' && SEVERITY_RANK[r.severity] >= SEVERITY_RANK[failOn])) return 1;
  return open.some((r) => r.status === 'error') ? 3 : 0;
}

/** `reason (owner O, expires D)`, as README's Suppressions section writes a suppression. */
export function suppressionText(s: Any): string {
  const details = [s.owner !== undefined ? `owner ${s.owner}` : '', s.expires !== undefined ? `expires ${s.expires}` : ''].filter(Boolean);
  return details.length > 0 ? `${s.reason} (${details.join(', ')})` : s.reason;
}
