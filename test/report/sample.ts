/** A small, realistic run for reporter tests: a few rules, results of every status, hostile strings. */
import type { Result, Severity, Subject } from '../../src/engine/result.ts';
import type { RuleMeta } from '../../src/rules/types.ts';
import type { ReportInput } from '../../src/report/types.ts';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';

/**
 * A trail name no real trail could have, but a hand-edited snapshot can: control characters,
 * quotes, markup, an emoji (a surrogate pair) and an unpaired surrogate.
 */
export const HOSTILE_NAME = 'prod\u0000"main"\u0007 <b>&\'\r\n\t🚀\uD800end';

/** Builds one rule's metadata; tests override what they need. */
export function rule(id: string, severity: Severity, overrides: Partial<RuleMeta> = {}): RuleMeta {
  return {
    id,
    title: `Title of ${id}`,
    severity,
    scope: 'trail',
    description: `Why ${id} matters.`,
    remediation: { text: `Fix ${id}.` },
    references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/'],
    compliance: {},
    tags: ['cloudtrail'],
    source: `builtin:rules/${id}.yaml`,
    builtin: true,
    ...overrides,
  };
}

/** A trail subject in the given account and home region. */
export function trail(name: string, accountId = ACCOUNT, region = 'us-east-1'): Subject {
  return { kind: 'trail', accountId, region, arn: `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`, name };
}

/** Builds one result; tests override what they need. */
export function result(ruleId: string, status: Result['status'], subject: Subject, overrides: Partial<Result> = {}): Result {
  return { ruleId, status, severity: 'medium', subject, message: `${ruleId} ${status} for ${subject.arn ?? subject.accountId}`, ...overrides };
}

export const SAMPLE_RULES: RuleMeta[] = [
  rule('kms-encryption', 'medium', {
    title: 'Trail log files are encrypted with a KMS key',
    description: 'x'.repeat(1100) + '🚀 and more',
    remediation: { text: 'Give the trail a customer managed KMS key.', cli: 'aws cloudtrail update-trail --name NAME --kms-key-id ```alias/trail```' },
    compliance: { 'cis-aws-foundations-v3.0': ['3.5'], 'aws-fsbp': ['CloudTrail.2'] },
  }),
  rule('log-file-validation', 'high', {
    title: 'Log file integrity validation is enabled',
    remediation: { text: 'Turn on log file validation.', cli: 'aws cloudtrail update-trail --name NAME --enable-log-file-validation' },
    references: ['not a url', 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html'],
    compliance: {
      'cis-aws-foundations-v3.0': ['3.2'],
      'aws-fsbp': ['CloudTrail.4'],
      'nist-800-53-r5': ['AU-9', 'AU-9(3)', 'SI-4', 'SI-7', 'SI-7(1)', 'SI-7(3)', 'SI-7(7)'],
      'pci-dss-v4.0': ['10.3.2'],
    },
  }),
  rule('multi-region-trail', 'critical', {
    title: 'A multi-Region trail records management events',
    scope: 'account',
    references: [],
    compliance: { 'cis-aws-foundations-v3.0': ['3.1'], 'aws-fsbp': ['CloudTrail.1'] },
    tags: ['cloudtrail', 'logging'],
  }),
  rule('region-has-trail', 'low', { scope: 'region', tags: [] }),
  rule('trail-insights', 'info', { title: 'Insights are enabled' }),
];

/** The sample run. Each call builds fresh objects, so a test may compare two builds. */
export function sampleInput(): ReportInput {
  const prod = trail('prod');
  const hostile = trail(HOSTILE_NAME);
  const other = trail('org-trail', OTHER_ACCOUNT, 'eu-west-1');
  const results: Result[] = [
    result('kms-encryption', 'fail', prod, { location: { file: 'inventories/prod account.json', line: 42, column: 7 } }),
    result('kms-encryption', 'fail', hostile, { message: `Trail ${HOSTILE_NAME} has no KMS key` }),
    result('kms-encryption', 'pass', other, { location: { file: 'inventories/org.json', line: 9 } }),
    result('log-file-validation', 'error', prod, {
      severity: 'high',
      message: 'Could not tell whether log file validation is on',
      failedReads: [{ operation: 'cloudtrail:GetTrail', region: 'us-east-1', resource: prod.arn, code: 'AccessDeniedException', message: 'not authorized' }],
    }),
    result('log-file-validation', 'error', hostile, { severity: 'high', message: 'Trail details were not collected' }),
    result('log-file-validation', 'pass', other, { severity: 'high' }),
    result('multi-region-trail', 'fail', { kind: 'account', accountId: ACCOUNT }, { severity: 'critical', message: 'No multi-Region trail' }),
    result('multi-region-trail', 'skipped', { kind: 'account', accountId: OTHER_ACCOUNT }, {
      severity: 'critical',
      message: 'No multi-Region trail',
      suppression: { kind: 'suppression', reason: 'Org trail covers "this" <account>', owner: 'secops', expires: '2027-01-31' },
    }),
    result('region-has-trail', 'skipped', { kind: 'region', accountId: ACCOUNT, region: 'ap-south-2' }, { severity: 'low', message: 'Region not enabled' }),
    result('region-has-trail', 'pass', { kind: 'region', accountId: ACCOUNT, region: 'us-east-1' }, { severity: 'low' }),
    // Same subject twice in one rule: the JUnit names must still differ.
    result('trail-insights', 'fail', prod, { severity: 'info', message: 'No Insights selectors' }),
    result('trail-insights', 'fail', prod, { severity: 'info', message: 'No Insights selectors (shadow copy)' }),
    result('trail-insights', 'fail', { kind: 'trail', accountId: OTHER_ACCOUNT, region: 'eu-west-1', name: '..' }, { severity: 'info' }),
  ];
  return {
    tool: { name: 'trailgate', version: '0.1.0-test', informationUri: 'https://github.com/trailgate/trailgate' },
    rules: SAMPLE_RULES.map((r) => structuredClone(r)),
    results,
    startTime: '2026-01-02T03:04:05.678Z',
    inputs: ['inventories/prod account.json', 'inventories/org.json'],
    failOn: 'high',
    exitCode: 1,
  };
}
