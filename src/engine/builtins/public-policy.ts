/**
 * Whether a bucket policy or ACL opens the bucket to the public, judged statically (as S3's
 * own PolicyStatus is): an Allow statement for everyone (`"*"`, `{"AWS": "*"}`, or Allow with
 * NotPrincipal) is public unless one of its conditions pins the caller to a fixed account,
 * organization, ARN, network or address range. Conditions are ANDed, so one pin is enough.
 */
import type { Policy, Statement } from '../../policy/index.ts';
import { describeStatement } from '../../policy/index.ts';
import { hasVariables, hasWildcards, STAR } from '../../policy/match.ts';

type Condition = Statement['conditions'][number];
type Value = Condition['values'][number];

/**
 * Condition keys that tie a request to a known caller or place. `aws:SourceIp` pins only with
 * a block narrower than the whole address space; the others pin with any value that has no
 * wildcard (an ARN may have wildcards outside its account field).
 */
const PIN_KEYS = new Set([
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceip',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:userid',
  's3:dataaccesspointaccount',
  's3:dataaccesspointarn',
]);

/** S3's predefined groups that stand for everyone and for every AWS account holder. */
const PUBLIC_GROUPS: Record<string, string> = {
  AllUsers: 'everyone (AllUsers)',
  AuthenticatedUsers: 'any AWS account (AuthenticatedUsers)',
};

const cache = new WeakMap<Policy, string[]>();

/** The statements of a parsed bucket policy that grant access to the public, each described for a message. */
export function publicStatements(policy: Policy): string[] {
  let found = cache.get(policy);
  if (found === undefined) {
    found = policy.statements.filter(isPublicStatement).map((s) => `statement ${describeStatement(s.sid !== undefined ? { index: s.index, sid: s.sid } : { index: s.index })} allows ${s.notPrincipal ? 'everyone but the principals its NotPrincipal names' : 'Principal "*"'} with no condition that pins the caller`);
    cache.set(policy, found);
  }
  return found;
}

function isPublicStatement(s: Statement): boolean {
  if (s.effect !== 'Allow') return false;
  const everyone = s.notPrincipal !== undefined || s.principal?.everyone === true;
  return everyone && !s.conditions.some(pins);
}

/**
 * A condition pins the caller when a request without the key fails it (a plain operator, not
 * IfExists, not ForAllValues, not Null) and every value it accepts is fixed.
 */
function pins(c: Condition): boolean {
  if (!PIN_KEYS.has(c.keyLower) || c.spec.negated || c.ifExists || c.set === 'ForAllValues' || c.spec.family === 'Null') return false;
  if (c.keyLower === 'aws:sourceip') return c.spec.family === 'IpAddress' && c.values.every((v) => v.kind === 'cidr' && v.cidr.prefix > 0);
  return c.values.every(fixed);
}

function fixed(v: Value): boolean {
  if (v.kind === 'pieces') {
    if (hasVariables(v.pieces)) return false;
    if (!hasWildcards(v.pieces)) return true;
    return arnAccountFixed(v.pieces.map((p) => (typeof p === 'string' ? p : p === STAR ? '*' : '?')).join(''));
  }
  if (v.kind === 'arn') return v.parts !== undefined && v.parts[4].length > 0 && !hasWildcards(v.parts[4]) && !hasVariables(v.parts[4]);
  return v.kind === 'text';
}

/** An ARN pattern whose account field is a literal account id still pins the caller to that account. */
function arnAccountFixed(pattern: string): boolean {
  const parts = pattern.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && /^\d{12}$/.test(parts[4]);
}

/** The grants of a bucket ACL to S3's public groups, each described for a message. */
export function publicGrants(acl: { Grants?: Record<string, unknown>[] } | null | undefined): string[] {
  const out: string[] = [];
  for (const g of acl?.Grants ?? []) {
    const grantee = g.Grantee as Record<string, unknown> | undefined;
    const uri = typeof grantee?.URI === 'string' ? grantee.URI : '';
    const group = uri.slice(uri.lastIndexOf('/') + 1);
    if (uri.includes('acs.amazonaws.com/groups/global/') && group in PUBLIC_GROUPS) {
      out.push(`the ACL grants ${typeof g.Permission === 'string' ? g.Permission : 'access'} to ${PUBLIC_GROUPS[group]}`);
    }
  }
  return out;
}
