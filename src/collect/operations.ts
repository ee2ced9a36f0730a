/**
 * The one declaration of every AWS operation live collection may call. The call wrapper
 * (`call.ts`) refuses anything else, the README prints the IAM policy generated from this
 * list, and tests compare both against what a fake AWS endpoint actually received.
 */

/** The services trailgate talks to, as named in IAM actions and SigV4 credential scopes. */
export type Service = 'cloudtrail' | 's3' | 'kms' | 'sts' | 'organizations' | 'account' | 'ec2';

/** One AWS operation trailgate may call. */
export interface Operation {
  readonly service: Service;
  /** The API operation name, as in the SDK's `<Name>Command`. */
  readonly name: string;
  /** The IAM action that authorises it. */
  readonly action: string;
  /** Why trailgate needs it, for the README and for reviewers. */
  readonly purpose: string;
}

/** The prefixes a read-only AWS operation name starts with. */
const READ_ONLY_PREFIXES = ['Describe', 'Get', 'List', 'Lookup'] as const;

function op(service: Service, name: string, purpose: string, action = `${service}:${name}`): Operation {
  return Object.freeze({ service, name, action, purpose });
}

/** Every operation the collector may call, in the order a collection uses them. */
export const OPERATIONS: readonly Operation[] = Object.freeze([
  op('sts', 'GetCallerIdentity', 'the account id and partition behind the credentials'),
  op('account', 'ListRegions', 'the regions enabled for the account'),
  op('ec2', 'DescribeRegions', 'the enabled regions, when account:ListRegions is not allowed'),
  op('organizations', 'DescribeOrganization', 'the organization id of each account, for the log path of an organization trail'),
  op('organizations', 'ListAccounts', 'the active accounts of the organization (--organization)'),
  op('cloudtrail', 'DescribeTrails', 'every trail visible in each region, shadow trails included'),
  op('cloudtrail', 'GetTrailStatus', 'whether each trail is logging and delivering'),
  op('cloudtrail', 'GetEventSelectors', 'the management and data events each trail records'),
  op('cloudtrail', 'GetInsightSelectors', 'the Insights each trail records'),
  op('s3', 'ListBuckets', 'which scanned account owns each trail bucket', 's3:ListAllMyBuckets'),
  op('s3', 'GetBucketLocation', 'the region of each trail bucket'),
  op('s3', 'GetBucketPolicy', 'who may read, write or delete the logs'),
  op('s3', 'GetBucketPolicyStatus', 'whether the bucket policy makes the bucket public'),
  op('s3', 'GetPublicAccessBlock', 'the bucket public access block', 's3:GetBucketPublicAccessBlock'),
  op('s3', 'GetBucketOwnershipControls', 'whether ACLs are disabled', 's3:GetBucketOwnershipControls'),
  op('s3', 'GetBucketAcl', 'the bucket ACL grants'),
  op('s3', 'GetBucketLogging', 'server access logging of the log bucket'),
  op('s3', 'GetBucketVersioning', 'versioning and MFA delete of the log bucket'),
  op('s3', 'GetBucketRequestPayment', 'whether requesters pay', 's3:GetBucketRequestPayment'),
  op('kms', 'DescribeKey', 'the state, spec and manager of each trail key (resolving aliases)'),
  op('kms', 'GetKeyRotationStatus', 'whether automatic key rotation is on'),
  op('kms', 'GetKeyPolicy', 'who may use and manage the key'),
]);

/**
 * Operations the SDK's credential providers make on trailgate's behalf (not through the call
 * wrapper): exchanging the caller's credentials for a role in each audited account. They need
 * a permission on the caller, not on the audited accounts, so they are kept out of the policy.
 */
export const CREDENTIAL_OPERATIONS: readonly Operation[] = Object.freeze([
  op('sts', 'AssumeRole', 'credentials for --role-arn, --accounts and --organization'),
]);

const BY_KEY = new Map(OPERATIONS.map((o) => [`${o.service}:${o.name}`, o]));

/** Whether an operation name is read-only by construction (Describe/Get/List/Lookup). */
export function isReadOnlyName(name: string): boolean {
  return READ_ONLY_PREFIXES.some((p) => name.startsWith(p) && name.length > p.length && /[A-Z]/.test(name.charAt(p.length)));
}

/** The declared operation `service:name`, or an Error explaining why it may not be called. */
export function declaredOperation(service: string, name: string): Operation {
  const found = BY_KEY.get(`${service}:${name}`);
  if (!found) throw new Error(`trailgate may not call ${service}:${name}: it is not declared in src/collect/operations.ts`);
  if (!isReadOnlyName(found.name)) throw new Error(`trailgate may not call ${service}:${name}: it is not a read-only operation`);
  return found;
}

/** The minimal IAM policy (a JSON document) that allows every declared read and nothing else. */
export function iamPolicy(): string {
  const actions = [...new Set(OPERATIONS.map((o) => o.action))].sort();
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'TrailgateReadOnly', Effect: 'Allow', Action: actions, Resource: '*' }],
  };
  return JSON.stringify(policy, null, 2);
}

// A declaration that is not read-only is a programming error: fail at import, not at audit time.
for (const o of OPERATIONS) {
  if (!isReadOnlyName(o.name)) throw new Error(`operations.ts declares a non-read operation: ${o.service}:${o.name}`);
}
