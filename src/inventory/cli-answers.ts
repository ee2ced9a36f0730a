/**
 * A bucket's or key's field pasted as the AWS CLI prints the whole answer, not the part the
 * inventory keeps: `aws s3api get-bucket-policy-status` prints `{"PolicyStatus": {"IsPublic":
 * true}}`, and written as `PolicyStatus:` that hides IsPublic one level down, where a rule reading
 * `PolicyStatus.IsPublic` finds nothing and takes it for "not collected". No field the inventory
 * keeps has a key named like its answer's wrapper (a policy has no "Policy" element, a
 * PublicAccessBlockConfiguration no "PublicAccessBlockConfiguration"), so an answer is told from
 * the value by its keys alone and read as the value it wraps, before validation.
 */

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

/** Reads each bucket's and key's pasted CLI answers as the values they wrap (in place). */
export function unwrapCliAnswers(value: Record<string, unknown>): void {
  for (const bucket of entries(value.buckets)) unwrap(bucket, BUCKET_ANSWERS);
  for (const key of entries(value.keys)) unwrap(key, KEY_ANSWERS);
}

function unwrap(entry: Record<string, unknown>, answers: Record<string, Answer>): void {
  for (const [field, { wrapper, beside = [] }] of Object.entries(answers)) {
    const v = entry[field];
    if (!isRecord(v) || !Object.hasOwn(v, wrapper)) continue;
    if (Object.keys(v).every((k) => k === wrapper || beside.includes(k))) entry[field] = v[wrapper];
  }
}

function entries(map: unknown): Record<string, unknown>[] {
  return isRecord(map) ? Object.values(map).filter(isRecord) : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
