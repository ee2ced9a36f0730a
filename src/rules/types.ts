/** A rule as loaded from YAML: its metadata (what reporters show) and its assertion (what the engine runs). */
import type { Scope, Severity } from '../engine/result.ts';

/** What a reporter may know of a rule: documentation, never engine internals. */
export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  scope: Scope;
  description: string;
  /**
   * `cli`: the AWS CLI command that fixes a violation; in a check rule, optionally one per check
   * condition, and in a builtin rule one per kind of failure its built-in names (a failure the
   * map has no command for gets none: its fix is not one command).
   */
  remediation: { text: string; cli?: ConditionMessage };
  references: string[];
  /** Framework id (e.g. `cis-aws-foundations-v3.0`, `aws-fsbp`) to control ids. */
  compliance: Record<string, string[]>;
  /** Tags for SARIF and filtering. */
  tags: string[];
  /** The rule's parameters as in effect (their defaults, or the config file's values): its help's commands show them. */
  params?: Readonly<Record<string, unknown>>;
  /** The file the rule came from, relative to the working directory (or `builtin:rules/<id>.yaml`). */
  source: string;
  builtin: boolean;
}

/** `path: JSON Schema` conjuncts: each path must exist (unless it ends in `?`) and satisfy its schema. */
export type CheckSpec = Record<string, unknown>;

/**
 * `message.skipped` (and a `check` rule's `message.fail`): one template, or one per condition of
 * the `where` (the `check`), keyed as written there.
 */
export type ConditionMessage = string | Record<string, string>;

/** The assertion part of a rule file, as written (parameters not yet substituted). */
export interface RuleBody {
  reads: string[];
  parameters: Record<string, ParameterSpec>;
  where?: CheckSpec;
  check?: CheckSpec;
  some?: Quantified;
  every?: Quantified;
  none?: Quantified;
  count?: CountSpec;
  builtin?: string;
  message?: { pass?: string; fail?: ConditionMessage; skipped?: ConditionMessage; reasons?: Record<string, string> };
}

export interface Quantified {
  where?: CheckSpec;
  check: CheckSpec;
}

export interface CountSpec {
  where?: CheckSpec;
  max?: number | { $param: string };
  min?: number | { $param: string };
}

export interface ParameterSpec {
  description?: string;
  type: 'integer' | 'number' | 'string' | 'boolean' | 'array';
  default: unknown;
  minimum?: number;
}
