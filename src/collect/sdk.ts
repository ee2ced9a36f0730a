/**
 * Loading the AWS SDK lazily (an inventory scan never pays for it) and building its clients:
 * adaptive retries, shared sockets, path-style S3 when an endpoint override is set.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { rememberSecret } from './classify.ts';
import type { Service } from './operations.ts';
import { timeoutsBounded, type RetryStrategy } from './retry.ts';
import { SKEW_ONLY_PLUGIN } from './clock-skew.ts';
import { ANSWER_ROOT_PLUGIN } from './answer-root.ts';

/** AWS credentials as the SDK's providers return them. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A function that returns credentials, refreshing them as needed. */
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

type Module = Record<string, unknown>;

/** The AWS SDK, each client package imported the first time a call needs it (EC2 alone takes over a second). */
export class Sdk {
  private readonly modules = new Map<string, Promise<Module>>();

  /** The client package of `service`. */
  module(service: Service): Promise<Module> {
    let m = this.modules.get(service);
    if (!m) {
      m = importClient(service);
      this.modules.set(service, m);
    }
    return m;
  }

  private readonly resolved = new Map<string, Promise<Record<string, unknown>>>();

  /**
   * The settings the SDK reads from the environment and shared config (FIPS, dual-stack, the
   * configured endpoint, ...), resolved by the SDK once per service and given to every client:
   * each new client would otherwise resolve them again, and an organization needs thousands.
   */
  resolvedSettings(service: Service, profile: string | undefined): Promise<Record<string, unknown>> {
    let r = this.resolved.get(service);
    if (!r) {
      r = this.module(service).then((m) => resolveSettings(m, service, profile));
      this.resolved.set(service, r);
    }
    return r;
  }

  /**
   * The region the SDK would use with this profile and no region of trailgate's: AWS_REGION, or
   * the profile's `region` in the shared config (a GovCloud or China profile names its own).
   * Undefined when neither gives one.
   */
  async configuredRegion(profile: string | undefined): Promise<string | undefined> {
    const m = await this.module('sts');
    return withProfile(profile, async () => {
      const Client = m[CLIENT_CLASS.sts] as Constructor<{ config: Record<string, unknown>; destroy(): void }>;
      const probe = new Client({ profile, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });
      try {
        const region: unknown = await (probe.config.region as () => Promise<unknown>)();
        return typeof region === 'string' && region !== '' ? region : undefined;
      } catch {
        return undefined; // no region anywhere: the SDK's "Region is missing"
      } finally {
        probe.destroy();
      }
    });
  }

  /** `@aws-sdk/credential-providers`. */
  async credentialProviders(): Promise<typeof import('@aws-sdk/credential-providers')> {
    return import('@aws-sdk/credential-providers');
  }
}

// Literal specifiers, so a bundler can see every package that may be loaded.
function importClient(service: Service): Promise<Module> {
  switch (service) {
    case 'cloudtrail':
      return import('@aws-sdk/client-cloudtrail');
    case 's3':
      return import('@aws-sdk/client-s3');
    case 'kms':
      return import('@aws-sdk/client-kms');
    case 'sts':
      return import('@aws-sdk/client-sts');
    case 'organizations':
      return import('@aws-sdk/client-organizations');
    case 'account':
      return import('@aws-sdk/client-account');
    case 'ec2':
      return import('@aws-sdk/client-ec2');
  }
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

const RESOLVED_KEYS = ['useFipsEndpoint', 'useDualstackEndpoint', 'userAgentAppId', 'authSchemePreference'];
const RESOLVED_S3_KEYS = ['useArnRegion', 'requestChecksumCalculation', 'responseChecksumValidation', 'sigv4aSigningRegionSet'];

async function resolveSettings(module: Module, service: Service, profile: string | undefined): Promise<Record<string, unknown>> {
  return withProfile(profile, () => resolveWithProbe(module, service, profile));
}

/**
 * Runs `fn` with AWS_PROFILE naming `profile` (when given), as it was afterwards. The SDK reads a
 * profile's endpoint_url (and a few other settings) from AWS_PROFILE only, not from the client's
 * `profile`: the chosen profile is named there while the SDK resolves them.
 */
async function withProfile<T>(profile: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.AWS_PROFILE;
  if (profile !== undefined) process.env.AWS_PROFILE = profile;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.AWS_PROFILE;
    else process.env.AWS_PROFILE = saved;
  }
}

async function resolveWithProbe(module: Module, service: Service, profile: string | undefined): Promise<Record<string, unknown>> {
  const Client = module[CLIENT_CLASS[service]] as Constructor<{ config: Record<string, unknown>; destroy(): void }>;
  const probe = new Client({ region: 'us-east-1', profile, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });
  const out: Record<string, unknown> = {};
  for (const key of service === 's3' ? [...RESOLVED_KEYS, ...RESOLVED_S3_KEYS] : RESOLVED_KEYS) {
    const provider = probe.config[key];
    if (typeof provider !== 'function') continue;
    try {
      const value: unknown = await (provider as () => Promise<unknown>)();
      if (value !== undefined) out[key] = value;
    } catch {
      // Left to each client to resolve (and to report) as the SDK normally would.
    }
  }
  const configured = probe.config.serviceConfiguredEndpoint;
  if (typeof configured === 'function') {
    const endpoint: unknown = await (configured as () => Promise<unknown>)().catch(() => undefined);
    if (typeof endpoint === 'string' && endpoint !== '') out.endpoint = endpoint;
  }
  probe.destroy();
  return out;
}

/** The part of an SDK client trailgate uses. */
export interface SdkClient {
  send(command: unknown): Promise<unknown>;
  middlewareStack: { use(plugin: unknown): void };
  config: { retryStrategy: () => Promise<RetryStrategy> };
  destroy(): void;
}

/** Has `client` use its own retry strategy (the one maxAttempts and retryMode gave it) with timeoutsBounded. */
function boundTimeouts(client: SdkClient): void {
  const own = client.config.retryStrategy;
  let bounded: Promise<RetryStrategy> | undefined;
  // The retry middleware asks the client's config for its strategy at every call.
  client.config.retryStrategy = () => (bounded ??= own().then((s) => timeoutsBounded(s)));
}

/**
 * The retry strategy an STS client of these settings would have (adaptive, maxAttempts), with
 * timeoutsBounded: for the client the assume-role provider makes, which trailgate never holds.
 */
export async function stsRetryStrategy(module: Module, s: ClientSettings): Promise<RetryStrategy> {
  const Client = module[CLIENT_CLASS.sts] as Constructor<SdkClient>;
  const probe = new Client({ region: 'us-east-1', credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' }, retryMode: 'adaptive', maxAttempts: s.maxAttempts });
  try {
    return timeoutsBounded(await probe.config.retryStrategy());
  } finally {
    probe.destroy();
  }
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
    // Without it the SDK only logs a warning and keeps waiting: a hung endpoint would hang the audit.
    throwOnRequestTimeout: true,
    connectionTimeout: Math.min(s.requestTimeoutMs, 10_000),
    // The request timeout ends when the answer's headers come: a body that stopped after them was
    // waited for without end (the SDK sets no socket timeout by default). Silence this long is a timeout.
    socketTimeout: s.requestTimeoutMs,
  };
}

/** Whether an endpoint override is in force for S3, which then has to address buckets by path. */
function s3EndpointOverridden(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

/** A new SDK client for `service` in `region` with the given credentials. */
export function newClient(module: Module, service: Service, region: string, credentials: AwsCredentialIdentityProvider, s: ClientSettings, resolved: Record<string, unknown> = {}): SdkClient {
  const Client = module[CLIENT_CLASS[service]] as Constructor<SdkClient>;
  const config: Record<string, unknown> = {
    ...resolved,
    region,
    credentials,
    retryMode: 'adaptive',
    maxAttempts: s.maxAttempts,
    requestHandler: requestHandlerOptions(s),
    // The middleware stack is resolved once per command class, not on every send.
    cacheMiddleware: true,
  };
  if (s.profile !== undefined) config.profile = s.profile;
  // An emulator behind AWS_ENDPOINT_URL(_S3) or a profile's endpoint_url has no per-bucket host names.
  if (service === 's3' && (s3EndpointOverridden() || resolved.endpoint !== undefined)) config.forcePathStyle = true;
  // For a bucket named like a directory bucket (`--x-s3`) the S3 client would otherwise call
  // s3express:CreateSession on its own, an operation operations.ts does not declare. Trails
  // deliver to general purpose buckets only, whose names cannot end so.
  if (service === 's3') config.disableS3ExpressSessionAuth = true;
  const client = new Client(config);
  client.middlewareStack.use(SKEW_ONLY_PLUGIN);
  if (service === 's3') client.middlewareStack.use(ANSWER_ROOT_PLUGIN);
  boundTimeouts(client);
  return client;
}

/** The SDK command class for `operation` of `service`. */
export function commandClass(module: Module, service: Service, operation: string): Constructor<unknown> {
  const Command = module[`${operation}Command`] as Constructor<unknown> | undefined;
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
          rememberSecret(v.secretAccessKey);
          rememberSecret(v.sessionToken);
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
