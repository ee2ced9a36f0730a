/**
 * The read a rule's path depends on (`Trail`, `Status`, `Bucket.Policy`, a fact's read, ...),
 * or why the path names nothing a subject has: checked when a rule is loaded, so that a path
 * with no data behind it is refused at its line rather than silently absent in every run.
 */
import { BUCKET_OPERATIONS, KEY_OPERATIONS } from '../engine/reads.ts';
import { COLLECTED_AT_KNOWN, ORGANIZATION_KNOWN, SELECTORS_UNLESS_UNREAD, STATUS_IS_LOGGING } from '../engine/trail-reads.ts';
import { fieldProblem } from './field-problems.ts';

/** The read each derived fact depends on. */
const FACT_READS: Record<string, string> = {
  owned: 'Trail',
  ownerAccountId: 'Trail',
  isOrganizationTrail: 'Trail',
  multiRegion: 'Trail',
  coversGlobalRegion: 'Trail',
  kmsEncrypted: 'Trail',
  keyRegion: 'Trail',
  knownToSkipManagementEvents: SELECTORS_UNLESS_UNREAD,
  recordsAllManagementEvents: 'EventSelectors',
  eventSelectorCount: 'EventSelectors',
  dataResourceCount: 'EventSelectors',
  advancedSelectorCount: 'EventSelectors',
  advancedValueCount: 'EventSelectors',
  recordsS3WriteDataEvents: 'EventSelectors',
  recordsS3ReadDataEvents: 'EventSelectors',
  cloudWatchLogsDeliveryAgeHours: 'Status.collectedAt',
  keyCustomerManaged: 'Key.KeyMetadata',
  keySymmetric: 'Key.KeyMetadata',
  keyFound: 'Trail',
  hasInsightSelectors: 'Trail.HasInsightSelectors',
};

/**
 * Top-level subject fields beside the trail, each with the read it depends on: the owner's
 * organization id on DescribeOrganization (absent for an account in no organization, unknown
 * when the read failed), collectedAt on the inventory having one. The account, region and
 * partition are known with the trail.
 */
const PLAIN_FIELDS: Record<string, string> = { accountId: 'Trail', region: 'Trail', partition: 'Trail', organizationId: ORGANIZATION_KNOWN, collectedAt: COLLECTED_AT_KNOWN };

/** The read a path depends on, or an explanation of why the path is not valid. */
export function readForPath(path: string[]): { read: string } | { problem: string } {
  const r = rootRead(path);
  if ('problem' in r) return r;
  const problem = fieldProblem(path);
  return problem === undefined ? r : { problem };
}

/** The read behind a path's first segment (and, for a bucket, a key or a fact, its second). */
function rootRead(path: string[]): { read: string } | { problem: string } {
  const [root, field] = path;
  switch (root) {
    case 'Trail':
      return { read: 'Trail' };
    case 'Status':
      // AWS always answers IsLogging: a Status without it (written by hand) says nothing about logging.
      return { read: field === 'IsLogging' ? STATUS_IS_LOGGING : 'Status' };
    case 'EventSelectors':
    case 'AdvancedEventSelectors':
      return { read: 'EventSelectors' };
    case 'InsightSelectors':
      return { read: 'InsightSelectors' };
    case 'Bucket':
      // Own keys only: `in` would take `constructor` or `toString` for an operation or a fact.
      return { read: field !== undefined && Object.hasOwn(BUCKET_OPERATIONS, field) ? `Bucket.${field}` : 'Bucket' };
    case 'Key':
      return { read: field !== undefined && Object.hasOwn(KEY_OPERATIONS, field) ? `Key.${field}` : 'Key' };
    case 'facts':
      if (field === undefined || !Object.hasOwn(FACT_READS, field)) {
        return { problem: `unknown fact "${field ?? ''}"; known facts: ${Object.keys(FACT_READS).join(', ')}` };
      }
      // A fact is one value (true, a count, an account id): nothing is ever below it.
      if (path.length > 2) return { problem: `facts.${field} is a single value, so ${path.join('.')} names nothing; write facts.${field}` };
      return { read: FACT_READS[field]! };
    default:
      if (root !== undefined && Object.hasOwn(PLAIN_FIELDS, root) && path.length === 1) return { read: PLAIN_FIELDS[root]! };
      return {
        problem: `unknown path "${path.join('.')}"; a path starts with Trail, Status, EventSelectors, AdvancedEventSelectors, InsightSelectors, Bucket, Key, facts, accountId, region, partition, organizationId or collectedAt`,
      };
  }
}
