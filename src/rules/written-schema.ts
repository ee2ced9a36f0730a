/**
 * Where a part of a condition's schema is written in the rule file (a JSON pointer, and the
 * parameter it came from), and what a problem found there says: shared by the checks of a
 * condition's schema (condition-schema.ts, vacuous-schema.ts, mistyped-schema.ts) and by
 * compiling a rule (compile-rule.ts), which says where each condition is written.
 */
import { escapePointerSegment } from '../input/document.ts';
import { isObject } from './check.ts';

/** Where a part of a condition's schema is written in the rule file: a pointer, and the parameter it came from, if any. */
export interface Written {
  node: unknown;
  pointer: string;
  param?: string;
}

/** Something a condition says that cannot be meant, and where: the value, or the key when `atKey`. */
export interface Problem {
  pointer: string;
  message: string;
  atKey?: boolean;
}

/** A `{ $param: NAME }` in a rule file. */
function paramRef(node: unknown): string | undefined {
  return isObject(node) && Object.keys(node).length === 1 && typeof node.$param === 'string' ? node.$param : undefined;
}

/** One step into a written schema; inside a parameter's value nothing more is written, so the pointer stays at the parameter. */
export function down(w: Written, key: string | number): Written {
  if (w.param !== undefined) return w;
  const node = isObject(w.node) || Array.isArray(w.node) ? (w.node as Record<string, unknown>)[key] : undefined;
  const pointer = `${w.pointer}/${escapePointerSegment(String(key))}`;
  const param = paramRef(node);
  return param === undefined ? { node, pointer } : { node: undefined, pointer, param };
}

/** A message about a value that came from a parameter says so. */
export function withOrigin(message: string, w: Written, fromConfig: (param: string) => boolean): string {
  return w.param === undefined ? message : `${message} (from parameter "${w.param}"${fromConfig(w.param) ? ', as the config file sets it' : ''})`;
}
