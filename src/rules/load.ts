/**
 * Loading rule files: parse (with positions), validate against the published rule schema, check
 * what a schema cannot (one assertion, known reads and built-ins, declared reads cover every
 * path, unique ids), and compile. Every problem is an InputError at file, line and column.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import ruleSchema from '../../schemas/rule.schema.json' with { type: 'json' };
import { ConfigParameterError, fileProblem, InputError, PathArgumentError } from '../errors.ts';
import type { Builtin } from '../engine/builtin-types.ts';
import { BUILTINS } from '../engine/builtins.ts';
import { loadCatalogue } from '../compliance/frameworks.ts';
import { KNOWN_READS } from '../engine/reads.ts';
import { parseYaml, escapePointerSegment, type ParsedDocument } from '../input/document.ts';
import { pickError } from '../input/schema-errors.ts';
import { compileCheck, createCheckAjv, isObject, readForPath, substituteParams, type CompiledCheck } from './check.ts';
import { PRECOMPILED } from './precompiled.ts';
import { closest } from '../input/closest.ts';
import { conditionProblem, down, vacuousCondition } from './condition-schema.ts';
import { malformedPlaceholder, PLACEHOLDER } from './template.ts';
import type { Assertion, CompiledRule } from './compiled.ts';
import type { CheckSpec, ConditionMessage, ParameterSpec, RuleBody, RuleMeta } from './types.ts';
import { decodeUtf8 } from '../input/utf8.ts';
import { readInputFile } from '../input/read-input.ts';


export interface LoadRulesOptions {
  /** Load the rules shipped in `rules/` (default true). */
  builtin?: boolean;
  /** Files or directories of user rules. */
  paths?: string[];
  /** Per rule id, parameter overrides (from the config file). */
  params?: Record<string, Record<string, unknown>>;
  /** Directory paths are shown relative to (default: process.cwd()). */
  cwd?: string;
  /**
   * Whether an id may be a rule of the sources the config file names that were not loaded (a
   * `--rules` flag replaced them): parameters for one of them are unused, not refused.
   */
  unloaded?: (id: string) => boolean;
}

const ASSERTIONS = ['check', 'some', 'every', 'none', 'count', 'builtin'] as const;

/** The folder of built-in rules: `rules/` beside the package.json above this module (bundled in lib/ or run from src/). */
export function builtinRulesDir(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules'))) return join(dir, 'rules');
    dir = dirname(dir);
  }
  throw new Error(`the built-in rules folder was not found above ${fileURLToPath(import.meta.url)}`);
}

/** Loads, validates and compiles rules. Throws InputError for any bad rule file. */
export function loadRules(options: LoadRulesOptions = {}): CompiledRule[] {
  const cwd = options.cwd ?? process.cwd();
  const files: { path: string; shown: string; builtin: boolean }[] = [];
  // A file named twice (`--rules r1 --rules r1/a.yaml`, or once through a link) is one rule file:
  // loaded once, where it is first named, not refused as a duplicate of itself.
  const named = new Set<string>();
  const add = (f: { path: string; shown: string; builtin: boolean }): void => {
    const real = realPath(f.path);
    if (named.has(real)) return;
    named.add(real);
    files.push(f);
  };
  if (options.builtin !== false) {
    const dir = builtinRulesDir();
    for (const f of builtinRuleFiles()) add(builtinFile(f, dir));
  }
  for (const [index, p] of (options.paths ?? []).entries()) {
    // Named as the reports name files: relative to the working directory.
    const shown = relative(cwd, p).split('\\').join('/') || p;
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      const missing = ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');
      throw new PathArgumentError(missing ? 'no such rule file or directory' : `cannot read the rules: ${fileProblem(e, 'a rule file or directory')}`, shown, '--rules', index);
    }
    const list = st.isDirectory() ? yamlFiles(p, shown) : [p];
    if (st.isDirectory() && list.length === 0) throw new PathArgumentError('the rules directory holds no .yaml or .yml file', shown, '--rules', index);
    for (const f of list) add({ path: f, shown: relative(cwd, f).split('\\').join('/') || f, builtin: false });
  }
  const validateRule = PRECOMPILED.rule ?? new Ajv({ strict: false, allErrors: true }).compile(ruleSchema);
  const checkAjv = createCheckAjv();
  const rules: CompiledRule[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    const doc = readRuleFile(f);
    // Before the rule schema, which refuses `Status.IsLogging: true` without saying what to write.
    const vacuous = vacuousCondition(doc.value);
    if (vacuous !== undefined) throw located(doc, f.shown, vacuous.pointer, vacuous.message);
    if (!validateRule(doc.value)) {
      const { pointer, message, atKey } = pickError(validateRule.errors ?? []);
      throw located(doc, f.shown, pointer, `invalid rule: ${message}`, atKey);
    }
    const rule = fromConfigParameter(doc, options.params ?? {}, (params, ajv) => compileRule(doc, f.shown, f.builtin, params, ajv ?? checkAjv));
    const other = seen.get(rule.meta.id);
    if (other !== undefined) throw located(doc, f.shown, '/id', `duplicate rule id "${rule.meta.id}": also defined in ${other}`);
    seen.set(rule.meta.id, f.shown);
    rules.push(rule);
  }
  // A built-in rule left out by --no-builtin-rules still exists: its parameters are unused, as
  // they are when --only leaves it out, not a mistake (the config serves full runs too). They are
  // checked as they are then, by compiling the rule with them and dropping it: the same config
  // must not pass a run of your own rules and stop a run that merely skips this one.
  let builtinById: Map<string, string> | undefined;
  for (const id of Object.keys(options.params ?? {})) {
    if (seen.has(id)) continue;
    builtinById ??= new Map(options.builtin === false ? builtinRuleFiles().map((f) => [builtinIdOf(f), f]) : []);
    const file = builtinById.get(id);
    if (file !== undefined) {
      const f = builtinFile(file, builtinRulesDir());
      const doc = readRuleFile(f);
      fromConfigParameter(doc, options.params ?? {}, (params, ajv) => compileRule(doc, f.shown, true, params, ajv ?? checkAjv));
      continue;
    }
    if (options.unloaded?.(id) === true) continue;
    const near = closest(id, [...new Set([...seen.keys(), ...builtinById.keys()])]);
    throw new InputError(`parameters are given for an unknown rule "${id}"${near.length > 0 ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''}`);
  }
  return rules.sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
}

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
function fromConfigParameter(
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
    const given = params[id];
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
      throw new ConfigParameterError(`${e.message}${also}`, e.position, id, together[0]);
    }
    throw e;
  }
}

/** A built-in rule file, named as reports name it (`rules/kms-encryption.yaml`). */
function builtinFile(path: string, dir: string): { path: string; shown: string; builtin: true } {
  return { path, shown: `rules/${relative(dir, path).split('\\').join('/')}`, builtin: true };
}

/**
 * The rule ids written in the rule files under `paths` (files or folders), without validating or
 * compiling them: a folder a `--rules` flag set aside may hold a broken rule on purpose. A path
 * that is not there holds no rule, nor does a file without an `id` key (an empty one, say). A
 * path or file that cannot be read or parsed, or whose id is not text, is in `unread`: some
 * rule may then exist whose id this run cannot know.
 */
export function ruleIdsIn(paths: readonly string[]): { ids: Set<string>; unread: { path: string; why: string }[] } {
  const ids = new Set<string>();
  const unread: { path: string; why: string }[] = [];
  for (const p of paths) {
    let files: string[];
    try {
      files = statSync(p).isDirectory() ? yamlFiles(p, p) : [p];
    } catch (e) {
      // A folder the reader has yet to make (the config may name one) holds no rule.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') unread.push({ path: p, why: fileProblem(e, 'a rules folder') });
      continue;
    }
    for (const f of files) {
      try {
        const text = readFileSync(f, 'utf8');
        if (text.trim() === '') continue;
        const value = parseYaml(text, f).value as { id?: unknown } | null;
        if (value === null || typeof value !== 'object' || !('id' in value)) continue;
        if (typeof value.id === 'string') ids.add(value.id);
        else unread.push({ path: f, why: 'its id is not text' });
      } catch (e) {
        unread.push({ path: f, why: e instanceof InputError ? 'it is not valid YAML' : fileProblem(e, 'a rule file') });
      }
    }
  }
  return { ids, unread };
}

/** The ids of the built-in rules, without compiling them (each file is named after its rule id). */
export function builtinRuleIds(): string[] {
  return builtinRuleFiles().map(builtinIdOf);
}

/** A built-in rule file's rule id: its name (a test holds every file to that). */
const builtinIdOf = (file: string): string => basename(file).replace(/\.ya?ml$/, '');

/** The built-in rule files; each is named after its rule id (a test holds every one to that). */
function builtinRuleFiles(): string[] {
  const dir = builtinRulesDir();
  return PRECOMPILED.builtinRules ? Object.keys(PRECOMPILED.builtinRules).map((n) => join(dir, n)) : yamlFiles(dir, 'rules');
}

/** A rule file parsed with positions; a built-in one comes already parsed from the bundle when it can. */
function readRuleFile(f: { path: string; shown: string; builtin: boolean }): ParsedDocument {
  const embedded = f.builtin ? PRECOMPILED.builtinRules?.[basename(f.path)] : undefined;
  if (embedded !== undefined) {
    // Validated when the bundle was built; should it fail now, the file itself gives positions.
    return { value: structuredClone(embedded), locate: (p) => parseYaml(readFileSync(f.path, 'utf8'), f.shown).locate(p) };
  }
  let bytes: Buffer;
  try {
    bytes = readInputFile(f.path, f.shown);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read the rule file: ${fileProblem(e, 'a rule file')}`, { file: f.shown });
  }
  // An editor does not show a BOM, so columns on line 1 are counted without it (as for config files and inventories).
  const text = decodeUtf8(bytes, f.shown);
  return parseYaml(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, f.shown);
}

/** A file's path with links resolved, to tell one file named two ways; as given when it cannot be resolved (reading it will say why). */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function yamlFiles(dir: string, shown: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new InputError(`cannot read the rules directory: ${fileProblem(e, 'a rules directory')}`, { file: shown });
  }
  return names
    // `B.YAML` is as much a rule file as `a.yaml`: dropping it silently would drop its rule.
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => join(dir, n));
}

function located(doc: ParsedDocument, file: string, pointer: string, message: string, key = false): InputError {
  const pos = doc.locate(pointer, key);
  return new InputError(message, { file, line: pos.line, column: pos.column, pointer });
}

/** A rule file as written, after schema validation. */
type RawRule = Omit<RuleMeta, 'tags' | 'references' | 'compliance' | 'source' | 'builtin'> &
  Omit<RuleBody, 'parameters'> & {
    tags?: string[];
    references?: string[];
    compliance?: Record<string, string[]>;
    parameters?: Record<string, ParameterSpec>;
  };

function compileRule(
  doc: ParsedDocument,
  file: string,
  builtin: boolean,
  overrides: Record<string, Record<string, unknown>>,
  ajv: () => Ajv,
): CompiledRule {
  const raw = doc.value as RawRule;
  const fail = (pointer: string, message: string): never => {
    throw located(doc, file, pointer, message);
  };
  const failAtKey = (pointer: string, message: string): never => {
    throw located(doc, file, pointer, message, true);
  };
  const present = ASSERTIONS.filter((k) => raw[k] !== undefined);
  if (present.length !== 1) {
    fail('', present.length === 0 ? `a rule needs one assertion: one of ${ASSERTIONS.join(', ')}` : `a rule has one assertion, found ${present.join(' and ')}`);
  }
  const kind = present[0];
  if (raw.scope === 'trail' && !['check', 'builtin'].includes(kind)) failAtKey(`/${kind}`, `a trail rule asserts with "check" or "builtin", not "${kind}"`);
  if (raw.scope !== 'trail' && ['check', 'builtin'].includes(kind)) failAtKey(`/${kind}`, `a ${raw.scope} rule quantifies over trails with some, every, none or count, not "${kind}"`);
  raw.reads.forEach((r, i) => {
    if (!KNOWN_READS.includes(r)) fail(`/reads/${i}`, `unknown read "${r}"; known reads: ${KNOWN_READS.join(', ')}`);
  });

  const params = resolveParams(raw.id, raw.parameters ?? {}, Object.hasOwn(overrides, raw.id) ? overrides[raw.id] : {}, fail);
  const declared = new Set(raw.reads);
  const fromConfig = (param: string): boolean => Object.hasOwn(overrides, raw.id) && Object.hasOwn(overrides[raw.id], param);
  const compile = (spec: CheckSpec | undefined, pointer: string): CompiledCheck | undefined => {
    if (spec === undefined) return undefined;
    let substituted: CheckSpec;
    try {
      substituted = substituteParams(spec, params) as CheckSpec;
    } catch (e) {
      return fail(pointer, (e as Error).message);
    }
    const check = compileCheck(substituted, ajv, (path, message, within) => {
      // A value the config file gave a parameter is not in this file: say where it came from.
      const configured = paramNames(spec[path]).filter(fromConfig);
      const origin = configured.length > 0 ? ` (with ${configured.map((n) => `parameter "${n}"`).join(' and ')} as the config file sets it)` : '';
      // The very keyword or pattern, deep in a schema of many lines, as far as it is written here:
      // a parameter's value is not, so the `{ $param: NAME }` that brings it in stands for it.
      const written = within === undefined ? { pointer: '' } : writtenPart(spec[path], within);
      const param = written.param !== undefined && configured.length === 0 ? ` (from parameter "${written.param}")` : '';
      return failAtKey(`${pointer}/${escapePointerSegment(path)}${written.pointer}`, message + origin + param);
    });
    for (const c of check.conjuncts) {
      const root = c.read.split('.')[0];
      const written = c.optional ? `${c.display}?` : c.display;
      if (!declared.has(c.read) && !declared.has(root)) {
        // Named as `reads` can list it: a read of trailgate's own making (Trail.organizationId) is declared as its root.
        const needed = KNOWN_READS.includes(c.read) ? c.read : root;
        failAtKey(`${pointer}/${escapePointerSegment(written)}`, `the path ${c.display} needs the read "${needed}", which "reads" does not declare`);
      }
      // An account id, a region or a trail's name is always text, IsLogging always a boolean: a
      // value of another type (an account id YAML read as a number, a quoted "true") never
      // equals it, and a schema that holds for every value (`true`, `{}`) or names a field that
      // is never there says nothing: the rule would skip or pass every subject without a word.
      const problem = conditionProblem(substituted[written], down({ node: spec, pointer }, written), c.display, c.path, fromConfig);
      if (problem !== undefined) (problem.atKey ? failAtKey : fail)(problem.pointer, problem.message);
    }
    return check;
  };

  let assertion: Assertion;
  let builtinDef: Builtin | undefined;
  if (kind === 'check') assertion = { kind, check: compile(raw.check, '/check')! };
  else if (kind === 'builtin') {
    const b = BUILTINS.get(raw.builtin!);
    if (!b) return fail('/builtin', `unknown built-in "${raw.builtin}"; known: ${[...BUILTINS.keys()].join(', ') || 'none'}`);
    for (const r of b.reads) if (!declared.has(r) && !declared.has(r.split('.')[0])) fail('/reads', `the built-in ${b.name} needs the read "${r}", which "reads" does not declare`);
    assertion = { kind, builtin: b };
    builtinDef = b;
  } else if (kind === 'count') {
    const c = raw.count!;
    const bound = (v: unknown, name: string): number | undefined => {
      if (v === undefined) return undefined;
      const n = substituteOrFail(v, params, `/count/${name}`, fail);
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return fail(`/count/${name}`, `${name} must be a whole number >= 0`);
      return n;
    };
    if (c.max === undefined && c.min === undefined) fail('/count', 'count needs max, min or both');
    const max = bound(c.max, 'max');
    const min = bound(c.min, 'min');
    // Such a rule could never pass: a typo (or a parameter set too low) would fail every region for ever.
    if (max !== undefined && min !== undefined && min > max) fail('/count/min', `min (${min}) is greater than max (${max}), so no count could pass`);
    assertion = { kind, where: compile(c.where, '/count/where'), max, min };
  } else {
    const q = raw[kind]!;
    assertion = { kind, where: compile(q.where, `/${kind}/where`), check: compile(q.check, `/${kind}/check`)! };
  }

  // The built-in rules' mappings are checked against the catalogues by the tests; a user's are checked here.
  if (!builtin) checkControls(raw.compliance ?? {}, fail);
  const meta: RuleMeta = {
    id: raw.id,
    title: raw.title,
    severity: raw.severity,
    scope: raw.scope,
    description: raw.description.trim(),
    remediation: { text: raw.remediation.text.trim(), ...(raw.remediation.cli ? { cli: trimmed(raw.remediation.cli) } : {}) },
    references: raw.references ?? [],
    compliance: raw.compliance ?? {},
    tags: raw.tags ?? [],
    source: file,
    builtin,
  };
  // Only a rule's own `where` skips with the rule's words: a built-in's skips are its own.
  if (raw.message?.skipped !== undefined && raw.where === undefined) {
    failAtKey('/message/skipped', 'a skipped message is never shown: only a rule with a "where" skips subjects; add the "where", or remove the message');
  }
  if (kind === 'builtin') {
    // A built-in words its own verdicts: a template here would be silently ignored.
    for (const use of ['pass', 'fail', 'reasons'] as const) {
      if (raw.message?.[use] !== undefined) failAtKey(`/message/${use}`, `a builtin rule words its own verdicts, so message.${use} would never be shown; only message.skipped (for its "where") applies`);
    }
  } else if (isObject(raw.message?.fail) && kind !== 'check') {
    // Only a `check` fails on one condition; a quantifier fails on trails.
    failAtKey('/message/fail', `a fail message per condition needs a "check" rule; ${kind === 'every' ? 'an' : 'a'} ${kind} rule takes one fail template`);
  }
  if (isObject(raw.remediation.cli) && kind !== 'check' && !builtinDef?.failures) {
    failAtKey(
      '/remediation/cli',
      builtinDef
        ? `the built-in ${builtinDef.name} names no kinds of failure, so its rule takes one command`
        : `a command per condition needs a "check" rule; ${kind === 'every' ? 'an' : 'a'} ${kind} rule takes one command`,
    );
  }
  const templates: [string, string | undefined, 'pass' | 'fail' | 'skipped' | 'cli'][] = [
    ['/message/pass', raw.message?.pass, 'pass'],
    ...(builtinDef
      ? failureTemplates(raw.remediation.cli, builtinDef, failAtKey)
      : conditionTemplates('/remediation/cli', raw.remediation.cli, raw.check, '"check"', 'cli', failAtKey)),
    ...conditionTemplates('/message/fail', raw.message?.fail, raw.check, '"check"', 'fail', failAtKey),
    ...conditionTemplates('/message/skipped', raw.message?.skipped, raw.where, '"where"', 'skipped', failAtKey),
  ];
  const reasons = raw.message?.reasons;
  if (reasons !== undefined) {
    // Trails are listed with the condition they miss only where a trail can fail to qualify: some, every.
    if (kind !== 'some' && kind !== 'every') {
      failAtKey('/message/reasons', `"reasons" word why a trail does not qualify in a some or every rule; ${kind === 'check' ? 'a check rule gives "fail" per condition instead' : `a ${kind} rule lists no reasons`}`);
    }
    // Rendered for one trail: placeholders are checked as a trail rule's are.
    for (const [pointer, template] of conditionTemplates('/message/reasons', reasons, raw[kind as 'some']?.check, `"${kind}" check`, 'fail', failAtKey)) {
      const problem = placeholderProblem(template, 'trail', params, kind, 'fail');
      if (problem) fail(pointer, problem);
    }
  }
  for (const [pointer, template, use] of templates) {
    if (template === undefined) continue;
    const problem = placeholderProblem(template, raw.scope, params, kind, use);
    if (problem) fail(pointer, problem);
  }
  if (raw.where !== undefined && raw.scope !== 'trail') {
    // A region or account rule's own `where` chooses subjects; trails are filtered inside some/every/none/count.
    const allowed = raw.scope === 'region' ? ['accountId', 'region'] : ['accountId'];
    for (const written of Object.keys(raw.where)) {
      if (!allowed.includes(written)) {
        failAtKey(
          `/where/${escapePointerSegment(written)}`,
          `in ${raw.scope === 'account' ? 'an' : 'a'} ${raw.scope} rule, "where" chooses ${raw.scope}s and may only name ${allowed.join(' or ')}; to filter trails, put the condition in ${kind}'s own "where"`,
        );
      }
    }
  }
  return { meta, reads: raw.reads, params, where: compile(raw.where, '/where'), assertion, message: raw.message };
}

/**
 * Refuses a control id that a framework trailgate has a catalogue for does not list: the view of
 * the framework would show it as a control of its own and count it in the framework's total. A
 * framework without a catalogue (the user's own, say) takes any id.
 */
function checkControls(compliance: Record<string, string[]>, fail: (pointer: string, message: string) => never): void {
  for (const [framework, ids] of Object.entries(compliance)) {
    const catalogue = loadCatalogue(framework);
    if (catalogue === undefined) continue;
    const known = catalogue.controls.map((c) => c.id);
    ids.forEach((id, i) => {
      if (known.includes(id)) return;
      const close = closest(id, known);
      const hint = close.length > 0 && close.length <= 3 ? `did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : `it lists ${known.join(', ')}`;
      fail(`/compliance/${escapePointerSegment(framework)}/${i}`, `"${id}" is not a control of ${framework} in trailgate's catalogue of its CloudTrail-related controls; ${hint}`);
    });
  }
}

/** A template, or each template of a per-condition map, without surrounding white space (YAML block scalars end in a newline). */
function trimmed(message: ConditionMessage): ConditionMessage {
  return typeof message === 'string' ? message.trim() : Object.fromEntries(Object.entries(message).map(([k, v]) => [k, v.trim()]));
}

function substituteOrFail(v: unknown, params: Record<string, unknown>, pointer: string, fail: (p: string, m: string) => never): unknown {
  try {
    return substituteParams(v, params);
  } catch (e) {
    return fail(pointer, (e as Error).message);
  }
}

function resolveParams(
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
function writtenPart(value: unknown, pointer: string): { pointer: string; param?: string } {
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
function paramNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(paramNames);
  if (value === null || typeof value !== 'object') return [];
  const obj = value as Record<string, unknown>;
  if (Object.keys(obj).length === 1 && typeof obj.$param === 'string') return [obj.$param];
  return Object.values(obj).flatMap(paramNames);
}

/**
 * The templates of a message that may be given per condition, each with its pointer; a key that
 * names no condition of `conditions` (as written there, with or without the `?`) is refused.
 */
function conditionTemplates<U extends 'fail' | 'skipped' | 'cli'>(
  pointer: string,
  message: ConditionMessage | undefined,
  conditions: CheckSpec | undefined,
  what: string,
  use: U,
  failAtKey: (pointer: string, message: string) => never,
): [string, string, U][] {
  if (message === undefined) return [];
  if (typeof message === 'string') return [[pointer, message, use]];
  const known = new Set(Object.keys(conditions ?? {}).map((k) => k.replace(/\?$/, '')));
  const seen = new Set<string>();
  return Object.entries(message).map(([key, template]) => {
    const at = `${pointer}/${escapePointerSegment(key)}`;
    const condition = key.replace(/\?$/, '');
    if (!known.has(condition)) failAtKey(at, `"${key}" is not a condition of this rule's ${what}; it has ${[...known].map((c) => `"${c}"`).join(', ')}`);
    // `X` and `X?` name one condition: the second template would never be used.
    if (seen.has(condition)) failAtKey(at, `"${key}" names the condition ${condition} a second time (with or without its "?")`);
    seen.add(condition);
    return [at, template, use];
  });
}

/**
 * A builtin rule's commands, each with its pointer: one for every failure, or one per kind of
 * failure the built-in names; a key that names none of them is refused.
 */
function failureTemplates(cli: ConditionMessage | undefined, b: Builtin, failAtKey: (pointer: string, message: string) => never): [string, string, 'cli'][] {
  if (cli === undefined) return [];
  if (typeof cli === 'string') return [['/remediation/cli', cli, 'cli']];
  const known = b.failures ?? {};
  return Object.entries(cli).map(([key, template]) => {
    const at = `/remediation/cli/${escapePointerSegment(key)}`;
    if (!Object.hasOwn(known, key)) {
      failAtKey(at, `"${key}" is not a kind of failure of the built-in ${b.name}; it names ${Object.keys(known).map((k) => `"${k}"`).join(', ')}`);
    }
    return [at, template, 'cli'];
  });
}

/** What a region or account rule's verdict adds to its message (engine/evaluate.ts fills these), by assertion and outcome. */
const VERDICT_FACTS: Record<string, { pass: string[]; fail: string[] }> = {
  some: { pass: ['trail'], fail: [] },
  every: { pass: [], fail: ['trails'] },
  none: { pass: [], fail: ['trails'] },
  count: { pass: ['count'], fail: ['count', 'trails'] },
};

/**
 * Why a message template's placeholder can never be filled, or undefined. A misspelt one
 * (`{param.mx}`, `{Trial.Name}`) would otherwise be printed as written in every report.
 */
function placeholderProblem(template: string, scope: RuleMeta['scope'], params: Record<string, unknown>, kind: string, use: 'pass' | 'fail' | 'skipped' | 'cli'): string | undefined {
  const malformed = malformedPlaceholder(template, Object.keys(params));
  if (malformed !== undefined) return malformed;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const parts = m[1].split('.');
    if (parts[0] === 'reason' && parts.length === 1) {
      // A reason is free text, with trail names and policy words in it: pasted into a command, it
      // could run something else. A command's placeholders are values trailgate can vouch for.
      if (use === 'cli') return 'the placeholder {reason} is never filled in a remediation command: a reason is free text, not safe to paste into a shell command; put it in a message template instead';
      continue;
    }
    if (parts[0] === 'param') {
      if (parts.length === 2 && Object.hasOwn(params, parts[1])) continue;
      const names = Object.keys(params);
      return `the placeholder {${m[1]}} names no parameter of this rule; it takes ${names.length > 0 ? names.map((n) => `{param.${n}}`).join(', ') : 'no parameters'}`;
    }
    if (scope === 'trail') {
      const r = readForPath(parts);
      if ('problem' in r) return `the placeholder {${m[1]}}: ${r.problem}`;
      continue;
    }
    const known = [...(scope === 'region' ? ['accountId', 'region'] : ['accountId']), ...(use === 'cli' || use === 'skipped' ? [] : (VERDICT_FACTS[kind]?.[use] ?? []))];
    if (parts.length !== 1 || !known.includes(parts[0])) {
      const where = use === 'cli' ? 'a remediation command' : `the ${use} message of ${kind === 'every' || kind === 'none' ? 'an' : 'a'} ${kind} rule`;
      return `the placeholder {${m[1]}} is never filled in ${where}; it may use ${[...known, ...(use === 'cli' ? [] : ['reason']), 'param.NAME'].map((k) => `{${k}}`).join(', ')}`;
    }
  }
  return undefined;
}
