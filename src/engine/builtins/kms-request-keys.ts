/**
 * The condition keys of CloudTrail's KMS requests beyond bucket-delivery's context: those KMS
 * sets from the key itself (kms:KeyOrigin, kms:KeySpec...), taken from the inventory's
 * KeyMetadata, and those whose value no inventory gives. kms-key-usable judges a key policy in
 * them: a decision that hangs on an unknown value is never guessed (unknown-keys.ts bounds it),
 * and what it hangs on is named here, as a missing read or as what no read gives.
 */
import type { FailedRead } from '../result.ts';
import type { TrailSubject } from '../subjects.ts';
import { arnAccount } from '../trail-subject.ts';
import { ORGANIZATION_KNOWN } from '../trail-reads.ts';
import type { Policy } from '../../policy/index.ts';
import { SOURCE_ORG_ID, sourceOrganizationUnread } from '../../policy/delivery-requests.ts';
import { TIME_KEYS, timeNotCollected } from '../../policy/request-time.ts';
import { keyBounds, type Bounds } from '../../policy/unknown-keys.ts';
import { statementsOn, whoseValueIn, type Hang } from '../../policy/hangs.ts';

/**
 * The condition keys that describe the key itself, which KMS sets on every request for a KMS key
 * resource operation (GenerateDataKey and DescribeKey both are: KMS developer guide, "AWS KMS
 * condition keys"), each with the KeyMetadata field DescribeKey gives it from.
 */
const KEY_DESCRIBING: readonly { key: string; field: string }[] = [
  { key: 'kms:KeyOrigin', field: 'Origin' },
  { key: 'kms:KeySpec', field: 'KeySpec' },
  { key: 'kms:KeyUsage', field: 'KeyUsage' },
  { key: 'kms:MultiRegion', field: 'MultiRegion' },
  { key: 'kms:MultiRegionKeyType', field: 'MultiRegionConfiguration.MultiRegionKeyType' },
];
const KEY_DESCRIBING_LOWER = new Map(KEY_DESCRIBING.map((d) => [d.key.toLowerCase(), d]));

/**
 * Keys of CloudTrail's requests whose value no inventory gives, and which AWS may not send at
 * all: aws:UserAgent (sent, in fact, but with a value no inventory gives), kms:ViaService and
 * kms:CallerAccount (for a service principal, acting for itself), the
 * key's tags and its aliases (neither is collected), and the organization paths of the key's
 * account and of the trail owner's (each sent only when the account is in an organization; no
 * read gives organizational units; bucket-delivery bounds aws:SourceOrgPaths alike). A `/`
 * stands for every key under it.
 */
const UNKNOWABLE: readonly string[] = ['aws:UserAgent', 'kms:ViaService', 'kms:CallerAccount', 'kms:ResourceAliases', 'aws:ResourceTag/', 'aws:ResourceOrgPaths', 'aws:SourceOrgPaths'];
/** The organization id of the key's account: unknown for some trails only (keyOwnerKeys). */
const RESOURCE_ORG_ID = 'aws:ResourceOrgID';
const RESOURCE_ORG_ID_LOWER = RESOURCE_ORG_ID.toLowerCase();
const isUnknowable = (keyLower: string): boolean =>
  keyLower === RESOURCE_ORG_ID_LOWER || UNKNOWABLE.some((k) => (k.endsWith('/') ? keyLower.startsWith(k.toLowerCase()) : keyLower === k.toLowerCase()));

/**
 * The keys IAM puts in every request about the account that owns the key: aws:ResourceAccount,
 * which the key ARN gives (a key named by alias or bare id is the trail owner's, as KMS reads
 * it), and aws:ResourceOrgID, the account's organization, which IAM sends only when it is in
 * one. For the trail owner's key the inventory says which: its organization id, or none when
 * DescribeOrganization found none, so the key is absent, as aws:SourceOrgID is from the same
 * read (cloudTrailRequestContext). It is unknown, and may be absent, for another account's key
 * and when that read failed: `mayBeAbsent` holds it then.
 */
export function keyOwnerKeys(t: TrailSubject, keyArn: string): { context: Record<string, string>; mayBeAbsent: string[] } {
  const account = keyAccount(t, keyArn);
  const context: Record<string, string> = { 'aws:ResourceAccount': account };
  if (account !== t.accountId || ownerOrganizationFailure(t, keyArn) !== undefined) return { context, mayBeAbsent: [RESOURCE_ORG_ID] };
  if (t.organizationId !== undefined && t.organizationId !== '') context[RESOURCE_ORG_ID] = t.organizationId;
  return { context, mayBeAbsent: [] };
}

/**
 * aws:SourceOrgID, the trail owner's organization, from the same read: unknown, and may be
 * absent, when DescribeOrganization failed (bucket-delivery bounds it alike).
 */
export function sourceOwnerKeys(t: TrailSubject): string[] {
  return sourceOrganizationUnread(t) ? [SOURCE_ORG_ID] : [];
}

const SOURCE_ORG_ID_LOWER = SOURCE_ORG_ID.toLowerCase();

/** The account that owns the key: its ARN's, or the trail owner's for an alias or bare id. */
const keyAccount = (t: TrailSubject, keyArn: string): string => arnAccount(keyArn) ?? t.accountId;

/** For the trail owner's key, the failed read (DescribeOrganization) that leaves its organization unknown; undefined otherwise. */
function ownerOrganizationFailure(t: TrailSubject, keyArn: string): FailedRead | undefined {
  if (keyAccount(t, keyArn) !== t.accountId) return undefined;
  const read = t.read(ORGANIZATION_KNOWN);
  return read.ok ? undefined : read.failed;
}

/** The only encryption algorithm GenerateDataKey uses, which KMS sends as kms:EncryptionAlgorithm (not on DescribeKey). */
export const DATA_KEY_ALGORITHM = 'SYMMETRIC_DEFAULT';

/** The actions kms-key-usable judges: only statements that may apply to them matter. */
const ACTIONS: readonly string[] = ['kms:GenerateDataKey', 'kms:DescribeKey'];

/**
 * The condition keys that describe the key, from its metadata: `context` holds those whose
 * values it gives; `unknown`, the ones KMS always sends whose field it lacks; `mayBeAbsent`,
 * kms:MultiRegionKeyType when whether the key is multi-Region is unknown (KMS sends it only for
 * a multi-Region key). Without metadata, every one is unknown.
 */
export function describingKeys(meta: Record<string, unknown> | undefined): { context: Record<string, string | boolean>; unknown: string[]; mayBeAbsent: string[] } {
  const context: Record<string, string | boolean> = {};
  const unknown: string[] = [];
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const set = (key: string, value: string | boolean | undefined): void => {
    if (value === undefined) unknown.push(key);
    else context[key] = value;
  };
  set('kms:KeyOrigin', text(meta?.Origin));
  set('kms:KeySpec', text(meta?.KeySpec) ?? text(meta?.CustomerMasterKeySpec));
  set('kms:KeyUsage', text(meta?.KeyUsage));
  const multiRegion = typeof meta?.MultiRegion === 'boolean' ? meta.MultiRegion : undefined;
  set('kms:MultiRegion', multiRegion);
  const config = meta?.MultiRegionConfiguration;
  const keyType = config !== null && typeof config === 'object' ? text((config as Record<string, unknown>).MultiRegionKeyType) : undefined;
  // A key that is not multi-Region has no kms:MultiRegionKeyType at all.
  if (multiRegion === false) return { context, unknown, mayBeAbsent: [] };
  if (keyType !== undefined) context['kms:MultiRegionKeyType'] = keyType;
  else if (multiRegion === true) unknown.push('kms:MultiRegionKeyType');
  return { context, unknown, mayBeAbsent: keyType === undefined && multiRegion === undefined ? ['kms:MultiRegionKeyType'] : [] };
}

/** Per parsed policy, its bounds for each set of unknown keys: built once however many trails share the key. */
const boundsCache = new WeakMap<Policy, Map<string, Bounds | undefined>>();

/**
 * The bounds of a key policy over the values the inventory cannot give for one trail: `present`
 * (keys KMS always sends: the time without collectedAt, a property DescribeKey did not give),
 * `mayBeAbsent` (kms:MultiRegionKeyType of a key not known to be multi-Region), and what no
 * inventory gives. Undefined when no statement that may apply to CloudTrail's actions conditions on them.
 */
export function boundsOf(policy: Policy, present: readonly string[], mayBeAbsent: readonly string[]): Bounds | undefined {
  let byKeys = boundsCache.get(policy);
  if (byKeys === undefined) boundsCache.set(policy, (byKeys = new Map()));
  const id = `${present.join(',')}|${mayBeAbsent.join(',')}`;
  if (!byKeys.has(id)) byKeys.set(id, keyBounds(policy, present, { mayBeAbsent: [...UNKNOWABLE, ...mayBeAbsent], actions: ACTIONS }));
  return byKeys.get(id);
}

/** A request (by its label) whose decision hangs on a value the inventory cannot give, and the statements it hangs on. */
export interface Undecided {
  label: string;
  hangs: Hang[];
}

/**
 * What the undecided requests lack, each kind named once, with the first request that lacks it:
 * collectedAt for the time; DescribeKey's field for a key property (unless the metadata is
 * missing as a whole, a read already named); the failed DescribeOrganization for the
 * organization of the trail owner's key, with what hangs on it (in `unknowable`, after the read);
 * and, not being any read's, what no inventory gives.
 */
export function unknownValues(t: TrailSubject, keyArn: string, haveMetadata: boolean, undecided: readonly Undecided[]): { failed: FailedRead[]; unknowable: string[] } {
  const failed: FailedRead[] = [];
  const unknowable: string[] = [];
  const first = (of: (keyLower: string) => boolean): { u: Undecided; on: string; whose: string } | undefined => {
    for (const u of undecided) {
      const on = statementsOn(u.hangs, of);
      if (on !== '') return { u, on, whose: whoseValueIn(u.hangs, of, ' at all') };
    }
    return undefined;
  };
  const time = undecided.find((u) => statementsOn(u.hangs, (k) => TIME_KEYS_LOWER.has(k)) !== '');
  if (time) failed.push(timeNotCollected(time.label, time.hangs, t.collectedAtAccount));
  const property = haveMetadata ? first((k) => KEY_DESCRIBING_LOWER.has(k)) : undefined;
  if (property) {
    const fields = [...new Set(property.u.hangs.flatMap((h) => h.keys.map((k) => KEY_DESCRIBING_LOWER.get(k.toLowerCase())?.field).filter((f) => f !== undefined)))];
    const message = `the KeyMetadata.${fields.join(' and KeyMetadata.')} of key ${keyArn} is not in the inventory, and ${property.on}, so whether CloudTrail ${property.u.label} is allowed is unknown`;
    failed.push({ operation: 'DescribeKey', resource: keyArn, code: 'NotCollected', message });
  }
  const organizationRead = ownerOrganizationFailure(t, keyArn);
  const organization = organizationRead ? first((k) => k === RESOURCE_ORG_ID_LOWER) : undefined;
  if (organization) {
    failed.push(organizationRead!);
    unknowable.push(`${organization.on}, the organization of the key's owner account ${t.accountId}, which that read gives, so whether CloudTrail ${organization.u.label} is allowed is unknown`);
  }
  const sourceRead = sourceOrganizationUnread(t);
  const source = sourceRead ? first((k) => k === SOURCE_ORG_ID_LOWER) : undefined;
  if (source) {
    // The same read as the key owner's organization when the key is the trail owner's: named once.
    if (!organization) failed.push(sourceRead!);
    unknowable.push(`${source.on}, the organization of the trail owner's account ${t.accountId}, which that read gives, so whether CloudTrail ${source.u.label} is allowed is unknown`);
  }
  const none = first((k) => isUnknowable(k) && !(organization && k === RESOURCE_ORG_ID_LOWER));
  if (none) unknowable.push(`${none.on}, ${none.whose} no inventory gives, so whether CloudTrail ${none.u.label} is allowed is unknown`);
  return { failed, unknowable };
}

const TIME_KEYS_LOWER: ReadonlySet<string> = new Set(TIME_KEYS.map((k) => k.toLowerCase()));
