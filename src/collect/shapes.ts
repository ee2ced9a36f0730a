/**
 * SDK outputs to inventory shapes: AWS field names kept verbatim, `$metadata` dropped, Dates
 * as ISO 8601 strings, undefined members left out, so a snapshot is plain JSON that reads the
 * same as `aws ... --output json`.
 */
import inventorySchema from '../../schemas/inventory.schema.json' with { type: 'json' };

/** A plain JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A deep copy of an SDK value as plain JSON: no `$metadata`, no undefined, Dates as ISO strings. */
export function plain(value: unknown): Json | undefined {
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => plain(v)).filter((v): v is Json => v !== undefined);
  if (value instanceof Uint8Array) return undefined;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : undefined;
    case 'object': {
      const out: { [key: string]: Json } = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k === '$metadata' || k.startsWith('$')) continue;
        const p = plain(v);
        if (p !== undefined) out[k] = p;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** `plain(value)` as an object, or undefined when it is not one. */
export function plainObject(value: unknown): Record<string, Json> | undefined {
  const p = plain(value);
  return p !== null && typeof p === 'object' && !Array.isArray(p) ? p : undefined;
}

/** `plain(value)` as an array of objects, or undefined when it is not one. */
export function plainObjects(value: unknown): Record<string, Json>[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Record<string, Json>[] = [];
  for (const v of value) {
    const o = plainObject(v);
    if (!o) return undefined;
    out.push(o);
  }
  return out;
}

/** GetBucketLocation's LocationConstraint as a region name (null and "" are us-east-1, EU is eu-west-1). */
export function normaliseBucketRegion(constraint: unknown): string | undefined {
  if (constraint === undefined || constraint === null || constraint === '') return 'us-east-1';
  if (typeof constraint !== 'string') return undefined;
  if (constraint === 'EU') return 'eu-west-1';
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(constraint) ? constraint : undefined;
}

/** Keys of an object sorted, recursively only at the top level (maps keyed by name or ARN). */
export function sortedRecord<V>(record: Map<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of [...record.keys()].sort()) out[k] = record.get(k) as V;
  return out;
}

/** The partition named in an ARN (`arn:aws-us-gov:...`), or undefined. */
export function arnPartition(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 ? parts[1] : undefined;
}

/** The region named in an ARN, or undefined when it has none. */
export function arnRegionOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 && parts[3] !== '' ? parts[3] : undefined;
}

/** The 12-digit account named in an ARN, or undefined. */
export function arnAccountOf(arn: string): string | undefined {
  const parts = arn.split(':');
  const account = parts[4];
  return parts[0] === 'arn' && parts.length >= 6 && account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

type FieldSpec = { type?: string; pattern?: string; $ref?: string };
const DEFINITIONS = inventorySchema.definitions as unknown as Record<string, FieldSpec & { properties?: Record<string, FieldSpec> }> & Record<'trail', FieldSpec & { properties?: Record<string, FieldSpec> }>;
/** The `Trail` fields the inventory schema gives a type or pattern, each as a test (a `$ref` followed once). */
const TRAIL_FIELDS = Object.entries(DEFINITIONS.trail.properties ?? {}).map(([name, spec]) => {
  const s = spec.$ref !== undefined ? DEFINITIONS[spec.$ref.replace('#/definitions/', '')] : spec;
  if (s === undefined) throw new Error(`the inventory schema defines no ${spec.$ref}`);
  const pattern = s.pattern !== undefined ? new RegExp(s.pattern) : undefined;
  return { name, type: s.type, pattern };
});

/**
 * Why a DescribeTrails entry is not a trail as the inventory format writes one (a TrailARN of
 * another shape, a HomeRegion that is no region name, a flag that is not a boolean), or
 * undefined. AWS never answers so; an emulator or a proxy may, and kept, the entry would make the
 * scan refuse its own inventory instead of recording one malformed answer.
 */
export function trailShapeProblem(trail: Record<string, Json>): string | undefined {
  for (const f of TRAIL_FIELDS) {
    const v = trail[f.name];
    if (v === undefined) continue;
    if (f.type !== undefined && typeof v !== f.type) return `a trail whose ${f.name} is not a ${f.type}`;
    // The value is not quoted: it is the endpoint's text, which could quote the request.
    if (f.pattern !== undefined && typeof v === 'string' && !f.pattern.test(v)) return `a trail whose ${f.name} is not of the form the inventory format gives it`;
  }
  return undefined;
}
