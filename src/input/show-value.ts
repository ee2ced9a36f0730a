/**
 * Values read from an input, shown in a message: as JSON, cut short. The value may be megabytes
 * long or nest thousands of levels deep (JSON.stringify runs out of stack on 5,000 levels, which a
 * JSON inventory may hold in any field AWS shapes leave open), so only what is shown is written.
 */

/** A short rendering of a value for messages: its JSON, cut short past 80 characters. */
export function showValue(value: unknown): string {
  const s = jsonPrefix(value, 81) ?? String(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * The first `limit` characters (or more) of what JSON.stringify writes for a value read from JSON
 * or YAML, or undefined where it writes nothing: without recursion, and no further than needed.
 */
function jsonPrefix(value: unknown, limit: number): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  let out = '';
  // What is still to write, last first: a value, or the text that closes a list or object.
  const todo: Array<{ value: unknown } | string> = [{ value }];
  while (todo.length > 0 && out.length < limit) {
    const next = todo.pop()!;
    if (typeof next === 'string') {
      out += next;
      continue;
    }
    const v = next.value;
    if (v === null || typeof v !== 'object') {
      out += JSON.stringify(v) ?? 'null';
    } else if (Array.isArray(v)) {
      out += '[';
      todo.push(']');
      for (let i = v.length - 1; i >= 0; i--) {
        todo.push({ value: v[i] });
        if (i > 0) todo.push(',');
      }
    } else {
      out += '{';
      todo.push('}');
      const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol');
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, value] = entries[i]!;
        todo.push({ value });
        todo.push(`${JSON.stringify(key)}:`);
        if (i > 0) todo.push(',');
      }
    }
  }
  return out;
}
