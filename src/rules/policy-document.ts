/**
 * What rule paths below `Bucket.Policy` and `Key.Policy` read. GetBucketPolicy and GetKeyPolicy
 * answer with the policy as JSON text, and that is what `trailgate snapshot` writes; a
 * hand-written inventory may hold the document as an object instead (the inventory schema takes
 * either). A path such as `Bucket.Policy.Statement` must see the same document both ways, or a
 * check on the statements of a collected policy would find nothing there and pass.
 *
 * The built-in rules do not come here: they parse policies for the evaluator in src/policy/.
 */
import type { FailedRead } from '../engine/result.ts';
import { parseUnambiguous } from '../input/json-members.ts';

/** The subject fields that hold a policy, with the read that fills each. */
const POLICY_READS = { Bucket: 'GetBucketPolicy', Key: 'GetKeyPolicy' } as const;

export type PolicyHolder = keyof typeof POLICY_READS;

type Parsed = { ok: true; document: unknown } | { ok: false; problem: string };

/**
 * Each policy text's parse, by the bucket or key that holds it: parsed the first time a path asks,
 * then shared by every rule and every trail that uses the same bucket or key, and dropped with it.
 */
const parsed = new WeakMap<object, { text: string; result: Parsed }>();

/** The holder when a path is `Bucket.Policy`, `Key.Policy` or below either; otherwise undefined. */
export function policyHolder(path: readonly string[]): PolicyHolder | undefined {
  return path.length >= 2 && path[1] === 'Policy' && (path[0] === 'Bucket' || path[0] === 'Key') ? path[0] : undefined;
}

/**
 * The policy document of a subject's bucket or key: the object the inventory holds, or its JSON
 * text parsed. `null` (no policy) and a holder that is absent stay as they are. Text that is not
 * JSON, or that repeats a key within one object (JSON.parse would silently keep the last, so what
 * the policy says would be a guess), cannot be read: a failed read that makes the result `error`.
 */
export function policyDocument(subject: unknown, holder: PolicyHolder): { ok: true; document: unknown } | { ok: false; failed: FailedRead } {
  const owner = (subject as Record<string, unknown> | undefined)?.[holder];
  if (owner === null || typeof owner !== 'object') return { ok: true, document: undefined };
  const policy = (owner as Record<string, unknown>).Policy;
  if (typeof policy !== 'string') return { ok: true, document: statementList(policy) };
  let known = parsed.get(owner);
  if (known === undefined || known.text !== policy) parsed.set(owner, (known = { text: policy, result: parseText(policy) }));
  if (known.result.ok) return known.result;
  const what = holder === 'Bucket' ? 'the bucket policy' : 'the key policy';
  return {
    ok: false,
    failed: {
      operation: POLICY_READS[holder],
      resource: resourceOf(subject, holder),
      code: 'InvalidValue',
      message: `${what} ${known.result.problem}, so ${holder}.Policy and the paths below it cannot be read`,
    },
  };
}

/** Each policy object held as an object, with its one statement made a list (see statementList). */
const listed = new WeakMap<object, unknown>();

/**
 * IAM takes `Statement` as one statement object as well as a list of them (the evaluator in
 * src/policy/ reads both). A path sees the list either way, as the docs promise: left as an
 * object, `Statement: { contains: ... }` or `items` would hold for any statement, and a policy
 * granting `*` would pass a rule that looks for it.
 */
function statementList(document: unknown): unknown {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return document;
  const statement = (document as Record<string, unknown>).Statement;
  if (statement === null || typeof statement !== 'object' || Array.isArray(statement)) return document;
  let known = listed.get(document);
  if (known === undefined) listed.set(document, (known = { ...document, Statement: [statement] }));
  return known;
}

function parseText(text: string): Parsed {
  const parsed = parseUnambiguous(text);
  if (parsed.ok) return { ok: true, document: statementList(parsed.value) };
  return { ok: false, problem: parsed.why === 'invalid' ? `is not valid JSON (${parsed.reason})` : 'repeats a key within one object' };
}

/** The bucket's name or the key's ARN (else the trail's KmsKeyId), for the failed read. */
function resourceOf(subject: unknown, holder: PolicyHolder): string | undefined {
  const s = subject as { Trail?: { S3BucketName?: unknown; KmsKeyId?: unknown }; Key?: { KeyMetadata?: { Arn?: unknown } } };
  const name = holder === 'Bucket' ? s.Trail?.S3BucketName : (s.Key?.KeyMetadata?.Arn ?? s.Trail?.KmsKeyId);
  return typeof name === 'string' ? name : undefined;
}
