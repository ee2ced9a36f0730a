/**
 * The fixed world of the account- and region-rule differential test
 * (differential-account-rules.test.ts): the rules under test, and the accounts, organization,
 * bucket and partitions that both the generator and the oracle use.
 */
import type { Partition } from '../../../src/inventory/types.ts';

export const RULE_IDS = ['multi-region-trail', 'global-service-events', 's3-data-events-write', 's3-data-events-read', 'global-events-duplicated', 'security-trail', 'trails-per-region'] as const;
export type RuleId = (typeof RULE_IDS)[number];
export type Verdict = 'pass' | 'fail' | 'error';

/** Lowered from the default 5 so that small inventories exceed it too. */
export const MAX_TRAILS = 2;

/** Account 0 is the organization's management account whenever there is an organization. */
export const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];
export const ORG = 'o-exampleorg1';
export const BUCKET = 'team-logs';

export const PARTITIONS: Record<Partition, { regions: string[]; global: string }> = {
  aws: { regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'], global: 'us-east-1' },
  'aws-us-gov': { regions: ['us-gov-west-1', 'us-gov-east-1'], global: 'us-gov-west-1' },
  'aws-cn': { regions: ['cn-north-1', 'cn-northwest-1'], global: 'cn-north-1' },
};

/** Reads whose failure leaves the whole account unread, whatever region they name. */
export const ACCOUNT_WIDE = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'GetCallerIdentity', 'ListRegions', 'DescribeRegions']);
