/**
 * S3 REST-XML, path-style. GetBucketLocation answers from any region; every other bucket read
 * must be signed for the bucket's own region. Another account granted read access by the bucket
 * policy gets MethodNotAllowed for the policy reads (owner-only) and AccessDenied for the
 * public-access and ownership settings, as S3 does.
 */
import { accessDenied, awsError, s3Ok, xml, type Reply } from './protocol.ts';
import type { FakeBucket } from './scenario.ts';
import type { FakeRequest, World } from './world.ts';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** The operation a path-style S3 request names. */
export function s3Operation(method: string, path: string, query: URLSearchParams): { operation: string; bucket?: string } {
  const bucket = decodeURIComponent(path.split('/')[1] ?? '');
  if (method === 'GET' && bucket === '') return { operation: 'ListBuckets' };
  const sub: Record<string, string> = {
    location: 'GetBucketLocation',
    policy: 'GetBucketPolicy',
    policyStatus: 'GetBucketPolicyStatus',
    publicAccessBlock: 'GetPublicAccessBlock',
    ownershipControls: 'GetBucketOwnershipControls',
    acl: 'GetBucketAcl',
    logging: 'GetBucketLogging',
    versioning: 'GetBucketVersioning',
    requestPayment: 'GetBucketRequestPayment',
  };
  for (const [k, op] of Object.entries(sub)) if (query.has(k)) return { operation: method === 'GET' ? op : `${method}:${k}`, bucket };
  return { operation: `${method}:object`, bucket };
}

function root(tag: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><${tag} xmlns="${NS}">${inner}</${tag}>`;
}

function canonicalId(account: string): string {
  return `c${account}`.padEnd(64, '0');
}

const OWNER_ONLY_405 = new Set(['GetBucketPolicy', 'GetBucketPolicyStatus']);
const OWNER_ONLY_403 = new Set(['GetPublicAccessBlock', 'GetBucketOwnershipControls']);

/** Handles one S3 request. */
export function s3(world: World, req: FakeRequest): Reply {
  if (req.operation === 'ListBuckets') {
    const mine = world.scenario.buckets.filter((b) => b.account === req.account);
    const inner = xml('Owner', { ID: canonicalId(req.account), DisplayName: `owner-${req.account}` }) + `<Buckets>${mine.map((b) => xml('Bucket', { Name: b.name, CreationDate: '2025-01-01T00:00:00.000Z', BucketRegion: b.region })).join('')}</Buckets>`;
    return s3Ok(root('ListAllMyBucketsResult', inner));
  }
  const b = world.scenario.buckets.find((x) => x.name === req.resource);
  if (!b) return awsError('s3', 404, 'NoSuchBucket', 'The specified bucket does not exist');
  const owner = b.account === req.account;
  if (!owner) {
    if (!b.readableBy?.includes(req.account)) return accessDenied('s3', req.operation, req.principalArn);
    if (OWNER_ONLY_405.has(req.operation)) return awsError('s3', 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    if (OWNER_ONLY_403.has(req.operation)) return accessDenied('s3', req.operation, req.principalArn);
  }
  if (req.operation === 'GetBucketLocation') {
    const c = b.locationConstraint !== undefined ? b.locationConstraint : b.region === 'us-east-1' ? null : b.region;
    return s3Ok(c === null || c === '' ? `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="${NS}"/>` : root('LocationConstraint', c));
  }
  if (req.region !== b.region) {
    return awsError('s3', 400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${req.region}' is wrong; expecting '${b.region}'`);
  }
  return bucketRead(b, req.operation);
}

function bucketRead(b: FakeBucket, operation: string): Reply {
  switch (operation) {
    case 'GetBucketPolicy':
      return b.policy === undefined ? awsError('s3', 404, 'NoSuchBucketPolicy', 'The bucket policy does not exist') : s3Ok(b.policy, 'application/json');
    case 'GetBucketPolicyStatus':
      return b.policy === undefined ? awsError('s3', 404, 'NoSuchBucketPolicy', 'The bucket policy does not exist') : s3Ok(root('PolicyStatus', xml('IsPublic', String(b.isPublic ?? false))));
    case 'GetPublicAccessBlock':
      if (!b.publicAccessBlock) return awsError('s3', 404, 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
      return s3Ok(root('PublicAccessBlockConfiguration', Object.entries(b.publicAccessBlock).map(([k, v]) => xml(k, String(v))).join('')));
    case 'GetBucketOwnershipControls':
      if (!b.ownership) return awsError('s3', 404, 'OwnershipControlsNotFoundError', 'The bucket ownership controls were not found');
      return s3Ok(root('OwnershipControls', xml('Rule', { ObjectOwnership: b.ownership })));
    case 'GetBucketAcl': {
      const id = canonicalId(b.account);
      const grantee = `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${id}</ID><DisplayName>owner-${b.account}</DisplayName></Grantee>`;
      return s3Ok(root('AccessControlPolicy', xml('Owner', { ID: id, DisplayName: `owner-${b.account}` }) + `<AccessControlList><Grant>${grantee}<Permission>FULL_CONTROL</Permission></Grant></AccessControlList>`));
    }
    case 'GetBucketLogging':
      return s3Ok(root('BucketLoggingStatus', b.logging ? xml('LoggingEnabled', b.logging) : ''));
    case 'GetBucketVersioning':
      return s3Ok(root('VersioningConfiguration', b.versioning ? Object.entries(b.versioning).map(([k, v]) => xml(k, v)).join('') : ''));
    case 'GetBucketRequestPayment':
      return s3Ok(root('RequestPaymentConfiguration', xml('Payer', b.payer ?? 'BucketOwner')));
    default:
      return awsError('s3', 405, 'MethodNotAllowed', `${operation} is not served by the fake`);
  }
}
