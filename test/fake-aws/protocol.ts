/**
 * The wire formats the fake speaks, per service: AWS JSON 1.1 (CloudTrail, KMS,
 * Organizations), REST-JSON (Account), query with XML answers (STS, EC2), REST-XML (S3).
 */
import { randomUUID } from 'node:crypto';

/** A response the server writes. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The AWS error code, for the call log. */
  code?: string;
  /** Send the headers for the whole body, then only this many bytes of it, and close the connection. */
  cutAt?: number;
}

/** Escapes text for XML. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `<tag>children</tag>` for a value: strings escaped, arrays repeated, objects nested, undefined skipped. */
export function xml(tag: string, value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => xml(tag, v)).join('');
  if (value !== null && typeof value === 'object') {
    return `<${tag}>${Object.entries(value as Record<string, unknown>).map(([k, v]) => xml(k, v)).join('')}</${tag}>`;
  }
  if (value === null || value === '') return `<${tag}/>`;
  return `<${tag}>${esc(String(value))}</${tag}>`;
}

/** Which wire protocol a service speaks. */
export type Protocol = 'json' | 'rest-json' | 'query' | 'ec2' | 's3';

/** Each service's protocol. */
export const PROTOCOL: Record<string, Protocol> = {
  cloudtrail: 'json',
  kms: 'json',
  organizations: 'json',
  account: 'rest-json',
  sts: 'query',
  ec2: 'ec2',
  s3: 's3',
};

/** A successful JSON answer (JSON 1.1 or REST-JSON). */
export function jsonOk(value: unknown, protocol: Protocol = 'json'): Reply {
  return {
    status: 200,
    headers: { 'content-type': protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(value),
  };
}

/** A successful query-protocol answer (STS), wrapped as `<ActionResponse><ActionResult>`. */
export function queryOk(action: string, result: Record<string, unknown>): Reply {
  const inner = Object.entries(result).map(([k, v]) => xml(k, v)).join('');
  const body = `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}

/** A successful EC2 answer (`<ActionResponse>` with members directly inside). */
export function ec2Ok(action: string, inner: string): Reply {
  const body = `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId>${inner}</${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body };
}

/** A successful S3 XML answer. */
export function s3Ok(body: string, contentType = 'application/xml'): Reply {
  return { status: 200, headers: { 'content-type': contentType, 'x-amz-request-id': randomUUID().slice(0, 16) }, body };
}

/** An error in the service's own format. */
export function awsError(service: string, status: number, code: string, message: string): Reply {
  const protocol = PROTOCOL[service] ?? 'json';
  const id = randomUUID();
  switch (protocol) {
    case 'json':
      return {
        status,
        code,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': id },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'rest-json':
      return { status, code, headers: { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': id }, body: JSON.stringify({ message }) };
    case 'query': {
      const type = status >= 500 ? 'Receiver' : 'Sender';
      const body = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
      return { status, code, headers: { 'content-type': 'text/xml' }, body };
    }
    case 'ec2': {
      const body = `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`;
      return { status, code, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body };
    }
    case 's3': {
      const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message><RequestId>${id.slice(0, 16)}</RequestId><HostId>fake</HostId></Error>`;
      return { status, code, headers: { 'content-type': 'application/xml' }, body };
    }
  }
}

/** Each service's throttling answer. */
export function throttled(service: string): Reply {
  switch (service) {
    case 's3':
      return awsError(service, 503, 'SlowDown', 'Please reduce your request rate.');
    case 'ec2':
      return awsError(service, 503, 'RequestLimitExceeded', 'Request limit exceeded.');
    case 'sts':
      return awsError(service, 400, 'Throttling', 'Rate exceeded');
    case 'organizations':
      return awsError(service, 400, 'TooManyRequestsException', 'AWS Organizations can\'t complete your request because of too many requests.');
    case 'account':
      return awsError(service, 429, 'TooManyRequestsException', 'Rate exceeded');
    default:
      return awsError(service, 400, 'ThrottlingException', 'Rate exceeded');
  }
}

/** Each service's "not allowed" answer. */
export function accessDenied(service: string, action: string, principal: string): Reply {
  const message = `User: ${principal} is not authorized to perform: ${service}:${action}`;
  switch (service) {
    case 's3':
      return awsError(service, 403, 'AccessDenied', 'Access Denied');
    case 'ec2':
      return awsError(service, 403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.');
    case 'sts':
      return awsError(service, 403, 'AccessDenied', message);
    case 'account':
      return awsError(service, 403, 'AccessDeniedException', message);
    default:
      return awsError(service, 400, 'AccessDeniedException', message);
  }
}

/** Each service's answer to credentials used in a region that is not enabled. */
export function regionNotEnabled(service: string): Reply {
  switch (service) {
    case 'sts':
      return awsError(service, 403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    case 'ec2':
      return awsError(service, 401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
    case 's3':
      return awsError(service, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    case 'account':
      return awsError(service, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    default:
      return awsError(service, 400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
}

/** A 200 whose body the SDK cannot parse. */
export function malformedReply(service: string): Reply {
  const protocol = PROTOCOL[service] ?? 'json';
  const json = protocol === 'json' || protocol === 'rest-json';
  return { status: 200, headers: { 'content-type': json ? 'application/x-amz-json-1.1' : 'text/xml' }, body: json ? '{"trailList": [{"Name": ' : '<Response><Unclosed attr="' };
}

/** Epoch seconds, as JSON 1.1 carries timestamps. */
export function epoch(iso: string): number {
  return Date.parse(iso) / 1000;
}
