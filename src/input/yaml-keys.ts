/**
 * Repeated keys and key lookups in a parsed YAML document, each in time linear in the keys.
 * The parser can refuse repeated keys itself (`uniqueKeys`), but it compares each new key with
 * every earlier key of its mapping: a mapping of 20,000 buckets took 90 s, one of 100,000 keys
 * minutes. Here each mapping's keys go into a Map once.
 */
import { isMap, isPair, isScalar, isSeq, type Pair, type Scalar, type YAMLMap } from 'yaml';

/** What one walk of the document finds: the first repeated key, and how many values it writes. */
export interface DocumentShape {
  /** The first key (in text order) that repeats an earlier key of its mapping, after that earlier key. */
  repeated?: [first: Scalar, again: Scalar];
  /** Scalars, lists and mappings written (aliases not counted): the measure aliases are held to. */
  values: number;
}

/**
 * Walks the document once, without recursion (a deep document must not overflow the stack here
 * when the parser managed it). Keys compare as the parser's `uniqueKeys` compares them: scalars
 * with the same value, which with `stringKeys` is the text written (`1` and `"1"` are one key).
 */
export function documentShape(root: unknown): DocumentShape {
  const shape: DocumentShape = { values: 0 };
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      shape.values++;
      const seen = new Map<unknown, Scalar>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          const first = seen.get(key.value);
          if (first === undefined) seen.set(key.value, key);
          else if (shape.repeated === undefined || start(key) < start(shape.repeated[1])) shape.repeated = [first, key];
        } else pending.push(key);
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      shape.values++;
      for (const item of node.items) pending.push(item);
    } else if (isScalar(node)) shape.values++;
  }
  return shape;
}

function start(node: Scalar): number {
  return node.range?.[0] ?? 0;
}

/** Each mapping's pairs by key text, built the first time the mapping is looked into. */
const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();

/**
 * The pair of `map` whose key is `name`. A report locates every result in the document: a linear
 * search of a mapping per result cost results × keys. Keys are unique (repeats are refused), but
 * the first pair wins as a search would.
 */
export function pairNamed(map: YAMLMap, name: string): Pair | undefined {
  let index = indexes.get(map);
  if (index === undefined) {
    index = new Map();
    for (const pair of map.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (!index.has(key)) index.set(key, pair);
    }
    indexes.set(map, index);
  }
  return index.get(name);
}
