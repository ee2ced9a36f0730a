/**
 * What to add to a schema problem of an inventory so that a user writing one by hand knows what
 * to change: the advice to quote a bare account id, and for each shape AWS's own answers are often
 * pasted in (a whole AWS CLI answer, a field one level too high or too low, an advanced selector
 * among basic ones) what to write instead.
 */
import { BARE_DIGITS_HINT, unquotedHint, valueAtPointer } from '../input/document.ts';
import { textForValueHint } from '../input/text-for-value.ts';

/**
 * The message for a schema problem at `pointer`, with what to write instead where the shape tells
 * the slip: a trail entry's own key inside Trail, a bucket's answer field beside the key that holds
 * it, an advanced selector among basic ones or the reverse, a whole CLI answer where its list or
 * object goes. And an account id written without quotes, which YAML reads as a number (losing its
 * leading zeros): "must be of type string" alone does not say so. Not in JSON, where a number is
 * written as one, and the advice's "as YAML reads bare digits" would be about a file that is no YAML.
 */
export function withHint(value: unknown, pointer: string, message: string, isJson: boolean): string {
  const misplaced = ENTRY_KEY_IN_TRAIL.exec(pointer)?.[1];
  if (misplaced !== undefined && message.endsWith('is not allowed here')) {
    return `"${misplaced}" is a key of the trail's entry, beside "Trail", not inside it (written here it would be ignored)`;
  }
  const field = BUCKET_ANSWER_FIELD.exec(pointer)?.[1];
  const home = field === undefined ? undefined : ANSWER_FIELDS[field];
  if (home !== undefined && message.endsWith('is not allowed here')) {
    return WRAPPERS.has(field!)
      ? `"${field}" is the bucket's ${home} as the AWS CLI names it: write its value under ${home} (written here it would be ignored)`
      : `"${field}" belongs inside the bucket's ${home} (${home}: {${field}: ...}), not beside it (written here it would be ignored)`;
  }
  if (ADVANCED_IN_BASIC.test(pointer) && message.endsWith('is not allowed here')) {
    return `"FieldSelectors" makes this an advanced event selector, which goes in the trail's AdvancedEventSelectors list, beside EventSelectors (read as a basic selector, it would stand for AWS's default one: every management event, read and write)`;
  }
  // A bucket's name or a key's ARN has its / escaped in the pointer (key~1k): the value is found under the name as written.
  const v = valueAtPointer(value, pointer);
  const answer = message === 'must be of type array' ? cliAnswerHint(pointer, v) : undefined;
  if (answer !== undefined) return `${message}: ${answer}`;
  if (message === 'missing required key "TrailARN"' && /^\/accounts\/\d+\/trails\/\d+\/Trail$/.test(pointer) && v !== null && typeof v === 'object') {
    if (Object.hasOwn(v, 'Trail')) return `${message}: this is get-trail's whole answer; write what its "Trail" holds here`;
    if (Object.hasOwn(v, 'trailList')) return `${message}: this is describe-trails' whole answer; give each element of its trailList an entry of its own, "- Trail: {...}"`;
  }
  if (message === 'missing required key "FieldSelectors"' && BASIC_IN_ADVANCED.test(pointer) && isBasicSelector(v)) {
    return `${message}: this is a basic event selector (ReadWriteType, IncludeManagementEvents, DataResources), which goes in the trail's EventSelectors list, beside AdvancedEventSelectors`;
  }
  if (message === 'missing required key "Grants"' && /^\/buckets\/[^/]*\/Acl$/.test(pointer) && v !== null && typeof v === 'object') {
    const wrapper = ['AccessControlPolicy', 'Acl'].find((k) => Object.hasOwn(v, k));
    if (wrapper !== undefined) return `${message}: write what its "${wrapper}" holds here, as GetBucketAcl answers it (Owner and Grants)`;
    return `${message}: GetBucketAcl always answers Grants (an empty list when there are none)`;
  }
  // `IsLogging: "true"`, or in YAML `IsLogging: yes` (a YAML 1.1 boolean), is text.
  // `KeyRotationEnabled` may be null too: "must be of type boolean or null".
  const wanted = /^must be of type (boolean|number|integer)( or null)?$/.exec(message)?.[1];
  const advice = wanted !== undefined && typeof v === 'string' ? textForValueHint([wanted], v, !isJson) : undefined;
  if (advice !== undefined) return `${message}: ${advice}`;
  if (isJson) return message;
  if (/\/accountId$/.test(pointer) && typeof v === 'number') return `${message}: ${BARE_DIGITS_HINT}`;
  // `S3BucketName: 20240101` or `Name: true`: text to the user, a number or boolean to YAML.
  return /^must be of type string( or null)?$/.test(message) ? `${message}${unquotedHint(v)}` : message;
}


/**
 * A list given as the AWS CLI prints the whole answer around it (`trails: {trailList: [...]}`,
 * `EventSelectors: {TrailARN: ..., EventSelectors: [...]}`): what to write instead.
 */
function cliAnswerHint(pointer: string, v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  if (/^\/accounts\/\d+\/trails$/.test(pointer) && Object.hasOwn(v, 'trailList')) {
    return 'this is describe-trails\' whole answer; list each element of its trailList as "- Trail: {...}", beside that trail\'s Status and selectors';
  }
  const written = /^\/accounts\/\d+\/trails\/\d+\/(EventSelectors|AdvancedEventSelectors|InsightSelectors)$/.exec(pointer)?.[1];
  // A trail with advanced selectors answers {TrailARN, AdvancedEventSelectors}, pasted under EventSelectors too.
  const list = written === undefined ? undefined : written !== 'InsightSelectors' && !Object.hasOwn(v, written) ? (['EventSelectors', 'AdvancedEventSelectors'] as const).find((k) => Object.hasOwn(v, k)) : written;
  if (list === undefined || !Object.hasOwn(v, list)) return undefined;
  if (list !== written) return `this is get-event-selectors' whole answer, whose list is "${list}"; write that list under ${list}, beside Trail, not under ${written}`;
  const command = list === 'InsightSelectors' ? 'get-insight-selectors' : 'get-event-selectors';
  return `this is ${command}' whole answer; write the list its "${list}" holds here${list === 'InsightSelectors' ? '' : ' (and an AdvancedEventSelectors list, if it has one, beside EventSelectors)'}`;
}

/** A key written directly in a bucket's entry. */
const BUCKET_ANSWER_FIELD = /^\/buckets\/[^/]*\/([^/]+)$/;

/**
 * The fields of a bucket's CLI answers, and the bucket key whose value holds them (the schema
 * refuses them beside it): get-bucket-policy-status's IsPublic written beside the bucket's other
 * keys left PolicyStatus uncollected, and the bucket passed on its policy alone.
 */
const ANSWER_FIELDS: Record<string, string> = {
  IsPublic: 'PolicyStatus',
  PublicAccessBlockConfiguration: 'PublicAccessBlock',
  BlockPublicAcls: 'PublicAccessBlock',
  IgnorePublicAcls: 'PublicAccessBlock',
  BlockPublicPolicy: 'PublicAccessBlock',
  RestrictPublicBuckets: 'PublicAccessBlock',
  Rules: 'OwnershipControls',
  Owner: 'Acl',
  Grants: 'Acl',
  LoggingEnabled: 'Logging',
  TargetBucket: 'Logging',
  TargetPrefix: 'Logging',
  Status: 'Versioning',
  MFADelete: 'Versioning',
  Payer: 'RequestPayer',
  LocationConstraint: 'Region',
};

/** The keys an answer holds the whole value in (PublicAccessBlockConfiguration), not one field of it. */
const WRAPPERS = new Set(['PublicAccessBlockConfiguration', 'LoggingEnabled', 'Payer', 'LocationConstraint']);

/** A basic event selector's FieldSelectors (the schema refuses it): an advanced selector in the EventSelectors list. */
const ADVANCED_IN_BASIC = /^\/accounts\/\d+\/trails\/\d+\/EventSelectors\/\d+\/FieldSelectors$/;

/** An element of a trail's AdvancedEventSelectors list. */
const BASIC_IN_ADVANCED = /^\/accounts\/\d+\/trails\/\d+\/AdvancedEventSelectors\/\d+$/;

/** Whether `v` has a basic event selector's own fields. */
function isBasicSelector(v: unknown): boolean {
  return v !== null && typeof v === 'object' && ['ReadWriteType', 'IncludeManagementEvents', 'DataResources', 'ExcludeManagementEventSources'].some((k) => Object.hasOwn(v, k));
}

/** A trail entry's own key written inside its Trail (the schema refuses them there). */
const ENTRY_KEY_IN_TRAIL = /^\/accounts\/\d+\/trails\/\d+\/Trail\/(Status|EventSelectors|AdvancedEventSelectors|InsightSelectors)$/;
