/** Comparing a collected inventory with the model's: folded to one canonical form, and judged by the rules. */
import { expect } from 'chai';
import { evaluate } from '../../../src/engine/evaluate.ts';
import type { Result } from '../../../src/engine/result.ts';
import type { Inventory, ReadError, TrailEntry } from '../../../src/inventory/types.ts';
import type { CompiledRule } from '../../../src/rules/compiled.ts';

const TRAIL_DATA = ['Status', 'EventSelectors', 'AdvancedEventSelectors', 'InsightSelectors'] as const;

/**
 * The inventory with each trail's reads on one copy (its owner's when listed, else the first
 * account's), trails and keys in ARN order, errors without their AWS message and, for resources
 * read by an account that does not own them, without the account (`*`), each distinct error once.
 * Throws when two copies of a trail disagree, or an error names an account that does not use the resource.
 */
export function canonical(inv: Inventory, foreignOk: (e: ReadError) => boolean, collected: boolean): { inventory: Inventory; duplicates: string[] } {
  const accounts = structuredClone(inv.accounts).sort((x, y) => (x.accountId < y.accountId ? -1 : 1));
  const data = new Map<string, Partial<TrailEntry>>();
  for (const acc of accounts) {
    acc.trails.sort((x, y) => (x.Trail.TrailARN < y.Trail.TrailARN ? -1 : 1));
    for (const entry of acc.trails) {
      const arn = entry.Trail.TrailARN;
      const d = data.get(arn) ?? {};
      for (const f of TRAIL_DATA) {
        if (entry[f] === undefined) continue;
        if (d[f] !== undefined) expect(entry[f], `${f} of ${arn} in ${acc.accountId}`).to.deep.equal(d[f]);
        (d as Record<string, unknown>)[f] = entry[f];
        delete entry[f];
      }
      data.set(arn, d);
    }
  }
  for (const [arn, d] of data) {
    const owner = accounts.find((x) => x.accountId === arn.split(':')[4] && x.trails.some((t) => t.Trail.TrailARN === arn));
    const holder = owner ?? accounts.find((x) => x.trails.some((t) => t.Trail.TrailARN === arn))!;
    Object.assign(holder.trails.find((t) => t.Trail.TrailARN === arn)!, d);
  }
  const seen = new Map<string, number>();
  const errors: ReadError[] = [];
  for (const e of inv.errors ?? []) {
    if (collected) expect(e.message, `message of ${JSON.stringify(e)}`).to.be.a('string').and.not.equal('');
    const c: ReadError = { ...e };
    delete c.message;
    if (foreignOk(c)) c.accountId = '*';
    const k = JSON.stringify(c);
    seen.set(k, (seen.get(k) ?? 0) + 1);
    if (seen.get(k) === 1) errors.push(c);
  }
  const key = (e: ReadError) => [e.accountId, e.region ?? '', e.service, e.operation, e.resource ?? '', e.code].join('|');
  errors.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${n}x ${k}`);
  return { inventory: { ...inv, accounts, errors }, duplicates };
}

/** Verdicts by rule and subject. */
export function verdicts(rules: readonly CompiledRule[], inv: Inventory): Map<string, Result['status']> {
  const out = new Map<string, Result['status']>();
  for (const r of evaluate(rules, inv)) out.set(`${r.ruleId} ${r.subject.kind} ${r.subject.accountId} ${r.subject.region ?? ''} ${r.subject.arn ?? ''}`, r.status);
  return out;
}

/** The datum (as rules name it in `reads`) each read fills; a failed location or DescribeKey loses the whole bucket or key. */
export const FIELD_OF: Record<string, string> = {
  GetTrailStatus: 'Status',
  GetEventSelectors: 'EventSelectors',
  GetInsightSelectors: 'InsightSelectors',
  GetBucketLocation: 'Bucket',
  GetBucketPolicy: 'Bucket.Policy',
  GetBucketPolicyStatus: 'Bucket.PolicyStatus',
  GetPublicAccessBlock: 'Bucket.PublicAccessBlock',
  GetBucketOwnershipControls: 'Bucket.OwnershipControls',
  GetBucketAcl: 'Bucket.Acl',
  GetBucketLogging: 'Bucket.Logging',
  GetBucketVersioning: 'Bucket.Versioning',
  GetBucketRequestPayment: 'Bucket.RequestPayer',
  DescribeKey: 'Key',
  GetKeyRotationStatus: 'Key.KeyRotationEnabled',
  GetKeyPolicy: 'Key.Policy',
};
export const TRAIL_READS = new Set(['GetTrailStatus', 'GetEventSelectors', 'GetInsightSelectors']);
