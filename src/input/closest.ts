/** "Did you mean ...?": the known names a misspelt one is nearest to, for messages about input. */

/**
 * The known names a written one is closest to: the one that differs only in case, else those
 * within two edits (ignoring case) that keep at least half of it, the nearest first. None when the
 * name is far from all of them: two edits rewrite `x0` whole, and it is no typo of `id`.
 */
export function closest(written: string, known: readonly string[]): string[] {
  const w = written.toLowerCase();
  const sameCase = known.filter((k) => k.toLowerCase() === w);
  if (sameCase.length > 0) return sameCase;
  let best = 3;
  let out: string[] = [];
  for (const k of known) {
    const d = editDistance(w, k.toLowerCase(), 3);
    if (2 * d > w.length) continue;
    if (d < best) [best, out] = [d, [k]];
    else if (d === best && d < 3) out.push(k);
  }
  return out;
}

/**
 * Edits (insertions, deletions, substitutions, swaps of two neighbours) from a to b, or `limit`
 * when it is at least that many.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    // prev and row hold b.length + 1 distances, prev2 too once i > 1: every index below is in range.
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin >= limit) return limit;
    [prev2, prev] = [prev, row];
  }
  return Math.min(prev[b.length]!, limit);
}
