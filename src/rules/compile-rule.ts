/**
 * Compiling one rule file, validated against the rule schema, into a CompiledRule: its one
 * assertion (a check, a built-in or a quantifier over trails), its conditions with parameters
 * substituted, its metadata; refused where the reads it declares do not cover its paths, where a
 * region or account rule's `where` names more than it may, or a control id is not in a catalogue.
 */
import type { Ajv } from 'ajv';
import type { Builtin } from '../engine/builtin-types.ts';
import { BUILTINS } from '../engine/builtins.ts';
import { loadCatalogue } from '../compliance/frameworks.ts';
import { KNOWN_READS } from '../engine/reads.ts';
import { escapePointerSegment, type ParsedDocument } from '../input/document.ts';
import { closest } from '../input/closest.ts';
import type { CompiledCheck } from './check.ts';
import { compileCheck, substituteParams, UnknownParamError } from './compile-check.ts';
import type { Assertion, CompiledRule } from './compiled.ts';
import { conditionProblem } from './condition-schema.ts';
import { down } from './written-schema.ts';
import { checkMessageUses, checkTemplates, trimmed } from './message-templates.ts';
import { paramNames, resolveParams, substituteOrFail, writtenPart } from './parameters.ts';
import { ASSERTIONS, located, type Fail, type RawRule, type RuleContext } from './rule-context.ts';
import type { CheckSpec, RuleMeta } from './types.ts';

/** One rule file compiled with its parameters (`overrides`: the config file's, per rule id); refused at the first problem's place. */
export function compileRule(
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

  const params = resolveParams(raw.id, raw.parameters ?? {}, Object.hasOwn(overrides, raw.id) ? overrides[raw.id]! : {}, fail);
  const rule: RuleContext = {
    raw,
    params,
    declared: new Set(raw.reads),
    fromConfig: (param) => Object.hasOwn(overrides, raw.id) && Object.hasOwn(overrides[raw.id]!, param),
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
  const kind = present[0];
  if (kind === undefined || present.length !== 1) {
    fail('', present.length === 0 ? `a rule needs one assertion: one of ${ASSERTIONS.join(', ')}` : `a rule has one assertion, found ${present.join(' and ')}`);
  }
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
    const root = rootOf(c.read);
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
    for (const r of b.reads) if (!declared.has(r) && !declared.has(rootOf(r))) fail('/reads', `the built-in ${b.name} needs the read "${r}", which "reads" does not declare`);
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

/** A read's first segment: `Bucket` of `Bucket.GetBucketPolicy`, the whole name when it has no dot. */
function rootOf(read: string): string {
  const dot = read.indexOf('.');
  return dot < 0 ? read : read.slice(0, dot);
}
