/** Splitting an inventory into files, each a complete inventory of its own, to load in any order. */
import fc from 'fast-check';
import type { Inventory } from '../../../src/inventory/types.ts';
import { ACCOUNTS, BUCKETS, KEYS } from './generate.ts';

const SHARDS = 3;
const EARLIER = '2026-01-09T08:00:00Z';

interface Split {
  /** Per account of ACCOUNTS: its file (SHARDS is the log-archive file). */
  fileOf: number[];
  /** Per bucket and key: the files that hold it (the log-archive file unless given). */
  bucketsIn: number[][];
  keysIn: number[][];
  /**
   * Of a bucket or key held by two files, which copy holds each field (cycled through): both, the
   * first only or the second only. A shard holds what its reads got, and copies are united field by field.
   */
  fieldsIn: (0 | 1 | 2)[];
  /** For errors of accounts the inventory does not list. */
  strayErrorsIn: number[];
  /** Per file: collectedAt as collected, an earlier one, or none (one file keeps the real one). */
  clock: ('same' | 'earlier' | 'none')[];
  yaml: boolean[];
  order: number[];
  /** Where each account and each error goes within its file (concatenation keeps a file's own order, so vary it too). */
  rank: number[];
}

const FILES = SHARDS + 1;
const filesArb = fc.uniqueArray(fc.nat(SHARDS), { maxLength: 2 });
export const splitArb: fc.Arbitrary<Split> = fc.record({
  fileOf: fc.array(fc.nat(SHARDS), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
  bucketsIn: fc.array(filesArb, { minLength: BUCKETS.length, maxLength: BUCKETS.length }),
  keysIn: fc.array(filesArb, { minLength: KEYS.length, maxLength: KEYS.length }),
  fieldsIn: fc.array(fc.constantFrom(0 as const, 1 as const, 2 as const), { minLength: 7, maxLength: 7 }),
  strayErrorsIn: fc.array(fc.nat(SHARDS), { minLength: 4, maxLength: 4 }),
  clock: fc.array(fc.constantFrom('same' as const, 'earlier' as const, 'none' as const), { minLength: FILES, maxLength: FILES }),
  yaml: fc.array(fc.boolean(), { minLength: FILES, maxLength: FILES }),
  order: fc.shuffledSubarray([0, 1, 2, 3], { minLength: FILES, maxLength: FILES }),
  rank: fc.array(fc.nat(9), { minLength: 8, maxLength: 8 }),
});

/** The files a split makes of one inventory, each a complete inventory of its own. */
export function splitInventory(inv: Inventory, s: Split): Inventory[] {
  const files: Inventory[] = Array.from({ length: FILES }, () => ({ version: 1, accounts: [] }) as Inventory);
  const fileOfAccount = (id: string) => s.fileOf[ACCOUNTS.indexOf(id)];
  for (const a of inv.accounts) files[fileOfAccount(a.accountId)].accounts.push(a);
  for (const [kind, names, where] of [
    ['buckets', BUCKETS, s.bucketsIn],
    ['keys', KEYS, s.keysIn],
  ] as const) {
    names.forEach((name, i) => {
      const value = inv[kind]?.[name];
      if (value === undefined) return;
      const holders = where[i].length > 0 ? where[i] : [SHARDS];
      holders.forEach((f, copy) => {
        const fields = Object.entries(structuredClone(value)).filter((_, j) => holders.length === 1 || s.fieldsIn[(i + j) % s.fieldsIn.length] !== 2 - copy);
        ((files[f][kind] ??= {}) as Record<string, unknown>)[name] = Object.fromEntries(fields);
      });
    });
  }
  const listed = new Set(inv.accounts.map((a) => a.accountId));
  (inv.errors ?? []).forEach((e, i) => {
    const f = listed.has(e.accountId) ? fileOfAccount(e.accountId) : s.strayErrorsIn[i % s.strayErrorsIn.length];
    (files[f].errors ??= []).push(e);
  });
  const rankOf = (i: number) => s.rank[i % s.rank.length];
  const ranked = <T>(xs: T[], key: (x: T) => number) => xs.map((x, i) => ({ x, r: key(x) * 100 + i })).sort((a, b) => a.r - b.r).map((e) => e.x);
  const errorIndex = new Map((inv.errors ?? []).map((e, i) => [e, i]));
  for (const f of files) {
    f.accounts = ranked(f.accounts, (a) => rankOf(ACCOUNTS.indexOf(a.accountId)));
    if (f.errors) f.errors = ranked(f.errors, (e) => rankOf(errorIndex.get(e)! + 3));
  }
  if (inv.collectedAt !== undefined) {
    // A file's collectedAt dates the statuses it holds (README), so every file with accounts keeps
    // the inventory's; only files of buckets, keys or stray errors may say an earlier time, or none.
    s.clock.forEach((c, f) => {
      if (c === 'same' || f === s.order[0] || files[f].accounts.length > 0) files[f].collectedAt = inv.collectedAt;
      else if (c === 'earlier') files[f].collectedAt = EARLIER;
    });
  }
  return files;
}
