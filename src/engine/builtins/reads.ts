/** Small helpers the trail built-ins share: usable reads and read-error verdicts. */
import { describeFailedRead, notCollected, type ReadState } from '../reads.ts';
import type { FailedRead } from '../result.ts';
import type { BuiltinVerdict } from '../builtin-types.ts';

/** A read the subject calls usable is still missing when its value is undefined. */
export function presentRead(state: ReadState, value: unknown, operation: string, resource: string, what: string): ReadState {
  return state.ok && value === undefined ? notCollected(operation, resource, what) : state;
}

/** An `error` verdict naming every read that failed. */
export function readErrorVerdict(what: string, failed: FailedRead[], evidence: Record<string, unknown>): BuiltinVerdict {
  return { status: 'error', message: `cannot judge ${what}: ${failed.map(describeFailedRead).join('; ')}`, evidence, failedReads: failed };
}
