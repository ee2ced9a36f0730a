/** A rule ready to run: metadata plus its assertion compiled once. */
import type { Builtin } from '../engine/builtin-types.ts';
import type { CompiledCheck } from './check.ts';
import type { ConditionMessage, RuleMeta } from './types.ts';

export type Assertion =
  | { kind: 'check'; check: CompiledCheck }
  | { kind: 'some' | 'every' | 'none'; where?: CompiledCheck; check: CompiledCheck }
  | { kind: 'count'; where?: CompiledCheck; max?: number; min?: number }
  | { kind: 'builtin'; builtin: Builtin };

export interface CompiledRule {
  meta: RuleMeta;
  reads: string[];
  /** Parameters with defaults and overrides applied. */
  params: Record<string, unknown>;
  where?: CompiledCheck;
  assertion: Assertion;
  message?: { pass?: string; fail?: ConditionMessage; skipped?: ConditionMessage; reasons?: Record<string, string> };
}
