/**
 * Named built-ins: checks a declarative assertion cannot express (IAM policy evaluation,
 * selector analysis). A rule references one with `builtin: <name>`; the built-in judges one
 * subject and returns the verdict. Built-ins are pure: no I/O, no clock.
 */
import type { FailedRead, Status } from './result.ts';
import type { TrailSubject } from './subjects.ts';

export interface BuiltinVerdict {
  status: Exclude<Status, 'skipped'> | 'skipped';
  message: string;
  evidence?: Record<string, unknown>;
  failedReads?: FailedRead[];
  /**
   * On a `fail`: what failed, as kinds the built-in declares in `failures`, in the order their
   * fixes are to be run. A rule's `remediation.cli` may give a command per kind, so a failure
   * gets the command that fixes it rather than one command for every way of failing.
   */
  failures?: string[];
}

/** A built-in that judges one trail. `params` are the rule's parameters with defaults applied. */
export interface TrailBuiltin {
  name: string;
  scope: 'trail';
  /** The reads this built-in needs, in the same vocabulary as a rule's `reads` (documented in the README). */
  reads: string[];
  /**
   * The kinds of failure its verdicts name, each with what it means (the rule catalogue and the
   * loader's messages say it). The keys a rule's `remediation.cli` map may use; none: one command.
   */
  failures?: Readonly<Record<string, string>>;
  judge(subject: TrailSubject, params: Record<string, unknown>): BuiltinVerdict;
}

export type Builtin = TrailBuiltin;
