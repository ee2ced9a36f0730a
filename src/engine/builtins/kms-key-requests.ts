/**
 * The requests CloudTrail makes with a trail's KMS key, as kms-key-usable judges them against the
 * key policy: a GenerateDataKey for each log path bucket-delivery checks, in the encryption
 * context that names the trail and the log file, and a DescribeKey. Apart from the verdict so
 * that what CloudTrail sends can be read (and tested) on its own.
 */
import type { FailedRead } from '../result.ts';
import type { TrailSubject } from '../subjects.ts';
import { arnRegion } from '../trail-subject.ts';
import { addToContext, copyContext, describeStatement, type ContextValue, type Policy, type PolicyRequest } from '../../policy/index.ts';
import { mayAlsoDeny, type BoundedDecision } from '../../policy/unknown-keys.ts';
import { CLOUDTRAIL_PRINCIPAL, cloudTrailRequestContext, logPaths, tellsRegionsApart, type LogPath } from '../../policy/delivery-requests.ts';
import { DATA_KEY_ALGORITHM, keyOwnerKeys } from './kms-request-keys.ts';

/** The encryption context keys CloudTrail sets on every data key it asks for: the trail, and the S3 object the key encrypts. */
const CONTEXT_KEY = 'aws:cloudtrail:arn';
const S3_CONTEXT_KEY = 'aws:s3:arn';

/** One request CloudTrail makes with the key, named for messages; a GenerateDataKey names its log file. */
export interface KeyRequest {
  label: string;
  request: PolicyRequest;
  /** The S3 object the data key encrypts (the encryption context's aws:s3:arn). */
  logFile?: string;
}

/**
 * The requests CloudTrail makes with the trail's key, in the request context it sends. The
 * encryption context of GenerateDataKey names the trail and the log file's S3 object (KMS
 * developer guide, "How AWS CloudTrail uses AWS KMS"): one request per log path that
 * bucket-delivery checks. `requests` are the owner's paths (an organization trail's under its
 * organization id too) and DescribeKey; the organization's members' folders and the other
 * regions' paths are made on demand, as bucket-delivery makes them. `describing` holds the
 * condition keys KMS sets from the key (kms:KeyOrigin...), sent with both actions;
 * GenerateDataKey adds kms:EncryptionAlgorithm, which DescribeKey does not carry.
 */
export function keyRequests(t: TrailSubject, keyArn: string, describing: Readonly<Record<string, string | boolean>> = {}): KeyLogPaths {
  const arn = t.Trail.TrailARN;
  const principal = { Service: CLOUDTRAIL_PRINCIPAL };
  // The same context bucket-delivery judges CloudTrail's S3 requests in, with what describes the
  // key, in the evaluator's form (lower-cased keys, string values) once: each GenerateDataKey
  // copies it instead of carrying an object that every evaluation would convert again.
  // KMS is called in the key's region, which every request names as aws:RequestedRegion: the
  // region in the key ARN, or the trail's home region for a key named by alias or bare id.
  const keyRegion = arnRegion(keyArn) ?? t.Trail.HomeRegion ?? arnRegion(arn);
  // Filled record by record, in the order a spread of the four would merge them, rather than
  // spread into one object first: that object was thrown away at once, for every trail with a key.
  const base = new Map<string, ContextValue>();
  addToContext(base, cloudTrailRequestContext(t));
  if (keyRegion !== undefined && keyRegion !== '') addToContext(base, { 'aws:RequestedRegion': keyRegion });
  addToContext(base, keyOwnerKeys(t, keyArn).context);
  addToContext(base, describing);
  const paths = logPaths(t, t.Trail.S3BucketName ?? '');
  const generate = ({ label, resource }: LogPath): KeyRequest => {
    const context = copyContext(base);
    context.set('kms:encryptionalgorithm', DATA_KEY_ALGORITHM);
    context.set(TRAIL_CONTEXT_CONDITION, arn);
    context.set(S3_CONTEXT_CONDITION, resource);
    context.set('kms:encryptioncontextkeys', CONTEXT_KEYS);
    return { label: label.replace('PutObject', 'kms:GenerateDataKey'), logFile: resource, request: { principal, action: 'kms:GenerateDataKey', resource: keyArn, context } };
  };
  const { members, memberPath } = paths;
  return {
    requests: [...paths.paths.map(generate), { label: 'kms:DescribeKey', request: { principal, action: 'kms:DescribeKey', resource: keyArn, context: base } }],
    problem: paths.problem,
    ...(paths.problemRead ? { problemRead: paths.problemRead } : {}),
    members,
    memberRequest: memberPath && ((account, inRegion) => generate(memberPath(account, inRegion))),
    regionRequests: (region) => paths.regionPaths(region).map(generate),
  };
}

/** The key's requests, and (made on demand) those of the log paths beyond the owner's home region. */
export interface KeyLogPaths {
  requests: KeyRequest[];
  /** An organization trail whose organization id the inventory lacks: its organization path cannot be named. */
  problem?: string;
  /** The failed read (DescribeOrganization) that left the organization id out, when one was recorded. */
  problemRead?: FailedRead;
  /** For an organization trail, the other accounts of the organization that the inventory lists. */
  members?: readonly string[];
  /** GenerateDataKey for a member's logs, of the home region unless `inRegion` names another. */
  memberRequest?: (account: string, inRegion?: string) => KeyRequest;
  /** GenerateDataKey for another region's logs (the owner's path, and the organization path). */
  regionRequests: (region: string) => KeyRequest[];
}

/**
 * What the key policy's conditions on the log file's ARN (kms:EncryptionContext:aws:s3:arn) can
 * tell apart. The log paths differ in nothing else CloudTrail sends, so without such a condition
 * every path is decided as the owner's is, and with one whose values cannot tell regions apart
 * (`arn:aws:s3:::bucket/*`) every region as the home region is: checking them would only cost an
 * organization of 10,000 accounts as many evaluations more. Once per parsed policy.
 */
export function pathsTold(policy: Policy): { members: boolean; regions: boolean } {
  let told = pathsToldBy.get(policy);
  if (told === undefined) {
    const onLogFile = policy.statements.flatMap((st) => st.conditions.filter((c) => c.keyLower === S3_CONTEXT_CONDITION));
    told = { members: onLogFile.length > 0, regions: onLogFile.some((c) => c.texts.some(tellsRegionsApart)) };
    pathsToldBy.set(policy, told);
  }
  return told;
}

const S3_CONTEXT_CONDITION = `kms:encryptioncontext:${S3_CONTEXT_KEY}`;
const TRAIL_CONTEXT_CONDITION = `kms:encryptioncontext:${CONTEXT_KEY}`;
/** kms:EncryptionContextKeys of every GenerateDataKey: one list, which the evaluator only reads. */
const CONTEXT_KEYS: string[] = [CONTEXT_KEY, S3_CONTEXT_KEY];
const pathsToldBy = new WeakMap<Policy, { members: boolean; regions: boolean }>();

/** Why the key policy refuses a request: the Deny that applies (and the Allow it overrides), or that no statement allows it. */
export function denial(keyArn: string, r: KeyRequest, d: BoundedDecision): string {
  // A GenerateDataKey names its log file, as bucket-delivery names the object of a PutObject.
  const what = r.logFile !== undefined ? `${r.label} for this trail's log file ${r.logFile}` : r.label;
  if (d.decision === 'deny') {
    const overrides = d.statement ? `, overriding the Allow in ${describeStatement(d.statement)}` : '';
    return `the policy of key ${keyArn} denies CloudTrail ${what}: the Deny in statement ${describeStatement(d.denyStatement!)} applies${overrides}`;
  }
  // An implicit deny: nothing forbids the request, nothing allows it either.
  return `the policy of key ${keyArn} does not allow CloudTrail ${r.logFile !== undefined ? what : `${what} for this trail`}: no statement allows it${mayAlsoDeny(d)}`;
}
