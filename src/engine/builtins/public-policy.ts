/**
 * Whether a bucket policy or ACL opens the bucket to the public, judged statically (as S3's
 * own PolicyStatus is): an Allow statement for everyone (`"*"`, `{"AWS": "*"}`, or Allow with
 * NotPrincipal) is public unless one of its conditions pins the caller to a fixed account,
 * organization, ARN, network or address range. Conditions are ANDed, so one pin is enough.
 * It reads the policy document as written (the caller has already checked, with parsePolicy,
 * that the evaluator accepts it), so it depends on IAM's grammar, not on evaluator internals.
 */
import { byName, describeStatement, type StatementRef } from '../../policy/index.ts';
import { parseCidr } from '../../policy/ip.ts';

/**
 * Condition keys that tie a request to a known caller or place. `aws:SourceIp` pins only with
 * a block of /8 or narrower in IPv4, /32 or narrower in IPv6 (S3's own measure); the others pin with any value that has no
 * wildcard (an ARN may have wildcards outside its account field) and no policy variable.
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
  // On S3's own list of what makes a policy non-public: only requests encrypted with that key match.
  's3:x-amz-server-side-encryption-aws-kms-key-id',
]);

/** Operators whose values may hold `*` and `?` wildcards. */
const WILDCARD_OPERATORS = new Set(['stringlike', 'arnlike', 'arnequals']);
/** Positive operators that test a key's value (negated ones, Null and the numeric/date families never pin). */
const POSITIVE_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike', 'ipaddress']);

/** S3's predefined groups that stand for everyone and for every AWS account holder. */
const PUBLIC_GROUPS: Record<string, string> = {
  AllUsers: 'everyone (AllUsers)',
  AuthenticatedUsers: 'any AWS account (AuthenticatedUsers)',
};

const byText = new Map<string, string[]>();
const byObject = new WeakMap<object, string[]>();
const TEXT_CACHE_LIMIT = 10_000;

/** The statements of a bucket policy (JSON text or object) that grant access to the public, each described for a message. */
export function publicStatements(policy: string | object): string[] {
  let found = typeof policy === 'string' ? byText.get(policy) : byObject.get(policy);
  if (found !== undefined) return found;
  found = analyse(typeof policy === 'string' ? safeParse(policy) : policy);
  if (typeof policy === 'string') {
    if (byText.size >= TEXT_CACHE_LIMIT) byText.clear();
    byText.set(policy, found);
  } else byObject.set(policy, found);
  return found;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function analyse(doc: unknown): string[] {
  const raw = (doc as { Statement?: unknown } | undefined)?.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const found: { ref: StatementRef; who: string }[] = [];
  statements.forEach((s: Record<string, unknown>, index) => {
    if (s?.Effect !== 'Allow') return;
    const notPrincipal = s.NotPrincipal !== undefined;
    if (!notPrincipal && !isEveryone(s.Principal)) return;
    if (pinned(s.Condition)) return;
    const ref = typeof s.Sid === 'string' ? { index, sid: s.Sid } : { index };
    found.push({ ref, who: notPrincipal ? 'everyone except the principals in its NotPrincipal' : 'Principal "*"' });
  });
  // In naming order, as the evaluator names statements: IAM gives statement order no meaning.
  return found.sort((a, b) => byName(a.ref, b.ref)).map(({ ref, who }) => `statement ${describeStatement(ref)} allows ${who}, with no condition that pins the caller`);
}

function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  const aws = (principal as { AWS?: unknown } | undefined)?.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

/** Whether some condition of the block pins the caller (a request without the key fails it). */
function pinned(condition: unknown): boolean {
  if (condition === null || typeof condition !== 'object') return false;
  for (const [written, block] of Object.entries(condition as Record<string, unknown>)) {
    let operator = written.toLowerCase();
    if (operator.startsWith('forallvalues:')) continue; // true for a request without the key
    if (operator.startsWith('foranyvalue:')) operator = operator.slice('foranyvalue:'.length);
    if (operator.endsWith('ifexists') || !POSITIVE_OPERATORS.has(operator)) continue;
    if (block === null || typeof block !== 'object') continue;
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      const k = key.toLowerCase();
      if (!PIN_KEYS.has(k)) continue;
      const values = (Array.isArray(value) ? value : [value]).map(String);
      if (values.length > 0 && values.every((v) => fixedValue(k, operator, v))) return true;
    }
  }
  return false;
}

function fixedValue(key: string, operator: string, v: string): boolean {
  if (v.includes('${')) return false;
  if (key === 'aws:sourceip') return operator === 'ipaddress' && narrowBlock(v);
  if (operator === 'ipaddress') return false;
  if (!WILDCARD_OPERATORS.has(operator) || !/[*?]/.test(v)) return true;
  // A wildcard ARN whose account field is a literal account id still pins the caller to that account.
  const parts = v.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && /^\d{12}$/.test(parts[4]!);
}

/**
 * Whether an aws:SourceIp value pins the caller as S3 judges it: S3 calls a policy public when it
 * allows a block broader than /8 in IPv4 or /32 in IPv6 (0.0.0.0/1 is half the internet). The
 * private ranges of RFC 1918 are all /8 or narrower, so they pin by this measure too.
 */
function narrowBlock(v: string): boolean {
  const cidr = parseCidr(v);
  return cidr !== undefined && cidr.prefix >= (cidr.v6 ? 32 : 8);
}

/** The grants of a bucket ACL to S3's public groups, each described for a message. */
export function publicGrants(acl: { Grants?: Record<string, unknown>[] } | null | undefined): string[] {
  const out: string[] = [];
  for (const g of acl?.Grants ?? []) {
    const grantee = g.Grantee as Record<string, unknown> | undefined;
    const uri = typeof grantee?.URI === 'string' ? grantee.URI : '';
    const group = uri.slice(uri.lastIndexOf('/') + 1);
    if (uri.includes('acs.amazonaws.com/groups/global/') && Object.hasOwn(PUBLIC_GROUPS, group)) {
      out.push(`the ACL grants ${typeof g.Permission === 'string' ? g.Permission : 'access'} to ${PUBLIC_GROUPS[group]}`);
    }
  }
  return out;
}
