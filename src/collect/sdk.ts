/**
 * Loading the AWS SDK lazily (an inventory scan never pays for it) and building its clients:
 * adaptive retries, shared sockets, path-style S3 when an endpoint override is set.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Service } from './operations.ts';

/** AWS credentials as the SDK's providers return them. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A function that returns credentials, refreshing them as needed. */
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

/** The SDK modules collection uses, loaded on first use. */
export interface SdkModules {
  cloudtrail: typeof import('@aws-sdk/client-cloudtrail');
  s3: typeof import('@aws-sdk/client-s3');
  kms: typeof import('@aws-sdk/client-kms');
  sts: typeof import('@aws-sdk/client-sts');
  organizations: typeof import('@aws-sdk/client-organizations');
  account: typeof import('@aws-sdk/client-account');
  ec2: typeof import('@aws-sdk/client-ec2');
  credentials: typeof import('@aws-sdk/credential-providers');
}

/** Imports the SDK clients; called from inside `collect` only. */
export async function loadSdk(): Promise<SdkModules> {
  const [cloudtrail, s3, kms, sts, organizations, account, ec2, credentials] = await Promise.all([
    import('@aws-sdk/client-cloudtrail'),
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-kms'),
    import('@aws-sdk/client-sts'),
    import('@aws-sdk/client-organizations'),
    import('@aws-sdk/client-account'),
    import('@aws-sdk/client-ec2'),
    import('@aws-sdk/credential-providers'),
  ]);
  return { cloudtrail, s3, kms, sts, organizations, account, ec2, credentials };
}

const CLIENT_CLASS: Record<Service, string> = {
  cloudtrail: 'CloudTrailClient',
  s3: 'S3Client',
  kms: 'KMSClient',
  sts: 'STSClient',
  organizations: 'OrganizationsClient',
  account: 'AccountClient',
  ec2: 'EC2Client',
};

/** The part of an SDK client trailgate uses. */
export interface SdkClient {
  send(command: unknown): Promise<unknown>;
}

type Constructor<T> = new (arg: unknown) => T;

/** Settings shared by every client of one collection. */
export interface ClientSettings {
  maxAttempts: number;
  requestTimeoutMs: number;
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
  profile?: string;
}

/** The request handler options every client and the STS client of the credential providers share. */
export function requestHandlerOptions(s: ClientSettings): Record<string, unknown> {
  return {
    httpAgent: s.httpAgent,
    httpsAgent: s.httpsAgent,
    requestTimeout: s.requestTimeoutMs,
    connectionTimeout: Math.min(s.requestTimeoutMs, 10_000),
  };
}

/** Whether an endpoint override is in force for S3, which then has to address buckets by path. */
export function s3EndpointOverridden(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

/** A new SDK client for `service` in `region` with the given credentials. */
export function newClient(sdk: SdkModules, service: Service, region: string, credentials: AwsCredentialIdentityProvider, s: ClientSettings): SdkClient {
  const Client = (sdk[service] as unknown as Record<string, Constructor<SdkClient>>)[CLIENT_CLASS[service]];
  const config: Record<string, unknown> = {
    region,
    credentials,
    retryMode: 'adaptive',
    maxAttempts: s.maxAttempts,
    requestHandler: requestHandlerOptions(s),
  };
  if (s.profile !== undefined) config.profile = s.profile;
  if (service === 's3' && s3EndpointOverridden()) config.forcePathStyle = true;
  return new Client(config);
}

/** The SDK command class for `operation` of `service`. */
export function commandClass(sdk: SdkModules, service: Service, operation: string): Constructor<unknown> {
  const Command = (sdk[service] as unknown as Record<string, Constructor<unknown> | undefined>)[`${operation}Command`];
  if (typeof Command !== 'function') throw new Error(`the AWS SDK has no ${service} ${operation}Command`);
  return Command;
}

const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * One credential provider per account, shared by all its clients: each SDK client would
 * otherwise assume the role on its own, dozens of times per account.
 */
export function sharedCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let value: AwsCredentialIdentity | undefined;
  return async () => {
    if (value && (!value.expiration || value.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS)) return value;
    if (!current) {
      current = provider().then(
        (v) => {
          value = v;
          current = undefined;
          return v;
        },
        (err: unknown) => {
          current = undefined;
          throw err;
        },
      );
    }
    return current;
  };
}
