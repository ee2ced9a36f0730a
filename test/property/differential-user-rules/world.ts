/**
 * The fixed world of the user-rule language differential test (differential-user-rules.test.ts):
 * the accounts, regions, buckets and keys both generators use, the subject paths a generated rule
 * may name (each with the read it needs, as docs/rule-format.md lists them), and the shape of a
 * generated rule before it is written out as YAML.
 */

/** Account 0 manages the organization whenever there is one; account 1 is then a member. */
export const ACCOUNTS = ['111111111111', '222222222222'];
export const REGIONS = ['us-east-1', 'eu-west-1'];
export const BUCKETS = ['logs-a', 'logs-b'];
export const KEYS = ['arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:kms:eu-west-1:111111111111:key/0987dcba-09fe-87dc-65ba-ab0987654321'];
export const TRAIL_NAMES = ['a', 'b', 'c'];
export const SNS = 'arn:aws:sns:us-east-1:111111111111:ct';

/** A read a rule declares (docs/rule-format.md, "Reads"). */
export type ReadName = 'Trail' | 'Status' | 'EventSelectors' | 'Bucket.RequestPayer' | 'Bucket.Versioning' | 'Key.KeyMetadata' | 'Key.KeyRotationEnabled';

export type Kind = 'string' | 'boolean' | 'integer' | 'array';

export interface PathDef {
  path: string;
  read: ReadName;
  kind: Kind;
  /** Values worth comparing with (for string paths: const, enum and the like). */
  pool: unknown[];
  /** The field may be absent from a read that was made, so `?` means something. */
  optional: boolean;
}

const B = [true, false];

/** Every path a generated rule may name, with its read. */
export const PATHS: PathDef[] = [
  { path: 'Trail.Name', read: 'Trail', kind: 'string', pool: TRAIL_NAMES, optional: false },
  { path: 'Trail.HomeRegion', read: 'Trail', kind: 'string', pool: REGIONS, optional: false },
  { path: 'Trail.IsMultiRegionTrail', read: 'Trail', kind: 'boolean', pool: B, optional: false },
  { path: 'Trail.LogFileValidationEnabled', read: 'Trail', kind: 'boolean', pool: B, optional: true },
  { path: 'Trail.SnsTopicARN', read: 'Trail', kind: 'string', pool: [SNS, 'x'], optional: true },
  { path: 'Trail.S3BucketName', read: 'Trail', kind: 'string', pool: BUCKETS, optional: false },
  { path: 'Trail.KmsKeyId', read: 'Trail', kind: 'string', pool: KEYS, optional: true },
  { path: 'Status.IsLogging', read: 'Status', kind: 'boolean', pool: B, optional: true },
  { path: 'Status.LatestDeliveryError', read: 'Status', kind: 'string', pool: ['AccessDenied', 'NoSuchBucket'], optional: true },
  { path: 'EventSelectors', read: 'EventSelectors', kind: 'array', pool: [], optional: false },
  { path: 'Bucket.RequestPayer', read: 'Bucket.RequestPayer', kind: 'string', pool: ['BucketOwner', 'Requester'], optional: false },
  { path: 'Bucket.Versioning.Status', read: 'Bucket.Versioning', kind: 'string', pool: ['Enabled', 'Suspended'], optional: true },
  { path: 'Bucket.Versioning.MFADelete', read: 'Bucket.Versioning', kind: 'string', pool: ['Enabled', 'Disabled'], optional: true },
  { path: 'Key.KeyRotationEnabled', read: 'Key.KeyRotationEnabled', kind: 'boolean', pool: B, optional: false },
  { path: 'Key.KeyMetadata.KeyState', read: 'Key.KeyMetadata', kind: 'string', pool: ['Enabled', 'Disabled'], optional: false },
  { path: 'accountId', read: 'Trail', kind: 'string', pool: ACCOUNTS, optional: false },
  { path: 'region', read: 'Trail', kind: 'string', pool: REGIONS, optional: false },
  { path: 'facts.owned', read: 'Trail', kind: 'boolean', pool: B, optional: false },
  { path: 'facts.ownerAccountId', read: 'Trail', kind: 'string', pool: ACCOUNTS, optional: false },
  { path: 'facts.isOrganizationTrail', read: 'Trail', kind: 'boolean', pool: B, optional: false },
  { path: 'facts.multiRegion', read: 'Trail', kind: 'boolean', pool: B, optional: false },
  { path: 'facts.kmsEncrypted', read: 'Trail', kind: 'boolean', pool: B, optional: false },
  { path: 'facts.eventSelectorCount', read: 'EventSelectors', kind: 'integer', pool: [0, 1, 2], optional: false },
];

/** Simple patterns: anchored text, a class, a non-repeated group of alternatives. */
export const PATTERNS = ['^a', 'b$', '^arn:aws:', 'Enabled', '^(eu|us)-', '^[a-z]+$', '^1+$', 'Access'];

/** A JSON Schema fragment of the safe subset; any value may be `{ $param: NAME }`. */
export type Fragment = Record<string, unknown>;

export interface Cond {
  def: PathDef;
  /** The path is written with the `?` suffix. */
  opt: boolean;
  schema: Fragment;
}

export type ParamType = 'integer' | 'string' | 'boolean' | 'array';
export interface ParamSpec {
  type: ParamType;
  default: unknown;
  /** A value the config file sets instead of the default, if any. */
  override?: unknown;
}

export type Assertion =
  | { kind: 'check'; check: Cond[] }
  | { kind: 'some' | 'every' | 'none'; where: Cond[]; check: Cond[] }
  | { kind: 'count'; where: Cond[]; min?: unknown; max?: unknown };

export type Scope = 'trail' | 'region' | 'account';

export interface RuleSpec {
  id: string;
  title: string;
  scope: Scope;
  /** The rule-level `where`: any paths for trail rules; accountId and region for the others. */
  where: Cond[];
  assertion: Assertion;
  params: Record<string, ParamSpec>;
  message: { pass?: string; fail?: string };
}

/** The value a parameter stands for, after the config file. */
export function paramValue(p: ParamSpec): unknown {
  return p.override !== undefined ? p.override : p.default;
}

/** Every condition of a rule, rule-level where included. */
export function conditions(rule: RuleSpec): Cond[] {
  const a = rule.assertion;
  return [...rule.where, ...(a.kind === 'check' ? a.check : a.kind === 'count' ? a.where : [...a.where, ...a.check])];
}

/** The reads a rule declares: Trail, and whatever its paths need. */
export function readsOf(rule: RuleSpec): ReadName[] {
  return [...new Set<ReadName>(['Trail', ...conditions(rule).map((c) => c.def.read)])];
}
