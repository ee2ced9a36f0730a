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
  /**
   * The read was never made: its session's role could not be assumed again when its credentials
   * were renewed (the code and message are AssumeRole's), and the failure is the account's, not the read's.
   */
  renewal?: true;
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
  // An account outside any organization.
  DescribeOrganization: ['AWSOrganizationsNotInUseException'],
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

/** The secrets of every credential this process has used: no failure message may repeat them. */
const SECRETS = new Set<string>();

/** Remembers a secret access key or session token, so that `redact` removes it from any message. */
export function rememberSecret(value: string | undefined): void {
  // Long enough not to blank out ordinary words of a message.
  if (typeof value === 'string' && value.length >= 16) SECRETS.add(value);
}

// What a server (an emulator, a proxy, an API that quotes the request) may echo of a signed
// request: the SigV4 Authorization header or query parameters, the session token header, an
// access key id, the user and password of an endpoint URL.
// A name starts a word, or follows a URL-encoded character (`%3F` or `%26` in a URL quoted inside a URL).
const SIGNED_PARTS = /(?:\b|(?<=%[0-9A-Fa-f]{2}))(Signature|X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|Credential)(=|%3[dD])[^\s,&;'"<>]+/gi;
// A session token or secret key by any of its usual names (the header, the presigned URL's query
// parameter, the shared-files and environment keys, STS's answer fields), or another secret the
// credential providers send (AssumeRoleWithWebIdentity's token, AssumeRole's external id, the SSO
// portal's bearer token, SSO OIDC's access and refresh tokens and client secret), however it is written
// down: `name: value`, `name=value`, URL-encoded `name%3Dvalue`, quoted as a JSON or Python
// mapping (`"name":"value"`, `'name': 'value'`), or JSON inside a JSON string (`\"name\":\"value\"`).
// The value runs to the first character no token has; a backslash counts only before a quote,
// so a JSON-escaped `\/` inside a token does not leave the rest of it behind.
const SECRET_FIELD =
  /(?:\b|(?<=%[0-9A-Fa-f]{2}))(x-amz-security-token|(?:aws[_-]?)?(?:session|security)[_-]?token|(?:aws[_-]?)?secret[_-]?access[_-]?key|web[_-]?identity[_-]?token|sso[_-]?bearer[_-]?token|(?:access|refresh)[_-]?token|client[_-]?secret|external[_-]?id)((?:\\?["'])?\s*(?::|=|%3[dD])\s*(?:\\?["'])?)(?:[^\s,;&'"<>\\]|\\(?!["']))+/gi;
// The container credentials provider's token (ECS, EKS Pod Identity: AWS_CONTAINER_AUTHORIZATION_TOKEN
// or its file), sent as the whole Authorization header; a 4xx answer's `Code` becomes the error's
// code. Not a SigV4 header, whose Credential and Signature SIGNED_PARTS redacts and whose
// algorithm name says what was refused.
const AUTHORIZATION = /(?:\b|(?<=%[0-9A-Fa-f]{2}))(Authorization)((?:\\?["'])?\s*(?::|=|%3[dD])\s*(?:\\?["'])?)(?!AWS4-|\[redacted\])(?:(?:Bearer|Basic)\s+)?(?:[^\s,;&'"<>\\]|\\(?!["']))+/gi;
const SECRET_ELEMENT = /<(SessionToken|SecretAccessKey)>[^<]*<\/\1>/gi;
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g;
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** `text` with every credential it may quote replaced by `[redacted]`. */
function redact(text: string): string {
  let out = text;
  for (const secret of SECRETS) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  return out
    .replace(SIGNED_PARTS, '$1$2[redacted]')
    .replace(SECRET_FIELD, '$1$2[redacted]')
    .replace(AUTHORIZATION, '$1$2[redacted]')
    .replace(SECRET_ELEMENT, '<$1>[redacted]</$1>')
    .replace(ACCESS_KEY_ID, '[redacted]')
    .replace(USERINFO, '$1[redacted]@');
}

/** A server's text as one line, redacted, then cut short (so that no part of a secret survives at the cut). */
function clean(text: string): string {
  return redact(text).replace(/\s+/g, ' ').trim().slice(0, MAX_MESSAGE);
}

/**
 * Reduces anything the SDK throws to a code and a message; never includes request data. The
 * message is the server's own, so it is redacted (before it is cut short, so that no part of a
 * secret survives at the cut): an endpoint that quotes the request must not put the signature
 * or the session token into a snapshot or a log.
 */
export function toFailure(err: unknown): AwsFailure {
  if (!(err instanceof Error)) return { code: 'UnknownError', message: redact(String(err)).slice(0, MAX_MESSAGE) };
  const e = err as Error & { Code?: string; code?: string; $metadata?: { httpStatusCode?: number }; $response?: unknown; $fault?: string };
  const status = e.$metadata?.httpStatusCode;
  let code = typeof e.Code === 'string' && e.Code !== '' ? e.Code : e.name;
  // An answer that names no error code (an empty 403 or 503 from a proxy or a load balancer): the
  // SDK calls it "Unknown", with the message "UnknownError" (or "Unknown"), which says nothing of
  // what came back. Its HTTP status does. For an empty 404 the XML and query protocols (S3, STS,
  // EC2) make up the code "NotFound" instead, with the same placeholder message.
  const placeholder = e.message === '' || e.message === 'UnknownError' || e.message === 'Unknown';
  const madeUp = code === 'Unknown' || code === 'UnknownError' || (code === 'NotFound' && status === 404 && placeholder);
  const uncoded = code === 'Error' || code === '' || code === undefined || (status !== undefined && madeUp);
  // Node's transport errors (a connection reset, a broken pipe) keep their own code; the SDK renames
  // ECONNRESET and EPIPE "TimeoutError" because it retries them as it retries timeouts.
  if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && e.code !== 'ETIMEDOUT') code = e.code;
  else if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT' || e.name === 'AbortError') code = 'TimeoutError';
  else if (isMalformed(e)) code = 'MalformedResponse';
  else if (uncoded) code = status !== undefined ? `HTTP${status}` : 'UnknownError';
  const message = uncoded && status !== undefined && placeholder ? `the endpoint answered HTTP ${status} with no AWS error code` : clean((e.message || '').replace(SDK_HINT, '') || code);
  // The code is the server's too (S3's, EC2's and STS's `<Code>` is any text): an endpoint may quote the request there as well.
  code = clean(code) || 'UnknownError';
  return status !== undefined ? { code, message, status } : { code, message };
}

/**
 * The advice the SDK adds to the message of an answer it could not parse, meant for a programmer
 * with the error object at hand: in a snapshot or a report it asks the user for the impossible.
 */
const SDK_HINT = /\s*Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response on this object\./g;

/** A response the SDK could not parse (a 2xx with a broken body, or an error body it could not read). */
function isMalformed(e: Error & { $response?: unknown; $fault?: string }): boolean {
  return e.name === 'SyntaxError' || /Deserialization error|Unexpected token|not valid JSON|XML/i.test(e.message) && e.$fault === undefined;
}

/** An error raised by trailgate itself when a response is syntactically valid but not the shape AWS documents. */
export function malformed(operation: string, what: string): AwsFailure {
  return { code: 'MalformedResponse', message: `${operation} returned ${what}` };
}
