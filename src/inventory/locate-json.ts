/**
 * Source positions for JSON inventories without a second full parse.
 *
 * The `yaml` library gives positions for JSON too, but on a 50-100 MB inventory it costs about
 * ten times `JSON.parse`. SARIF only needs the line where an account, a trail entry or a region
 * name begins, so this is a single pass over the text that records exactly those values and
 * skips everything else: string bodies by `indexOf` (valid JSON has no raw line breaks inside
 * strings, so no line can be missed there), nested values by bracket counting.
 *
 * The text is assumed to have parsed with `JSON.parse` already; on anything else the scanner
 * stops early and answers what it found, never throws and never loops. The cursor it walks the
 * text with is json-scanner.ts's.
 */
import { LBRACE, LBRACKET, Scanner } from '../input/json-scanner.ts';
import type { SourceMap, SourcePosition } from './types.ts';

// The characters of a JSON pointer's array index: `/accounts/12/trails/0`.
const SLASH = 0x2f;
const DIGIT_0 = 0x30;

/** Account record layout in `PositionTable.accounts` (stride 5). */
const A_POS = 0;
const A_TRAILS = 1;
const A_TRAIL_COUNT = 2;
const A_REGIONS = 3;
const A_REGION_COUNT = 4;
const A_STRIDE = 5;

/**
 * Positions kept as numbers in typed arrays: 10,000 accounts x (17 regions + a few trails)
 * is a few hundred thousand entries, which as objects would cost tens of megabytes.
 */
class PositionTable {
  /** (line, column) pairs; an entry's index is its pair number. */
  pos = new Uint32Array(2048);
  size = 0;
  /** Per account: its entry, then first entry and count of its trails and of its regions. */
  accounts = new Int32Array(A_STRIDE * 256);
  accountCount = 0;
  root = -1;
  accountList = -1;
  /** First entry and count of the top-level `errors` list (an account known only from its errors points there). */
  errorsFirst = -1;
  errorCount = 0;

  add(line: number, column: number): number {
    if (2 * this.size + 2 > this.pos.length) this.pos = grow(this.pos);
    this.pos[2 * this.size] = line;
    this.pos[2 * this.size + 1] = column;
    return this.size++;
  }

  addAccount(entry: number): number {
    if (A_STRIDE * (this.accountCount + 1) > this.accounts.length) this.accounts = grow(this.accounts);
    const base = A_STRIDE * this.accountCount;
    this.accounts[base + A_POS] = entry;
    this.accounts[base + A_TRAILS] = -1;
    this.accounts[base + A_TRAIL_COUNT] = 0;
    this.accounts[base + A_REGIONS] = -1;
    this.accounts[base + A_REGION_COUNT] = 0;
    return this.accountCount++;
  }
}

function grow<T extends Uint32Array | Int32Array>(a: T): T {
  const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
  bigger.set(a);
  return bigger;
}

function scan(text: string, withErrors: boolean): PositionTable {
  const table = new PositionTable();
  const s = new Scanner(text);
  if (s.ws() !== LBRACE) return table;
  table.root = table.add(s.line, s.column);
  s.object((key) => {
    if (withErrors && key === 'errors' && s.text.charCodeAt(s.i) === LBRACKET) {
      // As for accounts, the last "errors" key is the one JSON.parse keeps.
      table.errorsFirst = table.size;
      table.errorCount = 0;
      s.array(() => {
        table.add(s.line, s.column);
        table.errorCount++;
        s.skipValue();
      });
      return;
    }
    if (key !== 'accounts' || s.text.charCodeAt(s.i) !== LBRACKET) {
      s.skipValue();
      return;
    }
    // JSON.parse keeps the last of duplicate keys, so a repeated "accounts" starts over.
    table.accountCount = 0;
    table.accountList = table.add(s.line, s.column);
    s.array(() => scanAccount(s, table));
    // The rest (buckets, keys: a quarter of a large inventory) only matters if it holds another
    // "accounts" key (or "errors", when asked for), which needs the literal name or a \u escape:
    // without either, stop here.
    const more = s.text.indexOf('accounts"', s.i) >= 0 || (withErrors && s.text.indexOf('errors"', s.i) >= 0) || s.text.indexOf('\\u', s.i) >= 0;
    if (!more) s.i = s.n;
  });
  return table;
}

function scanAccount(s: Scanner, table: PositionTable): void {
  const account = table.addAccount(table.add(s.line, s.column));
  if (s.text.charCodeAt(s.i) !== LBRACE) {
    s.skipValue();
    return;
  }
  const base = A_STRIDE * account;
  s.object((key) => {
    const list = key === 'trails' ? A_TRAILS : key === 'regions' ? A_REGIONS : -1;
    if (list < 0 || s.text.charCodeAt(s.i) !== LBRACKET) {
      s.skipValue();
      return;
    }
    table.accounts[base + list] = table.size;
    table.accounts[base + list + 1] = 0;
    // addAccount sized accounts for this account's A_STRIDE slots.
    s.array(() => {
      table.add(s.line, s.column);
      table.accounts[base + list + 1]!++;
      s.skipValue();
    });
  });
}

/**
 * The RFC 6901 array index spelled by `p` from `from` to `to` (digits, no sign, no leading zero),
 * or -1. By hand rather than split and regex: a large scan asks for half a million positions.
 */
function arrayIndex(p: string, from: number, to: number): number {
  const digits = to - from;
  if (digits < 1 || digits > 9 || (digits > 1 && p.charCodeAt(from) === DIGIT_0)) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = p.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

const ACCOUNTS = '/accounts';
const ERRORS = '/errors/';

class JsonSourceMap implements SourceMap {
  constructor(
    private readonly table: PositionTable,
    private readonly file: string,
  ) {}

  locate(pointer: string): SourcePosition | undefined {
    const t = this.table;
    if (pointer === '') return this.at(t.root);
    if (pointer.startsWith(ERRORS)) {
      const index = arrayIndex(pointer, ERRORS.length, pointer.length);
      return index < 0 || index >= t.errorCount ? undefined : this.at(t.errorsFirst + index);
    }
    if (!pointer.startsWith(ACCOUNTS)) return undefined;
    if (pointer.length === ACCOUNTS.length) return this.at(t.accountList);
    const from = ACCOUNTS.length + 1;
    if (pointer.charCodeAt(from - 1) !== SLASH) return undefined;
    const slash = pointer.indexOf('/', from);
    const account = arrayIndex(pointer, from, slash < 0 ? pointer.length : slash);
    if (account < 0 || account >= t.accountCount) return undefined;
    // account < accountCount: its A_STRIDE slots are in the table.
    const base = A_STRIDE * account;
    if (slash < 0) return this.at(t.accounts[base + A_POS]!);
    const trails = pointer.startsWith('/trails/', slash);
    if (!trails && !pointer.startsWith('/regions/', slash)) return undefined;
    const list = trails ? A_TRAILS : A_REGIONS;
    const index = arrayIndex(pointer, slash + (trails ? 8 : 9), pointer.length);
    if (index < 0 || index >= t.accounts[base + list + 1]!) return undefined;
    return this.at(t.accounts[base + list]! + index);
  }

  private at(entry: number): SourcePosition | undefined {
    // Every entry the table hands out (root, list, account or element) was added to pos.
    if (entry < 0) return undefined;
    return { file: this.file, line: this.table.pos[2 * entry]!, column: this.table.pos[2 * entry + 1]! };
  }
}

/**
 * Source map of a JSON inventory: positions of the document, `/accounts`, `/accounts/N`,
 * `/accounts/N/trails/M`, `/accounts/N/regions/K` and, `withErrors`, `/errors/N`, found in one
 * pass over `text`. Errors are asked for only when an account is known from its errors alone:
 * they usually come last, after the buckets and keys the scan otherwise never reads.
 */
export function jsonSourceMap(text: string, file: string, withErrors = false): SourceMap {
  return new JsonSourceMap(scan(text, withErrors), file);
}
