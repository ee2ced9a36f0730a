/**
 * The fold behind a repeatable flag (`--skip`, `--rules`, `--snapshot`, `--format`, `--region`,
 * `--accounts`), and behind the config's lists, which are folded through the same parsers one
 * value at a time. Copying the list for each value made N values cost N²/2 element copies
 * (40,000 `--skip` flags, or a config's `accounts` of 40,000 ids: 7 s; 80,000 `skip` entries:
 * 33 s). The empty list the option starts from is its default, shared by every parse, so it is
 * never written to: the first value starts a list of its own, and later values are added to it.
 */
export function appendValues<T>(previous: T[], values: readonly T[]): T[] {
  const out = previous.length === 0 ? [] : previous;
  // One at a time: push(...values) would put 100,000 values from one comma list on the stack.
  for (const v of values) out.push(v);
  return out;
}
