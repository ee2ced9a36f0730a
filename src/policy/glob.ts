/**
 * Matching a value against a policy string whose variables are resolved: text, `*` (any run of
 * characters) and `?` (one character), in time linear in the value and the pattern for `*` and
 * text, without regular expressions.
 */

/** A wildcard that matches any run of characters, the empty run included. */
export const STAR = 0;
/** A wildcard that matches exactly one character. */
export const QMARK = 1;

/** A piece once variables are resolved. */
export type Resolved = string | typeof STAR | typeof QMARK;

/**
 * Whether `value` matches the resolved pieces. The pieces between two `*` (a segment: text and
 * `?`) are taken at their first place after the segment before them, which is complete for `*`,
 * `?` and text; the first segment is held to the start and the last to the end. A segment of text
 * alone is found with indexOf, so a pattern of `*` and text costs time linear in the value and
 * the pattern, where backtracking to the last `*` and comparing again from each place cost their
 * product (`*` then 64,000 `a`s and a `b`, against a trail name of 128,000 `a`s: 14 s).
 */
export function matchPieces(pieces: readonly Resolved[], value: string): boolean {
  const n = pieces.length;
  const firstStar = pieces.indexOf(STAR);
  if (firstStar === -1) return segmentLength(pieces, 0, n) === value.length && segmentAt(pieces, 0, n, value, 0);
  const lastStar = pieces.lastIndexOf(STAR);
  const headLength = segmentLength(pieces, 0, firstStar);
  const tailLength = segmentLength(pieces, lastStar + 1, n);
  if (headLength + tailLength > value.length) return false;
  const end = value.length - tailLength;
  if (!segmentAt(pieces, 0, firstStar, value, 0) || !segmentAt(pieces, lastStar + 1, n, value, end)) return false;
  let at = headLength;
  for (let p = firstStar + 1; p < lastStar; p++) {
    if (pieces[p] === STAR) continue;
    let q = p + 1;
    while (pieces[q] !== STAR) q++;
    const found = findSegment(pieces, p, q, value, at, end);
    if (found < 0) return false;
    at = found + segmentLength(pieces, p, q);
    p = q;
  }
  return true;
}

/** How many characters the pieces from `from` to `to` (no `*` among them) match. */
function segmentLength(pieces: readonly Resolved[], from: number, to: number): number {
  let length = 0;
  for (let k = from; k < to; k++) {
    const piece = pieces[k]!;
    length += typeof piece === 'string' ? piece.length : 1;
  }
  return length;
}

/** Whether the pieces from `from` to `to` (text and `?`) match `value` at `at`. */
function segmentAt(pieces: readonly Resolved[], from: number, to: number, value: string, at: number): boolean {
  let i = at;
  for (let k = from; k < to; k++) {
    const piece = pieces[k]!;
    if (typeof piece === 'string') {
      if (!value.startsWith(piece, i)) return false;
      i += piece.length;
    } else if (i++ >= value.length) return false;
  }
  return true;
}

/**
 * The first place at or after `start` where the pieces from `from` to `to` (text and `?`) match
 * and end by `end`; -1 when there is none. Text alone is one indexOf; with `?`, the places where
 * its longest text stands are tried, each checked in full (so a long segment with a `?` in the
 * middle of a pattern can still cost the value's length times its own).
 */
function findSegment(pieces: readonly Resolved[], from: number, to: number, value: string, start: number, end: number): number {
  const last = end - segmentLength(pieces, from, to);
  if (start > last) return -1;
  let longest = -1;
  let offset = 0;
  let longestOffset = 0;
  let wildcard = false;
  for (let k = from; k < to; k++) {
    const piece = pieces[k]!;
    if (typeof piece !== 'string') {
      wildcard = true;
      offset++;
      continue;
    }
    if (longest === -1 || piece.length > (pieces[longest] as string).length) {
      longest = k;
      longestOffset = offset;
    }
    offset += piece.length;
  }
  if (longest === -1) return start;
  if (!wildcard) {
    // Text alone (several pieces once variables are resolved beside text): one search for all of it.
    const text = to - from === 1 ? (pieces[from] as string) : (pieces.slice(from, to) as string[]).join('');
    const found = value.indexOf(text, start);
    return found !== -1 && found <= last ? found : -1;
  }
  const anchor = pieces[longest] as string;
  for (let at = start; at <= last; at++) {
    const found = value.indexOf(anchor, at + longestOffset);
    if (found === -1 || found - longestOffset > last) return -1;
    at = found - longestOffset;
    if (segmentAt(pieces, from, to, value, at)) return at;
  }
  return -1;
}
