/**
 * A rule's message templates and remediation commands, checked when the rule loads: each key names
 * a condition or a kind of failure the rule has, every placeholder can be filled where the
 * template is used, and no message or command is one the rule's assertion would never show.
 */
import type { Builtin } from '../engine/builtin-types.ts';
import { escapePointerSegment } from '../input/document.ts';
import { isObject } from './check.ts';
import { readForPath } from './path-reads.ts';
import type { ASSERTIONS, Fail, RawRule, RuleContext } from './rule-context.ts';
import { malformedPlaceholder, PLACEHOLDER } from './template.ts';
import type { CheckSpec, ConditionMessage, RuleMeta } from './types.ts';

/** A template, or each template of a per-condition map, without surrounding white space (YAML block scalars end in a newline). */
export function trimmed(message: ConditionMessage): ConditionMessage {
  return typeof message === 'string' ? message.trim() : Object.fromEntries(Object.entries(message).map(([k, v]) => [k, v.trim()]));
}

/**
 * The templates of a message that may be given per condition, each with its pointer; a key that
 * names no condition of `conditions` (as written there, with or without the `?`) is refused.
 */
export function conditionTemplates<U extends 'fail' | 'skipped' | 'cli'>(
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
export function failureTemplates(cli: ConditionMessage | undefined, b: Builtin, failAtKey: (pointer: string, message: string) => never): [string, string, 'cli'][] {
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

/** What a region or account rule's verdict adds to its message (engine/quantifiers.ts fills these), by assertion and outcome. */
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
export function placeholderProblem(template: string, scope: RuleMeta['scope'], params: Record<string, unknown>, kind: string, use: 'pass' | 'fail' | 'skipped' | 'cli'): string | undefined {
  const malformed = malformedPlaceholder(template, Object.keys(params));
  if (malformed !== undefined) return malformed;
  for (const m of template.matchAll(PLACEHOLDER)) {
    // The placeholder's name, group 1, is not optional: a match always has it.
    const parts = m[1]!.split('.');
    if (parts[0] === 'reason' && parts.length === 1) {
      // A reason is free text, with trail names and policy words in it: pasted into a command, it
      // could run something else. A command's placeholders are values trailgate can vouch for.
      if (use === 'cli') return 'the placeholder {reason} is never filled in a remediation command: a reason is free text, not safe to paste into a shell command; put it in a message template instead';
      continue;
    }
    if (parts[0] === 'param') {
      if (parts.length === 2 && Object.hasOwn(params, parts[1]!)) continue;
      const names = Object.keys(params);
      return `the placeholder {${m[1]}} names no parameter of this rule; it takes ${names.length > 0 ? names.map((n) => `{param.${n}}`).join(', ') : 'no parameters'}`;
    }
    if (scope === 'trail') {
      const r = readForPath(parts);
      if ('problem' in r) return `the placeholder {${m[1]}}: ${r.problem}`;
      continue;
    }
    const known = [...(scope === 'region' ? ['accountId', 'region'] : ['accountId']), ...(use === 'cli' || use === 'skipped' ? [] : (VERDICT_FACTS[kind]?.[use] ?? []))];
    if (parts.length !== 1 || !known.includes(parts[0]!)) {
      const where = use === 'cli' ? 'a remediation command' : `the ${use} message of ${kind === 'every' ? 'an' : 'a'} ${kind} rule`;
      return `the placeholder {${m[1]}} is never filled in ${where}; it may use ${[...known, ...(use === 'cli' ? [] : ['reason']), 'param.NAME'].map((k) => `{${k}}`).join(', ')}`;
    }
  }
  return undefined;
}

/** Refuses a message or command the rule's assertion would never show (per condition without a check, a built-in's verdicts). */
export function checkMessageUses(raw: RawRule, kind: (typeof ASSERTIONS)[number], builtinDef: Builtin | undefined, failAtKey: Fail): void {
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
export function checkTemplates(rule: RuleContext, kind: (typeof ASSERTIONS)[number], builtinDef: Builtin | undefined): void {
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
