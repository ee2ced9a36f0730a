/**
 * Message and command templates: literal text with `{Trail.Name}`-style placeholders, each
 * optionally with a fallback after `|` (`{Bucket.Versioning.MFADelete|not set}`) for when the
 * subject has no such value. Shared by the loader, which checks every placeholder, and the
 * engine, which fills them.
 */
import { showValue } from '../input/show-value.ts';
import { valueAt } from './check.ts';
import type { ConditionMessage, RuleMeta } from './types.ts';

/**
 * What a value may hold to be pasted into a remediation command as it is: AWS's own names,
 * ARNs, ids and regions never hold anything else. Quotes, spaces, `;`, `$` or a backtick (a
 * hand-written inventory can hold anything) would let a copied command do something else. A
 * value may not start with `-` either (the AWS CLI would read it as an option), nor be a
 * `file://` or `fileb://` URL (which the AWS CLI loads as the parameter's value), nor an
 * `http://` or `https://` one (which AWS CLI v1 fetches, its `cli_follow_urlparam` being true
 * by default, and sends what the server answers as the parameter's value).
 */
export const SHELL_SAFE = /^(?!-|fileb?:\/\/|https?:\/\/)[a-z0-9._:/@+=,-]+$/i;

/** A placeholder: a dotted path, then an optional `|fallback` (any text without braces). */
export const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)(?:\|([^{}]*))?\}/g;

/** One placeholder, the whole of a text. */
const WHOLE_PLACEHOLDER = new RegExp(`^${PLACEHOLDER.source}$`);

/** What a placeholder's path may start with (path-reads.ts's path roots, `param`, and the values a verdict adds). */
const ROOTS = new Set([
  'Trail',
  'Status',
  'EventSelectors',
  'AdvancedEventSelectors',
  'InsightSelectors',
  'Bucket',
  'Key',
  'facts',
  'accountId',
  'region',
  'partition',
  'organizationId',
  'collectedAt',
  'param',
  'reason',
  'count',
  'trail',
  'trails',
]);

/**
 * Why text in braces that is clearly meant as a placeholder is not one, or undefined. `{ Trail.Name }`
 * or `{param.max_age}` would be printed as written in every report; other brace text (a JSON
 * policy in a command, `{Key: value}` in a message) is literal and stays so.
 */
export function malformedPlaceholder(template: string, params: readonly string[]): string | undefined {
  // Mustache and Handlebars write {{Trail.Name}}: the inner pair is filled and the outer pair
  // printed, `{t1}`. Braces meant around a value can be written with a space: `{ {Trail.Name} }`.
  // (Each regular expression's group 1 is not optional: every match has it. A split has a first part.)
  for (const m of template.matchAll(/\{\{([^{}]*)\}\}/g)) {
    const inner = m[1]!.trim();
    const single = `{${inner}}`;
    if (WHOLE_PLACEHOLDER.test(single) && ROOTS.has(inner.split(/[.|]/)[0]!)) {
      return `the placeholder ${m[0]} is in double braces, as Mustache writes them; a placeholder takes one pair, and the outer pair would be printed around the value: write ${single}`;
    }
  }
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    if (WHOLE_PLACEHOLDER.test(m[0])) continue;
    const inner = m[1]!;
    const bar = inner.indexOf('|');
    const path = bar < 0 ? inner : inner.slice(0, bar);
    // Meant as a placeholder: a path of names (spaces, `_` and `-` being the usual slips) starting with a root.
    if (!/^[\sA-Za-z0-9_.-]+$/.test(path) || !ROOTS.has(path.split('.')[0]!.trim())) continue;
    // The spaces around `|` go too: `{Trail.SnsTopicARN | none}` means the fallback `none`.
    const tight = `{${path.replace(/\s+/g, '')}${bar < 0 ? '' : `|${inner.slice(bar + 1).trim()}`}}`;
    if (tight !== m[0] && WHOLE_PLACEHOLDER.test(tight)) return `the placeholder ${m[0]} has spaces in it, so it would be printed as written: write ${tight}`;
    if (path.trim().startsWith('param.')) {
      const takes = params.length > 0 ? params.map((n) => `{param.${n}}`).join(', ') : 'no parameters';
      return `the placeholder ${m[0]} names no parameter of this rule (a parameter's name is letters and digits), so it would be printed as written; it takes ${takes}`;
    }
    return `the placeholder ${m[0]} is not one: a placeholder's path is names of letters and digits joined by dots (such as {Trail.Name}), so it would be printed as written`;
  }
  return undefined;
}

/** One placeholder of a compiled template. */
export interface Placeholder {
  path: string[];
  /** Printed when the value is absent; without one, the placeholder stays as written. */
  fallback?: string;
  /** As written, for when there is no value and no fallback. */
  written: string;
}

const compiled = new Map<string, (string | Placeholder)[]>();

/** A template split once into literal text and placeholders. */
export function compileTemplate(template: string): (string | Placeholder)[] {
  let parts = compiled.get(template);
  if (parts === undefined) {
    parts = [];
    let at = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      if (m.index > at) parts.push(template.slice(at, m.index));
      parts.push({ path: m[1]!.split('.'), ...(m[2] !== undefined ? { fallback: m[2] } : {}), written: m[0] });
      at = m.index + m[0].length;
    }
    if (at < template.length) parts.push(template.slice(at));
    compiled.set(template, parts);
  }
  return parts;
}

/** A message's template for the condition that was false: its one template, or the one keyed by that condition (none: trailgate's words). */
export function conditionTemplate(message: ConditionMessage | undefined, conjunct: string | undefined): string | undefined {
  if (typeof message === 'string' || message === undefined || conjunct === undefined) return typeof message === 'string' ? message : undefined;
  // Own keys only: a condition path never reaches Object.prototype's names.
  const key = Object.hasOwn(message, conjunct) ? conjunct : `${conjunct}?`;
  return Object.hasOwn(message, key) ? message[key] : undefined;
}

/**
 * A rule's remediation commands, once each, for its help: one, or one per check condition (or
 * kind of failure) that has one, with what it is for (the condition or kind, several joined when
 * they share a command; none for a rule's single command). Placeholders are shown as the values
 * to fill in (see `helpCommand`).
 */
export function remediationCommands(meta: RuleMeta): { command: string; for?: string }[] {
  const cli = meta.remediation.cli;
  if (cli === undefined) return [];
  if (typeof cli === 'string') return cli.trim() ? [{ command: helpCommand(cli.trim(), meta.params) }] : [];
  const keys = new Map<string, string[]>();
  for (const [key, command] of Object.entries(cli)) {
    const c = command.trim();
    if (c) keys.set(c, [...(keys.get(c) ?? []), key.replace(/\?$/, '')]);
  }
  return [...keys].map(([command, k]) => ({ command: helpCommand(command, meta.params), for: k.join(', ') }));
}

/**
 * A command template as a reader copies it from a rule's help, where no subject fills it: each
 * placeholder becomes `<Trail.Name>`, or its fallback when that is already such a `<...>` blank.
 * The template syntax itself (`{Key.KeyMetadata.Arn|<key-arn>}`) would read as a shell pipe.
 * A parameter is no subject's: `{param.bucket}` is its value in effect (after the config file),
 * as every result's command has it, when that value may be pasted into a shell as it is.
 */
export function helpCommand(template: string, params: Readonly<Record<string, unknown>> = {}): string {
  return compileTemplate(template)
    .map((part) => {
      if (typeof part === 'string') return part;
      if (part.path[0] === 'param') {
        const v = valueAt(params, part.path.slice(1));
        const text = v === undefined ? undefined : typeof v === 'string' ? v : showValue(v);
        if (text !== undefined && SHELL_SAFE.test(text)) return text;
      }
      return part.fallback !== undefined && /^<[^<>]+>$/.test(part.fallback) ? part.fallback : `<${part.path.join('.')}>`;
    })
    .join('');
}
