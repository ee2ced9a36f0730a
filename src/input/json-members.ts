/**
 * Repeated keys in JSON. `JSON.parse` keeps the last of `{"a": 1, "a": 2}` without a word, while
 * a YAML inventory with the same mistake is refused; the same document must mean the same thing
 * either way. A second parser that tracks every object's keys would cost more than the parse, so
 * this counts instead: the members written in the text (strings followed by a colon) against the
 * members the parse kept. They differ exactly when some object repeats a key.
 */
import { stringEnd } from './json-scanner.ts';

/**
 * Object members written in `text`, which JSON.parse has accepted. In valid JSON a colon outside
 * strings follows a key and only a key (whitespace between), so: the strings followed by a colon.
 */
export function writtenMembers(text: string): number {
  let count = 0;
  let i = 0;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return count;
    let j = stringEnd(text, quote) + 1;
    let c = text.charCodeAt(j);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++j);
    if (c === 0x3a) count++;
    i = j;
  }
}

/** Object members in a parsed value, walked without recursion (the parse allows deep nesting). */
export function parsedMembers(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const item of v) if (item !== null && typeof item === 'object') stack.push(item);
      continue;
    }
    for (const k in v) {
      count++;
      const item = (v as Record<string, unknown>)[k];
      if (item !== null && typeof item === 'object') stack.push(item);
    }
  }
  return count;
}

/**
 * JSON text parsed, or why it cannot be read unambiguously: not JSON at all (`invalid`, with the
 * parser's reason), or valid but repeating a key within one object (`repeated`), which
 * JSON.parse would settle by keeping the last. For policies held as text (bucket and key policies).
 */
export function parseUnambiguous(text: string): { ok: true; value: unknown } | { ok: false; why: 'invalid'; reason: string } | { ok: false; why: 'repeated' } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, why: 'invalid', reason: (e as Error).message };
  }
  return writtenMembers(text) === parsedMembers(value) ? { ok: true, value } : { ok: false, why: 'repeated' };
}
