/**
 * Random user rules in the safe subset of the language (docs/rule-format.md): checks that are
 * conjunctions of small JSON Schema fragments (const, enum, type, pattern, minimum/maximum,
 * minItems/maxItems, not), rule-level and quantifier `where`s, some/every/none/count, `$param`
 * parameters with defaults and config overrides, and message templates with placeholders.
 * A rule is drawn as a RuleSpec and written out as YAML by toYaml.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { valueTypes } from '../../../src/rules/shapes.ts';
import { PATHS, PATTERNS, paramValue, readsOf, type Assertion, type Cond, type Fragment, type Kind, type ParamSpec, type ParamType, type PathDef, type RuleSpec, type Scope } from './world.ts';

/** A value that becomes `{ $param: pN }` once the rule is assembled. */
interface ParamSlot {
  __param: true;
  type: ParamType;
  default: unknown;
  override?: unknown;
}

function slot<T>(type: ParamType, value: fc.Arbitrary<T>): fc.Arbitrary<ParamSlot> {
  return fc.record({ d: value, o: fc.option(value, { nil: undefined, freq: 3 }) }).map(({ d, o }) => ({ __param: true as const, type, default: d, ...(o === undefined ? {} : { override: o }) }));
}

/** A literal, or now and then a parameter of the given type that holds it. */
function maybeParam<T>(type: ParamType, value: fc.Arbitrary<T>): fc.Arbitrary<T | ParamSlot> {
  return fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: slot(type, value) });
}

const small = fc.integer({ min: 0, max: 3 });
const str = (def: PathDef) => fc.constantFrom(...(def.pool as string[]), 'zz');

/**
 * One keyword of a fragment for a path of this kind; sometimes one meant for another type, where
 * the loader does not know the field's type (it refuses those keywords where it does: load.test.ts).
 */
function keyword(def: PathDef): fc.Arbitrary<Fragment> {
  const foreign: fc.Arbitrary<Fragment>[] = [
    fc.record({ pattern: fc.constantFrom(...PATTERNS) }),
    fc.record({ minimum: small }),
    fc.record({ minItems: small }),
    fc.record({ type: fc.constantFrom('string', 'boolean', 'integer', 'number', 'array', 'object', 'null') }),
  ];
  const own: Record<Kind, fc.Arbitrary<Fragment>[]> = {
    string: [
      fc.record({ const: maybeParam('string', str(def)) }),
      fc.record({ enum: maybeParam('array', fc.uniqueArray(str(def), { minLength: 1, maxLength: 3 })) }),
      fc.record({ pattern: maybeParam('string', fc.constantFrom(...PATTERNS)) }),
      fc.record({ not: fc.record({ const: str(def) }) }),
      fc.record({ type: fc.constant('string') }),
    ],
    boolean: [
      fc.record({ const: maybeParam('boolean', fc.boolean()) }),
      fc.record({ enum: fc.constantFrom([true], [false], [true, false]) }),
      fc.record({ not: fc.record({ const: fc.boolean() }) }),
      fc.record({ type: fc.constant('boolean') }),
    ],
    integer: [
      fc.record({ minimum: maybeParam('integer', small) }),
      fc.record({ maximum: maybeParam('integer', small) }),
      fc.record({ const: maybeParam('integer', small) }),
      fc.record({ not: fc.record({ maximum: small }) }),
      fc.record({ type: fc.constantFrom('integer', 'number') }),
    ],
    array: [
      fc.record({ minItems: maybeParam('integer', small) }),
      fc.record({ maxItems: maybeParam('integer', small) }),
      fc.record({ not: fc.record({ minItems: small }) }),
      fc.record({ type: fc.constant('array') }),
    ],
  };
  if (valueTypes(def.path.split('.')) !== undefined) return fc.oneof(...own[def.kind]);
  return fc.oneof({ weight: 6, arbitrary: fc.oneof(...own[def.kind]) }, { weight: 1, arbitrary: fc.oneof(...foreign) });
}

function cond(defs: PathDef[]): fc.Arbitrary<Cond> {
  return fc.constantFrom(...defs).chain((def) =>
    fc.record({
      def: fc.constant(def),
      opt: fc.oneof({ weight: def.optional ? 2 : 1, arbitrary: fc.constant(true) }, { weight: 3, arbitrary: fc.constant(false) }),
      schema: fc.array(keyword(def), { minLength: 1, maxLength: 2 }).map((ks) => Object.assign({}, ...ks) as Fragment),
    }),
  );
}

/** A map of conditions: each path at most once. */
const conds = (defs: PathDef[], minLength: number, maxLength: number) => fc.uniqueArray(cond(defs), { minLength, maxLength, selector: (c) => c.def.path });

const ANY = PATHS;
const byPath = (...paths: string[]) => PATHS.filter((p) => paths.includes(p.path));

function assertion(scope: Scope): fc.Arbitrary<Assertion> {
  if (scope === 'trail') return conds(ANY, 1, 3).map((check) => ({ kind: 'check' as const, check }));
  return fc.oneof(
    fc.record({ kind: fc.constantFrom('some' as const, 'every' as const, 'none' as const), where: conds(ANY, 0, 2), check: conds(ANY, 1, 2) }),
    fc
      .record({ where: conds(ANY, 0, 2), min: fc.option(maybeParam('integer', small), { nil: undefined }), max: fc.option(maybeParam('integer', small), { nil: undefined }) })
      .filter((c) => c.min !== undefined || c.max !== undefined)
      .map((c) => ({ kind: 'count' as const, where: c.where, ...(c.min === undefined ? {} : { min: c.min }), ...(c.max === undefined ? {} : { max: c.max }) })),
  );
}

function ruleWhere(scope: Scope): fc.Arbitrary<Cond[]> {
  if (scope === 'trail') return conds(ANY, 0, 2);
  // Always there, so written without `?` (the loader refuses `accountId?` here).
  return conds(byPath(...(scope === 'region' ? ['accountId', 'region'] : ['accountId'])), 0, 1).map((cs) => cs.map((c) => ({ ...c, opt: false })));
}

/** Replaces every ParamSlot with `{ $param: pN }`, collecting the parameters. */
function assemble<T>(value: T, params: Record<string, ParamSpec>): T {
  if (Array.isArray(value)) return value.map((v) => assemble(v, params) as unknown) as T;
  if (value === null || typeof value !== 'object') return value;
  if ('__param' in value) {
    const s = value as unknown as ParamSlot;
    const name = `p${Object.keys(params).length}`;
    params[name] = { type: s.type, default: s.default, ...(s.override === undefined ? {} : { override: s.override }) };
    return { $param: name } as T;
  }
  if ('def' in value) return { ...value, schema: assemble((value as unknown as Cond).schema, params) } as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, assemble(v, params)])) as T;
}

/** What a count bound stands for, parameters resolved. */
export function bound(rule: RuleSpec, b: unknown): number | undefined {
  if (b === undefined) return undefined;
  if (typeof b === 'number') return b;
  return paramValue(rule.params[(b as { $param: string }).$param]) as number;
}

/** The placeholders a template of this rule may use (docs/rule-format.md, "Messages"). */
function placeholders(rule: RuleSpec, which: 'pass' | 'fail'): string[] {
  const a = rule.assertion;
  const out = ['{accountId}', '{reason}'];
  if (rule.scope !== 'account') out.push('{region}');
  for (const [name, p] of Object.entries(rule.params)) if (p.type !== 'array') out.push(`{param.${name}}`);
  if (rule.scope === 'trail') {
    out.push('{Trail.Name}', '{Trail.SnsTopicARN}', '{facts.owned}', '{Trail.IsMultiRegionTrail}');
    if (readsOf(rule).includes('Status')) out.push('{Status.IsLogging}');
  }
  if (a.kind === 'count') out.push('{count}');
  if (a.kind === 'some' && which === 'pass') out.push('{trail}');
  if (a.kind !== 'check' && a.kind !== 'some' && which === 'fail') out.push('{trails}');
  return out;
}

const template = (choices: string[]) => fc.option(fc.subarray(choices, { minLength: 1 }).map((ps) => `msg ${ps.join(' / ')}`), { nil: undefined });

export function ruleArb(index: number): fc.Arbitrary<RuleSpec> {
  return fc
    .constantFrom<Scope>('trail', 'region', 'account')
    .chain((scope) => fc.record({ scope: fc.constant(scope), where: ruleWhere(scope), assertion: assertion(scope) }))
    .map(({ scope, where, assertion: a }) => {
      const params: Record<string, ParamSpec> = {};
      const rule: RuleSpec = { id: `user-rule-${index}`, title: `User rule ${index}`, scope, where: assemble(where, params), assertion: assemble(a, params), params, message: {} };
      return rule;
    })
    .filter((r) => {
      const a = r.assertion;
      if (a.kind !== 'count') return true;
      if (a.min === undefined || a.max === undefined) return true;
      // A min above max is refused at load; keep it so with the defaults and with the overrides.
      const at = (b: unknown, pick: (p: ParamSpec) => unknown) => (typeof b === 'number' ? b : (pick(r.params[(b as { $param: string }).$param]) as number));
      return at(a.min, (p) => p.default) <= at(a.max, (p) => p.default) && at(a.min, paramValue) <= at(a.max, paramValue);
    })
    .chain((rule) => fc.record({ pass: template(placeholders(rule, 'pass')), fail: template(placeholders(rule, 'fail')) }).map((m) => ({ ...rule, message: Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) })));
}

const condMap = (cs: Cond[]) => Object.fromEntries(cs.map((c) => [`${c.def.path}${c.opt ? '?' : ''}`, c.schema]));

/** The rule file's text. */
export function toYaml(rule: RuleSpec): string {
  const a = rule.assertion;
  const doc: Record<string, unknown> = {
    id: rule.id,
    title: rule.title,
    severity: 'low',
    scope: rule.scope,
    description: 'A generated rule.',
    remediation: { text: 'Fix it.' },
    reads: readsOf(rule),
  };
  if (Object.keys(rule.params).length > 0) doc.parameters = Object.fromEntries(Object.entries(rule.params).map(([n, p]) => [n, { type: p.type, default: p.default }]));
  if (rule.where.length > 0) doc.where = condMap(rule.where);
  if (a.kind === 'check') doc.check = condMap(a.check);
  else if (a.kind === 'count') doc.count = { ...(a.where.length > 0 ? { where: condMap(a.where) } : {}), ...(a.min === undefined ? {} : { min: a.min }), ...(a.max === undefined ? {} : { max: a.max }) };
  else doc[a.kind] = { ...(a.where.length > 0 ? { where: condMap(a.where) } : {}), check: condMap(a.check) };
  if (Object.keys(rule.message).length > 0) doc.message = rule.message;
  return stringify(doc);
}

/** The config file's parameter overrides for these rules. */
export function overrides(rules: RuleSpec[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of rules) for (const [n, p] of Object.entries(r.params)) if (p.override !== undefined) (out[r.id] ??= {})[n] = p.override;
  return out;
}
