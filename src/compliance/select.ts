/** `--compliance FRAMEWORK`: keeping the rules mapped to one framework. */
import { InputError } from '../errors.ts';
import type { CompiledRule } from '../rules/compiled.ts';
import { FRAMEWORKS } from './frameworks.ts';

/** Every framework id a run knows: trailgate's own, and any that a loaded rule maps to. */
function knownFrameworks(rules: readonly CompiledRule[]): string[] {
  const ids = new Set(FRAMEWORKS.map((f) => f.id));
  for (const r of rules) for (const f of Object.keys(r.meta.compliance)) ids.add(f);
  return [...ids];
}

/**
 * A framework that leaves no rule to run. The message is worded for `--compliance`;
 * `configMessage` says the same without naming the flag, for when the framework came from the
 * config file's `compliance` key (which the caller locates: this module knows no file).
 */
export class ComplianceError extends InputError {
  constructor(
    message: string,
    readonly configMessage: string,
  ) {
    super(message);
  }
}

/**
 * The rules of `chosen` that map to `framework`; all of `chosen` when no framework is given.
 * An unknown framework is an input error that lists the known ones (`all` is every loaded
 * rule, so a framework only a deselected rule maps to is still known).
 */
export function selectCompliance(chosen: readonly CompiledRule[], framework: string | undefined, all: readonly CompiledRule[] = chosen): CompiledRule[] {
  if (framework === undefined) return [...chosen];
  const known = knownFrameworks(all);
  if (!known.includes(framework)) {
    const unknown = `unknown framework "${framework}"; known frameworks: ${known.join(', ')}`;
    throw new ComplianceError(`--compliance names an ${unknown}`, unknown);
  }
  const mapped = chosen.filter((r) => mappedControls(r, framework).length > 0);
  if (mapped.length === 0) {
    const none = `no rule left to run maps to ${framework}`;
    throw new ComplianceError(`${none} (after --only/--skip and --rules)`, `${none} (after the only/skip selection and the rules loaded)`);
  }
  return mapped;
}

/** The controls of `framework` a rule maps to. Own keys only: `--compliance constructor` names no framework of a rule that maps none. */
export function mappedControls(rule: CompiledRule, framework: string): readonly string[] {
  return Object.hasOwn(rule.meta.compliance, framework) ? rule.meta.compliance[framework]! : [];
}
