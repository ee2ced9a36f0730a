/**
 * A rule's parameters: their values (defaults, then the config file's), the part of a check a
 * parameter brings in, and which config value to blame when a rule fails to compile with them.
 */
import type { Ajv } from 'ajv';
import { ConfigParameterError, InputError } from '../errors.ts';
import type { ParsedDocument } from '../input/document.ts';
import { createCheckAjv, substituteParams, UnknownParamError } from './compile-check.ts';
import type { CompiledRule } from './compiled.ts';
import type { ParameterSpec } from './types.ts';

/**
 * Compiles a rule with the config file's parameter values; when that fails, finds out whether a
 * value from the config is the cause, by compiling again, each time with an Ajv of its own (a
 * failed attempt keeps the schemas it added, and one with an $id would be refused as "already
 * exists"). With the rule's own defaults failing too, the mistake is the rule file's, said as the
 * defaults give it. Otherwise the value to fix is one that alone gives the same refusal, else one
 * without which the rule compiles (two values may be wrong only together: min above max): a
 * ConfigParameterError, which config/apply.ts shows at that value. When none is, the refusal
 * stands as it is. (A message saying a parameter took part is no proof it is the cause.)
 */
export function fromConfigParameter(
  doc: ParsedDocument,
  params: Record<string, Record<string, unknown>>,
  compileWith: (params: Record<string, Record<string, unknown>>, ajv?: () => Ajv) => CompiledRule,
): CompiledRule {
  try {
    return compileWith(params);
  } catch (e) {
    const id = (doc.value as { id?: unknown }).id;
    if (!(e instanceof InputError) || typeof id !== 'string' || !Object.hasOwn(params, id)) throw e;
    // Refused without a place in the rule file (an unknown name, a value of the wrong type): the
    // config's locator places it, at the first such value as the file gives them.
    if (e.position === undefined) throw e;
    const others = Object.fromEntries(Object.entries(params).filter(([k]) => k !== id));
    const given = params[id]!;
    const refusal = (values: Record<string, unknown>): InputError | undefined => {
      try {
        compileWith({ ...others, [id]: values }, createCheckAjv());
        return undefined;
      } catch (err) {
        if (err instanceof InputError) return err;
        throw err;
      }
    };
    const own = refusal({});
    if (own !== undefined) throw own;
    // In the order the rule declares its parameters, not the config's: the same values, the same answer.
    const declared = Object.keys((doc.value as { parameters?: Record<string, unknown> }).parameters ?? {});
    // (A name the rule does not declare last, in the config's order: the full compile met the declared ones first.)
    const rank = (n: string) => (declared.includes(n) ? declared.indexOf(n) : declared.length);
    const names = Object.keys(given).sort((a, b) => rank(a) - rank(b));
    // The same refusal at the same place, whichever parameters the message says took part.
    const words = (m: string) => m.replace(/ \((?:with|from) parameter [^)]*as the config file sets it\)/g, '');
    const same = (r: InputError) => words(r.message) === words(e.message) && r.position?.pointer === e.position?.pointer;
    const alone = new Map(names.map((name) => [name, refusal({ [name]: given[name] })]));
    for (const [name, r] of alone) {
      // Refused without a place in the rule file (an unknown name, a value of the wrong type): the config's locator places those.
      if (r !== undefined && r.position === undefined) throw r;
      if (r !== undefined && same(r)) throw new ConfigParameterError(r.message, r.position, id, name);
    }
    // The rule compiles with its defaults: the config is at fault. A value that fails on its own
    // is one to fix, though the run met another refusal first (two mistakes, say).
    for (const [name, r] of alone) if (r !== undefined) throw new ConfigParameterError(r.message, r.position, id, name);
    // Values wrong only together (min above max): each one without which the rule compiles.
    const together = names.filter((name) => refusal(Object.fromEntries(names.filter((n) => n !== name).map((n) => [n, given[n]]))) === undefined);
    if (together.length > 0 && e.position !== undefined) {
      const others = together.slice(1).map((n) => `"${n}"`);
      const also = others.length === 0 ? '' : ` (with ${others.join(' and ')}, as the config file sets ${others.length === 1 ? 'it' : 'them'})`;
      throw new ConfigParameterError(`${e.message}${also}`, e.position, id, together[0]!);
    }
    throw e;
  }
}

export function substituteOrFail(v: unknown, params: Record<string, unknown>, pointer: string, fail: (p: string, m: string) => never): unknown {
  try {
    return substituteParams(v, params);
  } catch (e) {
    if (!(e instanceof UnknownParamError)) throw e;
    return fail(`${pointer}${e.pointer}`, e.message);
  }
}

export function resolveParams(
  id: string,
  specs: Record<string, ParameterSpec>,
  overrides: Record<string, unknown>,
  fail: (pointer: string, message: string) => never,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (!fitsType(spec.default, spec)) fail(`/parameters/${name}/default`, `the default does not fit type ${spec.type}${spec.minimum !== undefined ? ` >= ${spec.minimum}` : ''}`);
    out[name] = spec.default;
  }
  for (const [name, value] of Object.entries(overrides)) {
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    // The rule's id is in the message: the config file's locator finds the entry by it, as the
    // same parameter name may be given for several rules.
    if (!spec) throw new InputError(`unknown parameter ${JSON.stringify(name)} for rule "${id}"; it takes ${Object.keys(specs).join(', ') || 'no parameters'}`);
    if (!fitsType(value, spec)) throw new InputError(`parameter ${JSON.stringify(name)} of rule "${id}" must be of type ${spec.type}${spec.minimum !== undefined ? ` >= ${spec.minimum}` : ''}, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
    out[name] = value;
  }
  return out;
}

function fitsType(v: unknown, spec: ParameterSpec): boolean {
  const okType =
    // A number is finite: YAML's .inf and .nan (and 1e400) are numbers to JavaScript, but no
    // JSON Schema bound, and a rule compiled with one would fail in its own file, not the config.
    spec.type === 'integer' ? Number.isInteger(v) : spec.type === 'number' ? Number.isFinite(v) : spec.type === 'array' ? Array.isArray(v) : typeof v === spec.type;
  return okType && (spec.minimum === undefined || (typeof v === 'number' && v >= spec.minimum));
}

/**
 * How much of `pointer` within `value` the rule file holds as written: down to a `{ $param: NAME }`
 * (whose value is given elsewhere; its name is returned), or to the last key that is there.
 */
export function writtenPart(value: unknown, pointer: string): { pointer: string; param?: string } {
  let node = value;
  let at = '';
  for (const raw of ['', ...pointer.split('/').slice(1)]) {
    if (raw !== '') {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return { pointer: at };
      node = (node as Record<string, unknown>)[segment];
      at += `/${raw}`;
    }
    const param = paramNames(node);
    if (param.length === 1 && node !== null && typeof node === 'object' && Object.hasOwn(node, '$param')) return { pointer: at, param: param[0] };
  }
  return { pointer: at };
}

/** The parameters a check's schema names with `{ $param: NAME }`. */
export function paramNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(paramNames);
  if (value === null || typeof value !== 'object') return [];
  const obj = value as Record<string, unknown>;
  if (Object.keys(obj).length === 1 && typeof obj.$param === 'string') return [obj.$param];
  return Object.values(obj).flatMap(paramNames);
}
