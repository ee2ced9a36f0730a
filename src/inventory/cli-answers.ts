/**
 * A bucket's or key's field pasted as the AWS CLI prints the whole answer, not the part the
 * inventory keeps: `aws s3api get-bucket-policy-status` prints `{"PolicyStatus": {"IsPublic":
 * true}}`, and written as `PolicyStatus:` that hides IsPublic one level down, where a rule reading
 * `PolicyStatus.IsPublic` finds nothing and takes it for "not collected". No field the inventory
 * keeps has a key named like its answer's wrapper (a policy has no "Policy" element, a
 * PublicAccessBlockConfiguration no "PublicAccessBlockConfiguration"), so an answer is told from
 * the value by its keys alone and read as the value it wraps, before validation.
 */
import { escapePointerSegment } from '../input/document.ts';

/** A field, the key its CLI answer wraps the value in, and the keys the answer may hold beside it. */
interface Answer {
  wrapper: string;
  beside?: readonly string[];
}

const BUCKET_ANSWERS: Record<string, Answer> = {
  Region: { wrapper: 'LocationConstraint' }, // get-bucket-location
  Policy: { wrapper: 'Policy' }, // get-bucket-policy
  PolicyStatus: { wrapper: 'PolicyStatus' }, // get-bucket-policy-status
  PublicAccessBlock: { wrapper: 'PublicAccessBlockConfiguration' }, // get-public-access-block
  OwnershipControls: { wrapper: 'OwnershipControls' }, // get-bucket-ownership-controls
  Logging: { wrapper: 'LoggingEnabled' }, // get-bucket-logging (an answer without it is {}: logging off, as kept)
  RequestPayer: { wrapper: 'Payer' }, // get-bucket-request-payment
};

const KEY_ANSWERS: Record<string, Answer> = {
  KeyMetadata: { wrapper: 'KeyMetadata' }, // describe-key
  KeyRotationEnabled: { wrapper: 'KeyRotationEnabled', beside: ['KeyId', 'RotationPeriodInDays', 'NextRotationDate', 'OnDemandRotationStartDate'] }, // get-key-rotation-status
  Policy: { wrapper: 'Policy', beside: ['PolicyName'] }, // get-key-policy
};

/**
 * Reads each bucket's and key's pasted CLI answers as the values they wrap (in place). Returns,
 * for each field unwrapped, its pointer and the wrapper's key: a problem found later below the
 * field is written in the file one key deeper, and is located there.
 */
export function unwrapCliAnswers(value: Record<string, unknown>): Map<string, string> {
  const unwrapped = new Map<string, string>();
  // The pointer of an entry is built only for a field unwrapped: this runs for every bucket and key.
  for (const [name, bucket] of entries(value.buckets)) unwrap(bucket, BUCKET_LIST, () => `/buckets/${escapePointerSegment(name)}`, unwrapped);
  for (const [name, key] of entries(value.keys)) unwrap(key, KEY_LIST, () => `/keys/${escapePointerSegment(name)}`, unwrapped);
  return unwrapped;
}

/**
 * The pointer, as written in the file, of a pointer into the inventory as read: below a field
 * read from a pasted answer, the wrapper's key is put back (`/buckets/b/PolicyStatus/IsPublic`
 * is written at `/buckets/b/PolicyStatus/PolicyStatus/IsPublic`).
 */
export function writtenPointer(unwrapped: ReadonlyMap<string, string>, pointer: string): string {
  if (unwrapped.size === 0) return pointer;
  // A field's pointer has three segments: /buckets/NAME/FIELD (a name's `/` is escaped).
  const field = /^\/(?:buckets|keys)\/[^/]*\/[^/]*/.exec(pointer)?.[0];
  const wrapper = field === undefined ? undefined : unwrapped.get(field);
  return wrapper === undefined ? pointer : `${field}/${escapePointerSegment(wrapper)}${pointer.slice(field!.length)}`;
}

const BUCKET_LIST = Object.entries(BUCKET_ANSWERS);
const KEY_LIST = Object.entries(KEY_ANSWERS);

function unwrap(entry: Record<string, unknown>, answers: readonly [string, Answer][], at: () => string, unwrapped: Map<string, string>): void {
  for (const [field, { wrapper, beside = [] }] of answers) {
    const v = entry[field];
    if (!isRecord(v) || !Object.hasOwn(v, wrapper)) continue;
    if (Object.keys(v).every((k) => k === wrapper || beside.includes(k))) {
      entry[field] = v[wrapper];
      unwrapped.set(`${at()}/${escapePointerSegment(field)}`, wrapper);
    }
  }
}

function entries(map: unknown): [string, Record<string, unknown>][] {
  return isRecord(map) ? Object.entries(map).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1])) : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
