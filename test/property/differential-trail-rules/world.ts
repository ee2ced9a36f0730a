/**
 * The world the generator of the trail-rule differential test (differential-trail-rules.test.ts)
 * draws from: accounts, an account never scanned, regions, buckets and keys, and the rules under
 * test.
 */

/** Accounts that may be listed in the inventory; the fourth is the log-archive account. */
export const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];
/** An account never scanned: it may own an organization trail (a management account left out), a bucket or a key. */
export const OUTSIDER = '999999999999';
export const OWNERS = [...ACCOUNTS, OUTSIDER];
export const ORG = 'o-a1b2c3d4e5';
export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
export const NOW = Date.parse('2026-01-10T12:00:00Z');
export const HOUR = 3600_000;

/** The first two may be collected; the third lives in an account that was not scanned. */
export const BUCKETS = ['org-trail-logs', 'team-trail-logs', 'partner-trail-logs'];
export const KEY_IDS = ['1234abcd-12ab-34cd-56ef-1234567890ab', '0987dcba-09fe-87dc-65ba-ab0987654321', 'mrk-5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b'];
export const KEY_ACCOUNTS = [ACCOUNTS[3], ACCOUNTS[0], OUTSIDER];
export const KEY_REGIONS = ['us-east-1', 'eu-west-1', 'us-east-1'];
export const KEYS = KEY_IDS.map((id, i) => `arn:aws:kms:${KEY_REGIONS[i]}:${KEY_ACCOUNTS[i]}:key/${id}`);
export const ALIASES = ['alias/org-trail', 'alias/team-trail', 'alias/partner-trail'];

export const TRAIL_RULES = [
  'log-file-validation',
  'kms-encryption',
  'event-selectors-per-trail',
  'trail-logging',
  'delivery-errors',
  'cloudwatch-logs',
  'bucket-not-public',
  'bucket-access-logging',
  'bucket-mfa-delete',
  'kms-key-rotation',
  'insights-enabled',
  'sns-notifications',
] as const;
export type RuleId = (typeof TRAIL_RULES)[number];
