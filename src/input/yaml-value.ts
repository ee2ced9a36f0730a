/**
 * The plain value of a parsed YAML document, its aliases resolved in one walk with a map from
 * anchor to value. The parser's own conversion searched the document for each alias's anchor
 * (40,000 anchors each used once took 160 s), and held aliases to a budget per anchor that
 * refused an honest inventory whose accounts shared one `regions` list 100 times, yet let that
 * wide bomb through. Here what is bounded is what aliases cost: every later walk of the value
 * (validation, rules, reports) visits an aliased value once per alias, so the document is held to
 * the number of values it holds once every alias is expanded.
 */
import { isAlias, isMap, isScalar, isSeq, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

/** Values a document may expand to, whatever its size: far more than any honest sharing needs. */
export const MIN_EXPANDED_VALUES = 1_000_000;
/** How many times its written values a larger document may expand to. */
const EXPANSION_FACTOR = 10;

/** The expanded values allowed for a document that writes `written` values. */
export function expansionLimit(written: number): number {
  return Math.max(MIN_EXPANDED_VALUES, EXPANSION_FACTOR * written);
}

/** A problem found while resolving: what, and the offset of the alias it is at. */
export type Refuse = (message: string, offset: number) => never;

/** An anchored value, and how many values it holds expanded; `open` while it is being read. */
interface Anchored {
  value: unknown;
  size: number;
  open: boolean;
}

/** A list or mapping being read: its items are read one by one, without recursion. */
interface Frame {
  node: YAMLMap | YAMLSeq;
  value: Record<string, unknown> | unknown[];
  next: number;
  /** The key the item being read goes under, in a mapping. */
  key: string;
  size: number;
  anchored?: Anchored;
}

/**
 * The value JSON would hold for the document's contents, as the parser's `toJS` gives it: an
 * alias is the very value of the latest node before it that holds its anchor (shared, not
 * copied). Refuses through `refuse` an alias with no anchor before it, one inside the node its
 * anchor names (the value would be circular), and the alias at which the expanded document
 * passes `limit` values. Keys must already be known to be scalars (the parser refuses others).
 */
export function yamlValue(root: unknown, limit: number, refuse: Refuse): unknown {
  const anchors = new Map<string, Anchored>();
  const stack: Frame[] = [];
  let total = 0;

  /** A scalar or alias's value and size; a list or mapping gets a frame and is read later. */
  const enter = (node: unknown): { value: unknown; size: number } | undefined => {
    if (isAlias(node)) {
      const at = node.range?.[0] ?? 0;
      const target = anchors.get(node.source);
      if (target === undefined) refuse(`the alias *${node.source} names no anchor before it; an alias repeats a value marked &${node.source} earlier in the file (text that begins with *, such as a pattern, is quoted: "*${node.source}")`, at);
      if (target.open) refuse(`the alias *${node.source} stands inside the node its anchor names, so the document would never end`, at);
      total += target.size;
      if (total > limit) {
        refuse(`at the alias *${node.source} the document's aliases expand it past ${limit} values; aliases may repeat values, up to ${EXPANSION_FACTOR} times the values a document writes (${MIN_EXPANDED_VALUES} for a small one), not multiply them as an alias bomb does`, at);
      }
      return target;
    }
    total++;
    if (isMap(node) || isSeq(node)) {
      const frame: Frame = { node, value: isMap(node) ? {} : [], next: 0, key: '', size: 1 };
      // Registered before the items are read: an alias among them to this anchor is a cycle.
      if (node.anchor) {
        frame.anchored = { value: frame.value, size: 0, open: true };
        anchors.set(node.anchor, frame.anchored);
      }
      stack.push(frame);
      return undefined;
    }
    // An empty value (`a:`) is no node at all: null, as YAML reads it.
    const value = isScalar(node) ? node.value : null;
    // `012345678901` is the number 12345678901 to YAML 1.2 (and 012 the octal 10 to YAML 1.1):
    // the zeros are gone where a number is welcome too (a policy's aws:SourceAccount, a parameter),
    // and JSON has no such number to compare with. A tag (`!!int 012`) says a number is meant.
    if (typeof value === 'number' && isScalar(node) && node.type === 'PLAIN' && node.tag === undefined && LEADING_ZERO.test(node.source ?? '')) {
      const written = node.source ?? '';
      refuse(`${written} is read as the number ${String(value)}, without its leading zero: quote it ("${written}") if it is text, such as an account id, or write it without the zero if it is a number`, node.range?.[0] ?? 0);
    }
    if (isScalar(node) && node.anchor) anchors.set(node.anchor, { value, size: 1, open: false });
    return { value, size: 1 };
  };

  const top = enter(root);
  if (top !== undefined) return top.value;
  // enter() answered nothing, so it pushed the root's frame.
  const value = stack[0]!.value;
  let frame: Frame | undefined;
  while ((frame = stack[stack.length - 1]) !== undefined) {
    if (frame.next === frame.node.items.length) {
      stack.pop();
      if (frame.anchored) {
        frame.anchored.size = frame.size;
        frame.anchored.open = false;
      }
      const parent = stack[stack.length - 1];
      if (parent !== undefined) place(parent, frame.value, frame.size);
      continue;
    }
    let item: unknown = frame.node.items[frame.next++];
    if (isMap(frame.node)) {
      const pair = item as Pair;
      if (!isScalar(pair.key)) throw new Error('a mapping key that is no scalar reached yamlValue');
      // A key's anchor comes before its value in the text: `&k a: *k` names the key.
      if (pair.key.anchor) anchors.set(pair.key.anchor, { value: pair.key.value, size: 1, open: false });
      frame.key = String(pair.key.value);
      item = pair.value;
    }
    const done = enter(item);
    if (done !== undefined) place(frame, done.value, done.size);
  }
  return value;
}

/** A number written with a leading zero (`012`, `-007`, `00.5`), not `0`, `0.5` or `0x1F`. */
const LEADING_ZERO = /^[-+]?0\d/;

/** Puts a value read into the list or mapping of `frame`. */
function place(frame: Frame, value: unknown, size: number): void {
  frame.size += size;
  if (Array.isArray(frame.value)) frame.value.push(value);
  // `__proto__` must be an own key, as in JSON.parse, not the object's prototype.
  else if (frame.key === '__proto__') Object.defineProperty(frame.value, frame.key, { value, writable: true, enumerable: true, configurable: true });
  else frame.value[frame.key] = value;
}
