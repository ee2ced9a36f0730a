/**
 * A condition on a whole bucket or key (`Bucket: { properties: { Versioning: ... } }`) reads the
 * fields its schema looks at, each with its own read (GetBucketVersioning, GetKeyRotationStatus).
 * The bucket or key being there says nothing of them: a bucket whose ACL was read but whose
 * versioning was refused has no `Versioning`, and `properties` holds for a field that is absent,
 * so without the field's own read the condition would pass on what trailgate never saw.
 *
 * Only the fields the schema names are needed: the built-in kms-key-rotation judges a whole `Key`
 * by its metadata and rotation, and must not turn to `error` for a key policy that could not be
 * read (GetKeyPolicy does not work across accounts). A schema that judges the object as a whole
 * (`additionalProperties`, `minProperties`, `const`...) needs every field.
 */
import type { FailedRead } from '../engine/result.ts';
import { BUCKET_OPERATIONS, KEY_OPERATIONS } from '../engine/reads.ts';
import { STATUS_IS_LOGGING } from '../engine/trail-reads.ts';
import { policyDocument, type PolicyHolder } from './policy-document.ts';

/** What a condition on a whole bucket or key needs: the reads of the fields it looks at, and whether it looks at the policy. */
export interface WholeObject {
  holder: PolicyHolder;
  /** `Bucket.Versioning`, `Key.KeyRotationEnabled`...: in the order the inventory's reads are listed. */
  reads: string[];
  policy: boolean;
}

/** Keywords that judge an object by all it holds, not by fields they name. */
const WHOLE_KEYWORDS = new Set(['const', 'enum', 'additionalProperties', 'patternProperties', 'propertyNames', 'minProperties', 'maxProperties', 'unevaluatedProperties']);

/** The path is a whole bucket or key: what a condition with this schema on it reads. */
export function wholeObject(path: readonly string[], schema: unknown): WholeObject | undefined {
  if (path.length !== 1 || (path[0] !== 'Bucket' && path[0] !== 'Key')) return undefined;
  const holder = path[0];
  const named = fieldsNamed(schema);
  const fields = Object.keys(holder === 'Bucket' ? BUCKET_OPERATIONS : KEY_OPERATIONS).filter((f) => named === 'all' || named.has(f));
  return { holder, reads: fields.map((f) => `${holder}.${f}`), policy: fields.includes('Policy') };
}

/**
 * The read a condition on the whole `Status` needs: IsLogging's own when its schema looks at
 * IsLogging (or judges the whole object), as `Status.IsLogging` does. `properties` holds for a
 * field that is absent, so on a Status written without IsLogging, `Status: { properties: {
 * IsLogging: { const: true } } }` would pass a trail whose logging is unknown.
 */
export function wholeStatusRead(path: readonly string[], schema: unknown): string | undefined {
  if (path.length !== 1 || path[0] !== 'Status') return undefined;
  const named = fieldsNamed(schema);
  return named === 'all' || named.has('IsLogging') ? STATUS_IS_LOGGING : undefined;
}

/** The fields a schema names for the object it applies to, or 'all' when it judges the whole object. */
function fieldsNamed(schema: unknown): Set<string> | 'all' {
  const out = new Set<string>();
  const names = (v: unknown): void => {
    if (Array.isArray(v)) for (const n of v) if (typeof n === 'string') out.add(n);
  };
  // False when some part of the schema judges the whole object.
  const visit = (s: unknown): boolean => {
    if (!isPlainObject(s)) return true;
    for (const [k, v] of Object.entries(s)) {
      if (WHOLE_KEYWORDS.has(k)) return false;
      if (k === 'properties' && isPlainObject(v)) for (const n of Object.keys(v)) out.add(n);
      else if (k === 'required') names(v);
      else if ((k === 'dependencies' || k === 'dependentRequired' || k === 'dependentSchemas') && isPlainObject(v)) {
        for (const [n, dep] of Object.entries(v)) {
          out.add(n);
          if (Array.isArray(dep)) names(dep);
          else if (!visit(dep)) return false;
        }
      } else if (k === 'not' || k === 'if' || k === 'then' || k === 'else') {
        if (!visit(v)) return false;
      } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) {
        if (!v.every(visit)) return false;
      }
    }
    return true;
  };
  return visit(schema) ? out : 'all';
}

/**
 * The value a condition on a whole bucket or key judges, once each read it needs is usable: the
 * object as the inventory holds it, with its policy as the parsed document (as `Bucket.Policy`
 * paths see it; GetBucketPolicy answers with JSON text, which `properties` would take for any
 * policy at all). The copy is made once per bucket or key.
 */
export function wholeValue(
  subject: { read(name: string): { ok: true } | { ok: false; failed: FailedRead } },
  whole: WholeObject,
): { ok: true; value: unknown } | { ok: false; failed: FailedRead } {
  for (const r of whole.reads) {
    const state = subject.read(r);
    if (!state.ok) return state;
  }
  const owner = (subject as unknown as Record<string, unknown>)[whole.holder];
  if (!whole.policy || !isPlainObject(owner)) return { ok: true, value: owner };
  const policy = policyDocument(subject, whole.holder);
  if (!policy.ok) return policy;
  // A policy held as an object is the document itself, unless its one statement was made a list.
  if (policy.document === owner.Policy) return { ok: true, value: owner };
  let copy = withDocument.get(owner);
  if (copy === undefined || copy.held !== owner.Policy) withDocument.set(owner, (copy = { held: owner.Policy, value: { ...owner, Policy: policy.document } }));
  return { ok: true, value: copy.value };
}

/** Each bucket or key with its policy as paths see it, by the object the inventory holds. */
const withDocument = new WeakMap<object, { held: unknown; value: unknown }>();

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
