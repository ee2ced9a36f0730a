/**
 * What judging a trail's delivery finds, and its words: the evidence of each request CloudTrail
 * makes, the reasons it is refused, and the error when a read it needs failed. Shared by the
 * owner's requests (bucket-delivery.ts) and the members' and other regions' (other-log-paths.ts).
 */
import type { BuiltinVerdict } from '../engine/builtin-types.ts';
import { describeFailedRead, notCollected, type ReadState } from '../engine/reads.ts';
import type { FailedRead } from '../engine/result.ts';
import type { DeliveryRequest } from './delivery-requests.ts';
import { describeStatement, type Decision, type StatementRef } from './evaluate.ts';
import { mayAlsoDeny, type BoundedDecision } from './unknown-keys.ts';

/**
 * What the evidence says about one request: every statement that applies, by Sid, or
 * `Statement[i]` without one, in naming order (evaluate.ts, byName), so that reordering the
 * policy's statements changes nothing here.
 */
export interface RequestEvidence {
  request: string;
  resource: string;
  decision: Decision['decision'];
  allowedBy?: string[];
  deniedBy?: string[];
}

/** What judging a trail's delivery finds: why it fails, what was allowed, the reads that failed, and what no read gives. */
export interface DeliveryFindings {
  evidence: Record<string, unknown>;
  /** Why CloudTrail cannot deliver, in the order found. */
  reasons: string[];
  /** Each request allowed, and by what, for the pass. */
  passes: string[];
  failed: FailedRead[];
  /** Why delivery cannot be judged, though no read it needs failed. */
  problem: string | undefined;
  /** The failed read (DescribeOrganization) behind `problem`, when one was recorded. */
  problemRead: FailedRead | undefined;
  /** What a failed read leaves undecided, said after the reads. */
  notes: string[];
}

/** A read the subject calls usable is still missing when its value is undefined (a key set to undefined in code). */
export function present(state: ReadState, value: unknown, operation: string, bucket: string, field: string): ReadState {
  return state.ok && value === undefined ? notCollected(operation, bucket, `the ${field} of bucket ${bucket}`) : state;
}

export function denial(bucket: string, r: DeliveryRequest, d: BoundedDecision): string {
  const on = `CloudTrail ${r.label} on ${r.request.resource}`;
  if (d.decision === 'deny') {
    const overrides = d.statement ? `, overriding the Allow in ${describeStatement(d.statement)}` : '';
    return `the policy of bucket ${bucket} denies ${on}: the Deny in statement ${describeStatement(d.denyStatement!)} applies${overrides}`;
  }
  // An implicit deny: nothing forbids the request, nothing allows it either.
  return `the policy of bucket ${bucket} does not allow ${on}: no statement allows it${mayAlsoDeny(d)}`;
}

/** The evidence of one request, from a decision made with `every` (evaluate.ts). */
export function requestEvidence(r: DeliveryRequest, d: Decision): RequestEvidence {
  const e: RequestEvidence = { request: r.label, resource: r.request.resource, decision: d.decision };
  if (d.allows!.length > 0) e.allowedBy = d.allows!.map(statementName);
  if (d.denies!.length > 0) e.deniedBy = d.denies!.map(statementName);
  return e;
}

function statementName(ref: StatementRef): string {
  return ref.sid !== undefined && ref.sid !== '' ? ref.sid : `Statement[${ref.index}]`;
}

export function readError(bucket: string, failed: FailedRead[], evidence: Record<string, unknown>, notes: readonly string[] = []): BuiltinVerdict {
  return {
    status: 'error',
    message: `cannot judge delivery to bucket ${bucket}: ${[...failed.map(describeFailedRead), ...notes].join('; ')}`,
    evidence,
    failedReads: failed,
  };
}
