/**
 * Results and their words: a Result in its one literal shape, an error naming the reads that
 * failed, message templates and remediation commands filled in from the subject. Every verdict
 * of the engine is made here, so the shape and the wording stay the same whichever rule judges.
 */
import { showValue } from '../input/show-value.ts';
import { subjectValueAt, valueAt } from '../rules/check.ts';
import type { CompiledRule } from '../rules/compiled.ts';
import { compileTemplate, conditionTemplate, SHELL_SAFE } from '../rules/template.ts';
import { describeFailedRead } from './reads.ts';
import type { FailedRead, Result, Subject } from './result.ts';
import type { Anchor, TrailSubject } from './subjects.ts';

/**
 * A result; one literal shape, so the hundreds of thousands an organization yields stay cheap.
 * The fields set later (evidence, failed reads, a command, the location the CLI adds) are in it
 * from the start, undefined: added afterwards, each in its own order, they gave results half a
 * dozen hidden classes in V8, and every reporter's read of a field went through the slow lookup
 * for many shapes, and each result an extra block for the added fields (measured on a
 * 10,000-account scan: 2% of the CPU, in the reports). Reporters test `!== undefined`, never `in`.
 */
export function result(rule: CompiledRule, subject: Subject, anchor: Anchor, status: Result['status'], message: string): Result {
  return { ruleId: rule.meta.id, severity: rule.meta.severity, subject, anchor, status, message: flat(message), evidence: undefined, failedReads: undefined, remediation: undefined, location: undefined };
}

/**
 * The message as one flat string. Built from template pieces, a message is a tree of string
 * fragments in V8 until something reads it character by character; kept as a tree for the
 * whole run, 500,000 messages hold about twice their size and cost the garbage collector time.
 * Reading a character makes V8 flatten the string in place (its fragments become garbage at
 * once, while still young); the value is unchanged.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** Failed reads an error message names; the rest are counted (the JSON report's failedReads has them all). */
const SHOWN_READS = 3;

/** An error: the rule cannot judge `what` (a trail, a region, an account), for the reads that failed. */
export function errorResult(rule: CompiledRule, subject: Subject, anchor: Anchor, failed: FailedRead[], what: string): Result {
  // An account of many unreadable trails would otherwise give a message of thousands of
  // characters, one sentence per read, on every account rule.
  const shown = failed.slice(0, SHOWN_READS).map(describeFailedRead).join('; ');
  const rest = failed.length - SHOWN_READS;
  const more = rest > 0 ? `; and ${rest} more failed ${rest === 1 ? 'read' : 'reads'} (the JSON report's failedReads lists each)` : '';
  const r = result(rule, subject, anchor, 'error', `cannot judge ${what}: ${shown}${more}`);
  r.failedReads = failed;
  return r;
}

/**
 * Fills the rule's remediation command with the subject's values, when it names any. A command
 * chosen by what failed (the check's condition, or a built-in's kinds of failure) is attached
 * even without placeholders: the rule's help cannot say which of its commands fits this failure.
 */
export function withRemediation(r: Result, rule: CompiledRule, subject: object, conjunct?: string, failures?: readonly string[]): Result {
  const commands = rule.meta.remediation.cli;
  const cli = typeof commands === 'object' && failures !== undefined ? failureCommand(commands, failures) : conditionTemplate(commands, conjunct);
  if (cli !== undefined && (typeof commands !== 'string' || compileTemplate(cli).some((part) => typeof part !== 'string'))) r.remediation = flat(render(cli, rule, subject, '', true));
  return r;
}

/**
 * The command for a built-in's failures: each kind's command, in the verdict's order, joined
 * with `&&` (a bucket that is Requester Pays and refused by its policy needs both fixes), once
 * each. None when some kind has no command: half of a fix would pass for the whole of it.
 */
function failureCommand(commands: Readonly<Record<string, string>>, failures: readonly string[]): string | undefined {
  const chosen: string[] = [];
  for (const f of failures) {
    // Own keys only: a kind never reaches Object.prototype's names.
    if (!Object.hasOwn(commands, f)) return undefined;
    const command = commands[f]!;
    if (!chosen.includes(command)) chosen.push(command);
  }
  return chosen.length > 0 ? chosen.join(' && ') : undefined;
}

/** A subject's value for a placeholder; a trail without a name (none, or `""` by hand) goes by its ARN's. */
function subjectText(subject: object, path: readonly string[]): unknown {
  const v = subjectValueAt(subject, path);
  return v === undefined || v === '' ? (nameFromArn(subject, path) ?? v) : v;
}

/**
 * A trail's name when the inventory leaves Trail.Name out (DescribeTrails always gives it; a
 * hand-written inventory need not): the name is the end of its TrailARN, `...:trail/NAME`.
 */

function nameFromArn(subject: object, path: readonly string[]): string | undefined {
  if (path.length !== 2 || path[0] !== 'Trail' || path[1] !== 'Name') return undefined;
  const arn = (subject as Partial<TrailSubject>).Trail?.TrailARN;
  const at = arn?.indexOf(':trail/') ?? -1;
  return at < 0 ? undefined : arn!.slice(at + ':trail/'.length);
}

/**
 * Fills a message template: `{Trail.Name}` from the subject, `{param.max}` from the rule's
 * parameters, `{reason}` with the default message. An unknown placeholder stays as written.
 * For a `command`, a value that is absent or not shell-safe is left for the user to fill in, as
 * `<Trail.Name>`, so the command can be copied and run without surprises.
 */
export function render(template: string | undefined, rule: CompiledRule, subject: object, reason: string, command = false): string {
  if (template === undefined) return reason;
  let out = '';
  for (const part of compileTemplate(template)) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const path = part.path;
    const v = path[0] === 'param' ? valueAt(rule.params, path.slice(1)) : path[0] === 'reason' && path.length === 1 ? reason : subjectText(subject, path);
    const text = v === undefined ? undefined : typeof v === 'string' ? v : showValue(v);
    // A command never keeps `{Trail.KmsKeyId}`: it is left as the blank the rule's help shows.
    if (text === undefined) out += part.fallback ?? (command ? `<${path.join('.')}>` : part.written);
    else if (command && !SHELL_SAFE.test(text)) out += `<${path.join('.')}>`;
    else out += text;
  }
  return out;
}
