/**
 * A bucket policy or key policy no longer than AWS takes: S3 refuses a bucket policy over 20 KB
 * and KMS a key policy over 32 KB, so no collected inventory holds a longer one. A hand-written
 * or hostile file can, and the policy is judged once per trail (and per member folder of an
 * organization trail) that uses it: thousands of statements times thousands of trails took
 * minutes. Such a policy is refused at its line, as a slip of the file. Measured as compact JSON,
 * the way a policy written as a YAML or JSON object would be sent, so indentation never counts.
 */
import { gathered, InputError, type InputPosition } from '../errors.ts';
import { escapePointerSegment } from '../input/document.ts';
import { PROBLEMS_SHOWN } from '../input/schema-errors.ts';
import type { Inventory } from './types.ts';

/** S3's limit on a bucket policy and KMS's on a key policy, in characters of compact JSON. */
export const POLICY_LIMITS = { bucket: 20 * 1024, key: 32 * 1024 } as const;

/** How far a policy's length is counted: past it, a message can say only "more than". */
const COUNTED = 2 * POLICY_LIMITS.key;

export function checkPolicySizes(inv: Inventory, at: (pointer: string) => InputPosition): void {
  const problems: InputError[] = [];
  let more = 0;
  const check = (kind: keyof typeof POLICY_LIMITS, name: string, policy: unknown): void => {
    const size = compactSize(policy);
    if (size === undefined || size <= POLICY_LIMITS[kind]) return;
    if (problems.length === PROBLEMS_SHOWN) {
      more++;
      return;
    }
    const service = kind === 'bucket' ? 'S3 takes a bucket policy of at most 20 KB' : 'KMS takes a key policy of at most 32 KB';
    // Rounded up, so that a policy a few characters over 20 KB is never said to be 20.0 KB.
    const measured = size > COUNTED ? `more than ${COUNTED / 1024} KB` : `${(Math.ceil(size / 102.4) / 10).toFixed(1)} KB`;
    const message = `invalid inventory: this ${kind} policy is ${measured} as compact JSON, and ${service}: AWS never answers one this long`;
    problems.push(new InputError(message, at(`/${kind === 'bucket' ? 'buckets' : 'keys'}/${escapePointerSegment(name)}/Policy`)));
  };
  for (const [name, bucket] of Object.entries(inv.buckets ?? {})) check('bucket', name, bucket.Policy);
  for (const [name, key] of Object.entries(inv.keys ?? {})) check('key', name, key.Policy);
  if (problems.length > 0) throw gathered(problems, more);
}

/**
 * The policy's length as compact JSON, counted no further than past twice the larger limit; undefined
 * for none. Text is measured as written unless it is over the smaller limit, when it is compacted
 * first (pretty-printed text may be longer than the policy AWS stores); text that is no JSON is
 * left to the rules, which say so.
 */
function compactSize(policy: unknown): number | undefined {
  if (policy === null || policy === undefined) return undefined;
  if (typeof policy !== 'string') return jsonLength(policy, COUNTED + 1);
  if (policy.length <= POLICY_LIMITS.bucket) return policy.length;
  try {
    return jsonLength(JSON.parse(policy), COUNTED + 1);
  } catch {
    return undefined;
  }
}

/**
 * JSON.stringify(value).length, or `cap` once it is known to be at least that: counted with a
 * stack of its own, as a policy nested thousands deep (refused by the rules, at its line) would
 * overflow JSON.stringify's.
 */
export function jsonLength(value: unknown, cap: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && size < cap) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      size += 2 + Math.max(0, v.length - 1);
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      size += 2 + Math.max(0, keys.length - 1);
      for (const k of keys) {
        size += JSON.stringify(k).length + 1;
        stack.push((v as Record<string, unknown>)[k]);
      }
    } else size += v === undefined ? 4 : JSON.stringify(v).length;
  }
  return Math.min(size, cap);
}
