/**
 * Loading rule files: parse (with positions), validate against the published rule schema, check
 * what a schema cannot (one assertion, known reads and built-ins, declared reads cover every
 * path, unique ids), and compile. Every problem is an InputError at file, line and column.
 * Finding and reading the files is files.ts's part; compiling one rule, compile-rule.ts's;
 * parameter values, parameters.ts's; message templates and commands, message-templates.ts's.
 */
import { Ajv } from 'ajv';
import ruleSchema from '../../schemas/rule.schema.json' with { type: 'json' };
import { gathered, inFileOrder, InputError } from '../errors.ts';
import { documentOrder, pickErrors, PROBLEMS_SHOWN } from '../input/schema-errors.ts';
import { unquotedHint, valueAtPointer } from '../input/document.ts';
import { closest } from '../input/closest.ts';
import { createCheckAjv } from './compile-check.ts';
import type { CompiledRule } from './compiled.ts';
import { compileRule } from './compile-rule.ts';
import { vacuousCondition } from './vacuous-schema.ts';
import { builtinFile, builtinIdOf, builtinRuleFiles, builtinRulesDir, readRuleFile, ruleFiles, type RuleFile } from './files.ts';
import { fromConfigParameter } from './parameters.ts';
import { PRECOMPILED } from './precompiled.ts';
import { located } from './rule-context.ts';

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

/** Loads, validates and compiles rules. Throws InputError for any bad rule file. */
export function loadRules(options: LoadRulesOptions = {}): CompiledRule[] {
  const files = ruleFiles(options);
  const checkAjv = createCheckAjv();
  const rules = compileRuleFiles(files, options.params ?? {}, checkAjv);
  checkParamsOfRulesNotLoaded(options, new Set(rules.map((r) => r.meta.id)), checkAjv);
  return rules.sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
}

/** Each rule file read, validated against the rule schema and compiled with its parameters; refused when two give one id. */
function compileRuleFiles(files: readonly RuleFile[], params: Record<string, Record<string, unknown>>, checkAjv: () => Ajv): CompiledRule[] {
  const validateRule = PRECOMPILED.rule ?? new Ajv({ strict: false, allErrors: true, verbose: true }).compile(ruleSchema);
  const rules: CompiledRule[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    const doc = readRuleFile(f);
    // Told in place of the rule schema's words for it, which refuse `Status.IsLogging: true`
    // without saying what to write; beside the file's other mistakes against the schema.
    const vacuous = vacuousCondition(doc.value);
    const told = vacuous === undefined ? [] : [located(doc, f.shown, vacuous.pointer, vacuous.message)];
    if (!validateRule(doc.value)) {
      const { problems, more } = pickErrors(validateRule.errors ?? [], PROBLEMS_SHOWN, documentOrder(doc.value));
      const others = problems.filter((p) => vacuous === undefined || !(p.pointer === vacuous.pointer || p.pointer.startsWith(`${vacuous.pointer}/`)));
      // The first ten in the file: a condition told here that comes after ten others is one of the "more".
      const all = inFileOrder([...told, ...others.map((p) => located(doc, f.shown, p.pointer, `invalid rule: ${p.message}${p.message === 'must be of type string' ? unquotedHint(valueAtPointer(doc.value, p.pointer)) : ''}`, p.atKey))]);
      throw gathered(all.slice(0, PROBLEMS_SHOWN), more + Math.max(0, all.length - PROBLEMS_SHOWN));
    }
    if (told[0] !== undefined) throw told[0];
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
