/**
 * Each built-in rule's `compliance` mappings against the "maps to" column of the design
 * (shared/design/rules.md), framework, version and control id exactly. The design's
 * non-benchmark sources are represented as: Config rule names under `aws-config`, CloudTrail
 * user guide sections under `cloudtrail-user-guide`, CloudTrail quotas under `aws-quotas`,
 * CloudSploit plugins under `cloudsploit`. Mappings the project adds beyond the design are
 * listed apart, so that adding one is a deliberate act.
 */
import { expect } from 'chai';
import { FRAMEWORKS } from '../../src/compliance/frameworks.ts';
import { loadRules } from '../../src/rules/load.ts';

type Mappings = Record<string, string[]>;

const CIS = (v14: string | undefined, v3and4: string | undefined): Mappings => ({
  ...(v14 ? { 'cis-aws-foundations-v1.4': [v14] } : {}),
  ...(v3and4 ? { 'cis-aws-foundations-v3.0': [v3and4], 'cis-aws-foundations-v4.0': [v3and4] } : {}),
});

/** The design's "maps to" column, rule by rule. */
const DESIGN: Record<string, Mappings> = {
  'multi-region-trail': { ...CIS('3.1', '3.1'), 'aws-fsbp': ['CloudTrail.1'], 'aws-config': ['multi-region-cloudtrail-enabled'] },
  // "(part)" in the design: the rule's description says how far it goes.
  'global-service-events': { 'cis-aws-foundations-v1.2': ['2.1'], 'aws-config': ['cloudtrail-security-trail-enabled'] },
  'log-file-validation': { ...CIS('3.2', '3.2'), 'aws-fsbp': ['CloudTrail.4'] },
  'kms-encryption': { ...CIS('3.7', '3.5'), 'aws-fsbp': ['CloudTrail.2'] },
  'trails-per-region': { 'aws-quotas': ['cloudtrail-trails-per-region'] },
  'event-selectors-per-trail': { 'aws-quotas': ['cloudtrail-event-selectors-per-trail', 'cloudtrail-data-resources-per-trail'] },
  'bucket-delivery': { 'cloudtrail-user-guide': ['create-s3-bucket-policy-for-cloudtrail'] },
  // "(part)" in the design: the aws-fsbp catalogue's note on CloudTrail.3 says how far it goes.
  'trail-logging': { 'aws-fsbp': ['CloudTrail.3'] },
  'delivery-errors': { 'aws-config': ['cloudtrail-enabled'] },
  'cloudwatch-logs': { ...CIS('3.4', undefined), 'aws-fsbp': ['CloudTrail.5'] },
  'bucket-not-public': { ...CIS('3.3', undefined), 'aws-fsbp': ['CloudTrail.6'] },
  'bucket-access-logging': { ...CIS('3.6', '3.4'), 'aws-fsbp': ['CloudTrail.7'] },
  'bucket-mfa-delete': { 'cis-aws-foundations-v2.0': ['2.1.2'] },
  'kms-key-usable': { 'cloudtrail-user-guide': ['create-kms-key-policy-for-cloudtrail'] },
  'kms-key-rotation': { ...CIS('3.8', '3.6'), 'aws-fsbp': ['KMS.4'] },
  's3-data-events-write': CIS('3.10', '3.8'),
  's3-data-events-read': CIS('3.11', '3.9'),
  'global-events-duplicated': { 'cloudtrail-user-guide': ['cloudtrail-concepts-global-service-events'] },
  // The design names PCI DSS 4.0 "as mapped by Prowler" without a requirement id; this is the id the rule chose.
  'insights-enabled': { 'pci-dss-v4.0': ['10.4.1.1'] },
  'sns-notifications': { cloudsploit: ['cloudtrailNotificationsEnabled'] },
  'security-trail': { 'aws-config': ['cloudtrail-security-trail-enabled'] },
};

/**
 * What the rules map to beyond the design: the Config rules behind the same checks, the third
 * selector quota the rule enforces, MFA Delete's numbers in the other CIS versions, and the CIS
 * v1.2.0 controls that AWS Security Hub lists as the related requirements of CloudTrail.1, .2,
 * .4 to .7 and KMS.4 (without them, a gate on CIS v1.2 ran one rule and passed trails that
 * break every other control of section 2).
 */
const V12 = (id: string): Mappings => ({ 'cis-aws-foundations-v1.2': [id] });
const ADDED: Record<string, Mappings> = {
  'multi-region-trail': V12('2.1'),
  'log-file-validation': { 'aws-config': ['cloud-trail-log-file-validation-enabled'], ...V12('2.2') },
  'bucket-not-public': V12('2.3'),
  'kms-encryption': { 'aws-config': ['cloud-trail-encryption-enabled'], ...V12('2.7') },
  'kms-key-rotation': { 'aws-config': ['cmk-backing-key-rotation-enabled'], ...V12('2.8') },
  'cloudwatch-logs': { 'aws-config': ['cloud-trail-cloud-watch-logs-enabled'], ...V12('2.4') },
  'bucket-access-logging': V12('2.6'),
  'event-selectors-per-trail': { 'aws-quotas': ['cloudtrail-advanced-selector-values'] },
  // The design names only CIS v2.0's number for MFA Delete; v1.4 numbers it 2.1.3, v3.0 and v4.0 2.1.2.
  'bucket-mfa-delete': { 'cis-aws-foundations-v1.4': ['2.1.3'], 'cis-aws-foundations-v3.0': ['2.1.2'], 'cis-aws-foundations-v4.0': ['2.1.2'] },
  // "(part)": the Config rule asks only for some trail logging S3 data events; the descriptions say so.
  's3-data-events-write': { 'aws-config': ['cloudtrail-s3-dataevents-enabled'] },
  's3-data-events-read': { 'aws-config': ['cloudtrail-s3-dataevents-enabled'] },
};

/**
 * Rules the design does not have, with all their mappings. logging-trail: FSBP CloudTrail.3 and
 * Config cloudtrail-enabled are account-level ("CloudTrail is enabled in your AWS account"), and
 * the design's trail-scoped rules for them (trail-logging, delivery-errors) give an account
 * with no trail no result at all, so a compliance view of it looked clean.
 */
const BEYOND_DESIGN: Record<string, Mappings> = {
  'logging-trail': { 'aws-fsbp': ['CloudTrail.3'], 'aws-config': ['cloudtrail-enabled'] },
};

const rules = loadRules();

describe('compliance mappings against the design', () => {
  it('covers every built-in rule, and only those (the design\'s, and those beyond it)', () => {
    expect(rules.map((r) => r.meta.id).sort()).to.deep.equal([...Object.keys(DESIGN), ...Object.keys(BEYOND_DESIGN)].sort());
  });

  for (const r of rules) {
    it(`${r.meta.id} maps to exactly the design's controls (plus the listed additions)`, () => {
      const want: Mappings = {};
      for (const m of [DESIGN[r.meta.id] ?? {}, ADDED[r.meta.id] ?? {}, BEYOND_DESIGN[r.meta.id] ?? {}]) {
        for (const [f, ids] of Object.entries(m)) want[f] = [...(want[f] ?? []), ...ids].sort();
      }
      const got = Object.fromEntries(Object.entries(r.meta.compliance).map(([f, ids]) => [f, [...ids].sort()]));
      expect(got).to.deep.equal(want);
    });
  }

  it('every framework id a rule uses has a name, except the documentation sources', () => {
    const named = new Set(FRAMEWORKS.map((f) => f.id));
    for (const r of rules) {
      for (const f of Object.keys(r.meta.compliance)) {
        if (f === 'cloudtrail-user-guide' || f === 'aws-quotas') continue;
        expect(named.has(f), `${r.meta.id}: ${f} is not in FRAMEWORKS`).to.equal(true);
      }
    }
  });

  it('the S3 data-event rules say they map to cloudtrail-s3-dataevents-enabled only in part, being stricter', () => {
    for (const id of ['s3-data-events-write', 's3-data-events-read']) {
      const d = rules.find((r) => r.meta.id === id)!.meta.description;
      expect(d, id).to.include('cloudtrail-s3-dataevents-enabled only in part');
      expect(d, id).to.match(/multi-region and logging/);
    }
  });

  it('sns-notifications says it maps to CloudSploit cloudtrailNotificationsEnabled only in part: the topic\'s existence is not checked', () => {
    const d = rules.find((r) => r.meta.id === 'sns-notifications')!.meta.description;
    expect(d).to.include('cloudtrailNotificationsEnabled only in part');
    expect(d).to.include('GetTopicAttributes');
  });

  it('global-service-events says it covers only part of CIS v1.2 2.1 and of cloudtrail-security-trail-enabled', () => {
    const d = rules.find((r) => r.meta.id === 'global-service-events')!.meta.description;
    expect(d).to.match(/part of/);
    expect(d).to.include('CIS AWS Foundations v1.2 2.1');
    expect(d).to.include('cloudtrail-security-trail-enabled');
  });
});
