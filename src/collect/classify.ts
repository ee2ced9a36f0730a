/**
 * How a failed AWS call is read: "there is none" (absent), "this region is not enabled", or
 * "could not read" (unreadable). Only the first two are facts; everything else becomes an
 * `errors[]` entry so that no rule can pass on data trailgate did not see.
 */

/** A failed call, reduced to what the inventory and the progress lines need. */
export interface AwsFailure {
  code: string;
  message: string;
  status?: number;
}

/** Codes that mean "read, and there is none" for a given operation. */
const ABSENT: Record<string, readonly string[]> = {
  GetBucketPolicy: ['NoSuchBucketPolicy'],
  GetBucketPolicyStatus: ['NoSuchBucketPolicy'],
  GetPublicAccessBlock: ['NoSuchPublicAccessBlockConfiguration'],
  GetBucketOwnershipControls: ['OwnershipControlsNotFoundError'],
  GetBucketEncryption: ['ServerSideEncryptionConfigurationNotFoundError'],
  GetInsightSelectors: ['InsightNotEnabledException'],
  // Asymmetric, HMAC and imported keys have no rotation setting at all.
  GetKeyRotationStatus: ['UnsupportedOperationException'],
};

/** Codes AWS returns when credentials are used in a region that is not enabled for the account. */
const REGION_NOT_ENABLED = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure', 'OptInRequired', 'InvalidAccessKeyId']);

/** AWS's throttling codes across services (the SDK retries these; what is left is an error). */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'EC2ThrottledException',
  'BandwidthLimitExceeded',
  'LimitExceededException',
]);

/** Whether `code` means "read, and there is none" for `operation`. */
export function isAbsent(operation: string, code: string): boolean {
  return ABSENT[operation]?.includes(code) ?? false;
}

/** Whether `code` means the credentials are not valid in that region (an opt-in region not enabled). */
export function isRegionNotEnabled(code: string): boolean {
  return REGION_NOT_ENABLED.has(code);
}

const MAX_MESSAGE = 500;

/** Reduces anything the SDK throws to a code and a message; never includes request data. */
export function toFailure(err: unknown): AwsFailure {
  if (!(err instanceof Error)) return { code: 'UnknownError', message: String(err).slice(0, MAX_MESSAGE) };
  const e = err as Error & { Code?: string; code?: string; $metadata?: { httpStatusCode?: number }; $response?: unknown; $fault?: string };
  const status = e.$metadata?.httpStatusCode;
  let code = typeof e.Code === 'string' && e.Code !== '' ? e.Code : e.name;
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT' || e.name === 'AbortError') code = 'TimeoutError';
  else if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) code = e.code;
  else if (isMalformed(e)) code = 'MalformedResponse';
  else if (code === 'Error' || code === '' || code === undefined) code = status !== undefined ? `HTTP${status}` : 'UnknownError';
  const message = (e.message || code).replace(/\s+/g, ' ').trim().slice(0, MAX_MESSAGE);
  return status !== undefined ? { code, message, status } : { code, message };
}

/** A response the SDK could not parse (a 2xx with a broken body, or an error body it could not read). */
function isMalformed(e: Error & { $response?: unknown; $fault?: string }): boolean {
  return e.name === 'SyntaxError' || /Deserialization error|Unexpected token|not valid JSON|XML/i.test(e.message) && e.$fault === undefined;
}

/** An error raised by trailgate itself when a response is syntactically valid but not the shape AWS documents. */
export function malformed(operation: string, what: string): AwsFailure {
  return { code: 'MalformedResponse', message: `${operation} returned ${what}` };
}
