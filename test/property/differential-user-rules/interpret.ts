/**
 * The reference interpreter of the user-rule language, from docs/rule-format.md ("Assertions",
 * "Parameters", "Messages") and the design's three-valued logic (rules.md: Kleene aggregates):
 *
 * - a trail rule judges every trail once, under the account that owns it: `skipped` when the
 *   rule's `where` is false, `error` when it is unknown, else the Kleene conjunction of `check`;
 * - a region rule judges every region an account was looked at in, an account rule every account
 *   (the rule-level `where`, on accountId and region, skips the others), by quantifying over the
 *   trails that apply: for a region, those multi-region or homed there;
 * - a trail takes part as `where AND check` in some/none, `where IMPLIES check` in every; a
 *   count lies between the trails surely chosen and those possibly chosen;
 * - a trail list whose DescribeTrails failed (in the region, or in any region of the account)
 *   may hide more trails: some cannot fail, every and none cannot pass, a `max` cannot pass;
 *   a trail rule reports each such region as an `error` result of its own;
 * - a message template has its placeholders filled in; on a pass without one, a trail rule's
 *   message is its title.
 */
import type { Inventory } from '../../../src/inventory/types.ts';
import { bound } from './gen-rules.ts';
import { all, and, lookup, not, or, ownerOf, type Tri, type View } from './paths.ts';
import { paramValue, type Cond, type RuleSpec } from './world.ts';

export type Verdict = 'pass' | 'fail' | 'error' | 'skipped';

export interface Expected {
  status: Verdict;
  /** What the message must match, where the document promises one. */
  message?: RegExp;
}

export const subjectKey = (kind: string, accountId: string, region?: string, arn?: string) => (kind === 'trail' ? `trail ${arn}` : `${kind} ${accountId} ${region ?? ''}`);

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ANY = '[^]*';

/** A template turned into a pattern: each placeholder is a pattern (or undefined: left as written). */
function templatePattern(template: string, fill: (name: string) => string | undefined): RegExp {
  let out = '';
  let last = 0;
  for (const m of template.matchAll(/\{([^{}]+)\}/g)) {
    out += esc(template.slice(last, m.index));
    out += fill(m[1]) ?? esc(m[0]);
    last = m.index + m[0].length;
  }
  return new RegExp(`^${out}${esc(template.slice(last))}$`);
}

function commonFill(rule: RuleSpec, name: string): string | undefined {
  if (name === 'reason') return ANY;
  if (name.startsWith('param.')) return esc(String(paramValue(rule.params[name.slice(6)])));
  return undefined;
}

function message(rule: RuleSpec, status: Verdict, fill: (name: string) => string | undefined): RegExp | undefined {
  if (status !== 'pass' && status !== 'fail') return undefined;
  const t = rule.message[status];
  if (t === undefined) return status === 'pass' && rule.scope === 'trail' ? new RegExp(`^${esc(rule.title)}$`) : undefined;
  return templatePattern(t, (name) => commonFill(rule, name) ?? fill(name));
}

function trailExpected(rule: RuleSpec, view: View): Expected {
  if (rule.assertion.kind !== 'check') throw new Error('a trail rule holds a check');
  const w = all(view, rule.where, rule);
  const c = all(view, rule.assertion.check, rule);
  const status: Verdict = w === 'F' ? 'skipped' : w === 'U' ? 'error' : c === 'T' ? 'pass' : c === 'F' ? 'fail' : 'error';
  const t = view.entry.Trail;
  return {
    status,
    message: message(rule, status, (name) => {
      if (name === 'accountId') return esc(ownerOf(t.TrailARN));
      if (name === 'region') return esc(t.HomeRegion!);
      const l = lookup(view, name);
      if (l.t === 'absent') return undefined;
      return l.t === 'value' && (typeof l.v !== 'object' || l.v === null) ? esc(String(l.v)) : ANY;
    }),
  };
}

/** The rule-level `where` of a region or account rule, on the subject's own accountId and region. */
function subjectWhere(where: Cond[], rule: RuleSpec, accountId: string, region: string | undefined): boolean {
  const view: View = { entry: { Trail: { TrailARN: `arn:aws:cloudtrail:${region}:${accountId}:trail/x`, HomeRegion: region } }, viewer: accountId, inv: { version: 1, accounts: [] } };
  return all(view, where, rule) === 'T';
}

function quantified(rule: RuleSpec, views: View[], complete: boolean, accountId: string, region: string | undefined): Expected {
  const a = rule.assertion;
  if (a.kind === 'check') throw new Error('a region or account rule quantifies');
  const judged = views.map((v) => ({ arn: v.entry.Trail.TrailARN, w: all(v, a.where, rule), c: a.kind === 'count' ? ('T' as Tri) : all(v, a.check, rule) }));
  const open: Tri[] = complete ? [] : ['U'];
  let status: Verdict;
  let concerned: string[] = [];
  let count: string | undefined;
  const definite = complete && judged.every((j) => j.w !== 'U' && j.c !== 'U');
  if (a.kind === 'count') {
    const lower = judged.filter((j) => j.w === 'T').length;
    const upper = complete ? judged.filter((j) => j.w !== 'F').length : Infinity;
    const [min, max] = [bound(rule, a.min) ?? 0, bound(rule, a.max) ?? Infinity];
    status = min <= lower && upper <= max ? 'pass' : upper < min || lower > max ? 'fail' : 'error';
    concerned = judged.filter((j) => j.w === 'T').map((j) => j.arn);
    // A pass whatever the undecided trails are gives the range (docs/rule-format.md, {count}).
    if (lower === upper) count = String(lower);
    else if (status === 'pass') count = upper === Infinity ? `at least ${lower}` : `${lower} to ${upper}`;
  } else {
    const matches = judged.map((j) => (a.kind === 'every' ? or([not(j.w), j.c]) : and([j.w, j.c])));
    const verdict = a.kind === 'every' ? and([...matches, ...open]) : or([...matches, ...open]);
    const holds = a.kind === 'none' ? not(verdict) : verdict;
    status = holds === 'T' ? 'pass' : holds === 'F' ? 'fail' : 'error';
    concerned = judged.filter((_, i) => matches[i] === (a.kind === 'every' ? 'F' : 'T')).map((j) => j.arn);
  }
  return {
    status,
    message: message(rule, status, (name) => {
      if (name === 'accountId') return esc(accountId);
      if (name === 'region') return esc(region!);
      if (name === 'count') return count === undefined ? '\\d+' : esc(count);
      if (name === 'trail') return `(?:${concerned.map(esc).join('|')})`;
      if (name === 'trails') {
        const list = JSON.stringify(concerned);
        return definite && list.length <= 80 ? esc(list) : ANY;
      }
      throw new Error(`the interpreter does not know {${name}}`);
    }),
  };
}

/** Every subject the rule judges, with what the document says its result is. */
export function interpret(rule: RuleSpec, inv: Inventory): Map<string, Expected> {
  const out = new Map<string, Expected>();
  const listFailed = (accountId: string, region: string) => (inv.errors ?? []).some((e) => e.operation === 'DescribeTrails' && e.accountId === accountId && e.region === region);
  for (const acct of inv.accounts) {
    const views = acct.trails.map((entry) => ({ entry, viewer: acct.accountId, inv }));
    if (rule.scope === 'trail') {
      for (const v of views) if (ownerOf(v.entry.Trail.TrailARN) === acct.accountId) out.set(subjectKey('trail', acct.accountId, undefined, v.entry.Trail.TrailARN), trailExpected(rule, v));
      // Trails homed in a region whose trail list is unread cannot be judged: that region is an error of its own.
      for (const region of acct.regions) if (listFailed(acct.accountId, region)) out.set(subjectKey('region', acct.accountId, region), { status: 'error' });
    } else if (rule.scope === 'account') {
      const complete = !acct.regions.some((r) => listFailed(acct.accountId, r));
      const key = subjectKey('account', acct.accountId);
      out.set(key, subjectWhere(rule.where, rule, acct.accountId, undefined) ? quantified(rule, views, complete, acct.accountId, undefined) : { status: 'skipped' });
    } else {
      for (const region of acct.regions) {
        const covering = views.filter((v) => v.entry.Trail.IsMultiRegionTrail === true || v.entry.Trail.HomeRegion === region);
        const key = subjectKey('region', acct.accountId, region);
        out.set(key, subjectWhere(rule.where, rule, acct.accountId, region) ? quantified(rule, covering, !listFailed(acct.accountId, region), acct.accountId, region) : { status: 'skipped' });
      }
    }
  }
  return out;
}
