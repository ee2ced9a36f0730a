/**
 * Loading rule files: parse (with positions), validate against the published rule schema, check
 * what a schema cannot (one assertion, known reads and built-ins, declared reads cover every
 * path, unique ids), and compile. Every problem is an InputError at file, line and column.
 * Reading the files is files.ts's part; parameter values, parameters.ts's; message templates and
 * commands, message-templates.ts's.
 */
import { statSync } from 'node:fs';
import { Ajv } from 'ajv';
import ruleSchema from '../../schemas/rule.schema.json' with { type: 'json' };
import { fileProblem, InputError, PathArgumentError } from '../errors.ts';
import type { Builtin } from '../engine/builtin-types.ts';
import { BUILTINS } from '../engine/builtins.ts';
import { loadCatalogue } from '../compliance/frameworks.ts';
import { KNOWN_READS } from '../engine/reads.ts';
import { escapePointerSegment, type ParsedDocument } from '../input/document.ts';
import { relativePath } from '../input/display-path.ts';
import { pickError } from '../input/schema-errors.ts';
import { closest } from '../input/closest.ts';
import { isObject, type CompiledCheck } from './check.ts';
import { compileCheck, createCheckAjv, substituteParams, UnknownParamError } from './compile-check.ts';
import type { Assertion, CompiledRule } from './compiled.ts';
import { conditionProblem, down, vacuousCondition } from './condition-schema.ts';
import { builtinFile, builtinIdOf, builtinRuleFiles, builtinRulesDir, readRuleFile, realPath, yamlFiles } from './files.ts';
import { conditionTemplates, failureTemplates, placeholderProblem, trimmed } from './message-templates.ts';
import { fromConfigParameter, paramNames, resolveParams, substituteOrFail, writtenPart } from './parameters.ts';
import { PRECOMPILED } from './precompiled.ts';
import type { CheckSpec, ParameterSpec, RuleBody, RuleMeta } from './types.ts';

export interface LoadRulesOptions {
  /** Load the rules shipped in `rules/` (default true). */
  builtin?: boolean;
  /** Files or directories of user rules (absolute, as the CLI resolves them). */
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

/** A rule file to load: where it is, how reports name it, and whether it is one of trailgate's. */
interface RuleFile {
  path: string;
  shown: string;
  builtin: boolean;
}

/** Loads, validates and compiles rules. Throws InputError for any bad rule file. */
export function loadRules(options: LoadRulesOptions = {}): CompiledRule[] {
  const files = ruleFiles(options);
  const checkAjv = createCheckAjv();
  const rules = compileRuleFiles(files, options.params ?? {}, checkAjv);
  checkParamsOfRulesNotLoaded(options, new Set(rules.map((r) => r.meta.id)), checkAjv);
  return rules.sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
}

/** Every rule file the run loads, in order: the built-in ones (unless left out), then those of each --rules path. */
function ruleFiles(options: LoadRulesOptions): RuleFile[] {
  const cwd = options.cwd ?? process.cwd();
  const files: RuleFile[] = [];
  // A file named twice (`--rules r1 --rules r1/a.yaml`, or once through a link) is one rule file:
  // loaded once, where it is first named, not refused as a duplicate of itself.
  const named = new Set<string>();
  const add = (f: RuleFile): void => {
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
    for (const f of rulePathFiles(p, index, cwd)) add({ path: f, shown: relativePath(cwd, f), builtin: false });
  }
  return files;
}

/** The rule files one --rules path names: the file itself, or a directory's .yaml and .yml files. */
function rulePathFiles(p: string, index: number, cwd: string): string[] {
  // Named as the reports name files (relativePath: from the working directory, `/` for the
  // platform's separator, a backslash on POSIX kept as part of the name).
  const shown = relativePath(cwd, p);
  let st;
  try {
    st = statSync(p);
  } catch (e) {
    // ENOTDIR (`afile/x.yaml`) is said as the other flags say it: a part of the path is a file.
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new PathArgumentError(missing ? 'no such rule file or directory' : `cannot read the rules: ${fileProblem(e, 'a rule file or directory')}`, shown, '--rules', index);
  }
  const list = st.isDirectory() ? yamlFiles(p, shown) : [p];
  if (st.isDirectory() && list.length === 0) throw new PathArgumentError('the rules directory holds no .yaml or .yml file', shown, '--rules', index);
  return list;
}

/** Each rule file read, validated against the rule schema and compiled with its parameters; refused when two give one id. */
function compileRuleFiles(files: readonly RuleFile[], params: Record<string, Record<string, unknown>>, checkAjv: () => Ajv): CompiledRule[] {
  const validateRule = PRECOMPILED.rule ?? new Ajv({ strict: false, allErrors: true }).compile(ruleSchema);
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
    const rule = fromConfigParameter(doc, params, (overrides, ajv) => compileRule(doc, f.shown, f.builtin, overrides, ajv ?? checkAjv));
    const other = seen.get(rule.meta.id);
    if (other !== undefined) throw located(doc, f.shown, '/id', `duplicate rule id "${rule.meta.id}": also defined in ${other}`);
    seen.set(rule.meta.id, f.shown);
    rules.push(rule);
  }
  return rules;
}

/**
 * Checks the config file's parameters for rules that were not loaded (`loaded`: the ids of those
 * that were, in load order): a left-out built-in rule's are compiled with it, a rule of an
 * unloaded source's are let be, and any other id is refused as an unknown rule.
 */
function checkParamsOfRulesNotLoaded(options: LoadRulesOptions, loaded: ReadonlySet<string>, checkAjv: () => Ajv): void {
  const params = options.params ?? {};
  // A built-in rule left out by --no-builtin-rules still exists: its parameters are unused, as
  // they are when --only leaves it out, not a mistake (the config serves full runs too). They are
  // checked as they are then, by compiling the rule with them and dropping it: the same config
  // must not pass a run of your own rules and stop a run that merely skips this one.
  let builtinById: Map<string, string> | undefined;
  for (const id of Object.keys(params)) {
    if (loaded.has(id)) continue;
    builtinById ??= new Map(options.builtin === false ? builtinRuleFiles().map((f) => [builtinIdOf(f), f]) : []);
    const file = builtinById.get(id);
    if (file !== undefined) {
      const f = builtinFile(file, builtinRulesDir());
      const doc = readRuleFile(f);
      fromConfigParameter(doc, params, (overrides, ajv) => compileRule(doc, f.shown, true, overrides, ajv ?? checkAjv));
      continue;
    }
    if (options.unloaded?.(id) === true) continue;
    const near = closest(id, [...new Set([...loaded, ...builtinById.keys()])]);
    throw new InputError(`parameters are given for an unknown rule "${id}"${near.length > 0 ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''}`);
  }
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

/** Refuses a rule file at a pointer: at its value, or (failAtKey) at the key that holds it. */
type Fail = (pointer: string, message: string) => never;

/** What compiling the parts of one rule file needs: the rule as written, its parameters, and how to refuse it. */
interface RuleContext {
  raw: RawRule;
  params: Record<string, unknown>;
  /** The reads the rule declares. */
  declared: ReadonlySet<string>;
  /** Whether the config file sets this parameter of the rule. */
  fromConfig: (param: string) => boolean;
  ajv: () => Ajv;
  fail: Fail;
  failAtKey: Fail;
}

function compileRule(
  doc: ParsedDocument,
  file: string,
  builtin: boolean,
  overrides: Record<string, Record<string, unknown>>,
  ajv: () => Ajv,
): CompiledRule {
  const raw = doc.value as RawRule;
  const fail: Fail = (pointer, message) => {
    throw located(doc, file, pointer, message);
  };
  const failAtKey: Fail = (pointer, message) => {
    throw located(doc, file, pointer, message, true);
  };
  const kind = assertionKind(raw, fail, failAtKey);
  raw.reads.forEach((r, i) => {
    if (!KNOWN_READS.includes(r)) fail(`/reads/${i}`, `unknown read "${r}"; known reads: ${KNOWN_READS.join(', ')}`);
  });

  const params = resolveParams(raw.id, raw.parameters ?? {}, Object.hasOwn(overrides, raw.id) ? overrides[raw.id] : {}, fail);
  const rule: RuleContext = {
    raw,
    params,
    declared: new Set(raw.reads),
    fromConfig: (param) => Object.hasOwn(overrides, raw.id) && Object.hasOwn(overrides[raw.id], param),
    ajv,
    fail,
    failAtKey,
  };
  const { assertion, builtinDef } = compileAssertion(rule, kind);

  // The built-in rules' mappings are checked against the catalogues by the tests; a user's are checked here.
  if (!builtin) checkControls(raw.compliance ?? {}, fail);
  const meta = ruleMeta(raw, file, builtin, params);
  checkMessageUses(raw, kind, builtinDef, failAtKey);
  checkTemplates(rule, kind, builtinDef);
  if (raw.where !== undefined && raw.scope !== 'trail') checkCollectionWhere(raw.where, raw.scope, kind, failAtKey);
  return { meta, reads: raw.reads, params, where: compileSpec(rule, raw.where, '/where'), assertion, message: raw.message };
}

/** The rule's one assertion, refused when there is none, more than one, or one its scope does not take. */
function assertionKind(raw: RawRule, fail: Fail, failAtKey: Fail): (typeof ASSERTIONS)[number] {
  const present = ASSERTIONS.filter((k) => raw[k] !== undefined);
  if (present.length !== 1) {
    fail('', present.length === 0 ? `a rule needs one assertion: one of ${ASSERTIONS.join(', ')}` : `a rule has one assertion, found ${present.join(' and ')}`);
  }
  const kind = present[0];
  if (raw.scope === 'trail' && !['check', 'builtin'].includes(kind)) failAtKey(`/${kind}`, `a trail rule asserts with "check" or "builtin", not "${kind}"`);
  if (raw.scope !== 'trail' && ['check', 'builtin'].includes(kind)) failAtKey(`/${kind}`, `${raw.scope === 'account' ? 'an' : 'a'} ${raw.scope} rule quantifies over trails with some, every, none or count, not "${kind}"`);
  return kind;
}

/** A check or where of the rule, compiled with its parameters: refused where a path needs an undeclared read or a condition says nothing. */
function compileSpec(rule: RuleContext, spec: CheckSpec | undefined, pointer: string): CompiledCheck | undefined {
  if (spec === undefined) return undefined;
  const { params, declared, fromConfig, fail, failAtKey } = rule;
  let substituted: CheckSpec;
  try {
    substituted = substituteParams(spec, params) as CheckSpec;
  } catch (e) {
    if (!(e instanceof UnknownParamError)) throw e;
    return fail(`${pointer}${e.pointer}`, e.message);
  }
  const check = compileCheck(substituted, rule.ajv, (path, message, within) => {
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
}

/** The rule's assertion compiled, and the built-in it names (refused when unknown or when it needs an undeclared read). */
function compileAssertion(rule: RuleContext, kind: (typeof ASSERTIONS)[number]): { assertion: Assertion; builtinDef?: Builtin } {
  const { raw, declared, fail } = rule;
  if (kind === 'check') return { assertion: { kind, check: compileSpec(rule, raw.check, '/check')! } };
  if (kind === 'builtin') {
    const b = BUILTINS.get(raw.builtin!);
    if (!b) return fail('/builtin', `unknown built-in "${raw.builtin}"; known: ${[...BUILTINS.keys()].join(', ') || 'none'}`);
    for (const r of b.reads) if (!declared.has(r) && !declared.has(r.split('.')[0])) fail('/reads', `the built-in ${b.name} needs the read "${r}", which "reads" does not declare`);
    return { assertion: { kind, builtin: b }, builtinDef: b };
  }
  if (kind === 'count') {
    const c = raw.count!;
    if (c.max === undefined && c.min === undefined) fail('/count', 'count needs max, min or both');
    const max = countBound(rule, c.max, 'max');
    const min = countBound(rule, c.min, 'min');
    // Such a rule could never pass: a typo (or a parameter set too low) would fail every region for ever.
    if (max !== undefined && min !== undefined && min > max) fail('/count/min', `min (${min}) is greater than max (${max}), so no count could pass`);
    return { assertion: { kind, where: compileSpec(rule, c.where, '/count/where'), max, min } };
  }
  const q = raw[kind]!;
  return { assertion: { kind, where: compileSpec(rule, q.where, `/${kind}/where`), check: compileSpec(rule, q.check, `/${kind}/check`)! } };
}

/** A count's max or min as written (its parameter substituted): a whole number >= 0, or undefined when not written. */
function countBound(rule: RuleContext, v: unknown, name: 'max' | 'min'): number | undefined {
  if (v === undefined) return undefined;
  const n = substituteOrFail(v, rule.params, `/count/${name}`, rule.fail);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return rule.fail(`/count/${name}`, `${name} must be a whole number >= 0`);
  return n;
}

/** The rule's metadata as the reports show it: its texts trimmed, its absent lists empty. */
function ruleMeta(raw: RawRule, file: string, builtin: boolean, params: Record<string, unknown>): RuleMeta {
  return {
    id: raw.id,
    title: raw.title,
    severity: raw.severity,
    scope: raw.scope,
    description: raw.description.trim(),
    remediation: { text: raw.remediation.text.trim(), ...(raw.remediation.cli ? { cli: trimmed(raw.remediation.cli) } : {}) },
    references: raw.references ?? [],
    compliance: raw.compliance ?? {},
    tags: raw.tags ?? [],
    params,
    source: file,
    builtin,
  };
}

/** Refuses a message or command the rule's assertion would never show (per condition without a check, a built-in's verdicts). */
function checkMessageUses(raw: RawRule, kind: (typeof ASSERTIONS)[number], builtinDef: Builtin | undefined, failAtKey: Fail): void {
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
}

/** Refuses a message template or command whose keys name no condition (or kind of failure) or whose placeholders the rule cannot fill. */
function checkTemplates(rule: RuleContext, kind: (typeof ASSERTIONS)[number], builtinDef: Builtin | undefined): void {
  const { raw, params, fail, failAtKey } = rule;
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
}

/** Refuses a region or account rule's own `where` that names anything but accountId (and, for a region rule, region). */
function checkCollectionWhere(where: CheckSpec, scope: 'region' | 'account', kind: (typeof ASSERTIONS)[number], failAtKey: Fail): void {
  // A region or account rule's own `where` chooses subjects; trails are filtered inside some/every/none/count.
  const allowed = scope === 'region' ? ['accountId', 'region'] : ['accountId'];
  for (const written of Object.keys(where)) {
    if (allowed.includes(written)) continue;
    const at = `/where/${escapePointerSegment(written)}`;
    const bare = written.endsWith('?') ? written.slice(0, -1) : undefined;
    // The two near misses get their own words: the general advice (filter trails elsewhere)
    // would send the author of `region?:` or `regoin:` to rewrite a rule that is nearly right.
    if (bare !== undefined && allowed.includes(bare)) {
      failAtKey(at, `${bare} is always there in ${scope === 'account' ? 'an' : 'a'} ${scope} rule, so it takes no "?": write "${bare}:"`);
    }
    const meant = closest(written, allowed);
    failAtKey(
      at,
      `in ${scope === 'account' ? 'an' : 'a'} ${scope} rule, "where" chooses ${scope}s and may only name ${allowed.join(' or ')}${meant.length > 0 ? ` (did you mean ${meant[0]}?)` : `; to filter trails, put the condition in ${kind}'s own "where"`}`,
    );
  }
}

/**
 * Refuses a control id that a framework trailgate has a catalogue for does not list: the view of
 * the framework would show it as a control of its own and count it in the framework's total. A
 * framework without a catalogue (the user's own, say) takes any id.
 */
function checkControls(compliance: Record<string, string[]>, fail: Fail): void {
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
