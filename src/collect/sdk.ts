/**
 * Loading the AWS SDK lazily (an inventory scan never pays for it) and building its clients:
 * adaptive retries, shared sockets, path-style S3 when an endpoint override is set.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { rememberSecret } from './classify.ts';
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

/** The part of a retry token trailgate uses (the SDK's RetryToken). */
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/** The SDK's retry strategy (RetryStrategyV2 of @smithy/types): what its retry middleware calls. */
export interface RetryStrategy {
  mode?: string;
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, errorInfo: { error?: unknown; errorType: string }): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
}

/**
 * How many attempts of one call may time out. The SDK retries a timeout as it retries throttling,
 * up to maxAttempts times: an endpoint that accepts the connection and never answers took 8
 * request timeouts of 30 s, four minutes, to become a failed read. Two give a lost answer its
 * second chance; a hung endpoint then costs a minute per read.
 */
export const MAX_TIMED_OUT_ATTEMPTS = 2;

/** Whether an attempt failed for want of an answer: the request or connection timeout, or the system's. */
function isTimeout(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown } | undefined;
  return e?.name === 'TimeoutError' || e?.code === 'ETIMEDOUT';
}

/**
 * `strategy`, except that a call stops after MAX_TIMED_OUT_ATTEMPTS attempts that timed out:
 * the retries, their backoff and the adaptive rate stay the SDK's, and so does everything about
 * throttling and the other transient failures (a reset connection, a 5xx), which answer at once.
 */
export function timeoutsBounded(strategy: RetryStrategy, max: number = MAX_TIMED_OUT_ATTEMPTS): RetryStrategy {
  // Each retry gets a new token: the count of a call's timeouts follows its tokens.
  const timedOut = new WeakMap<RetryToken, number>();
  return {
    ...(strategy.mode !== undefined ? { mode: strategy.mode } : {}),
    acquireInitialRetryToken: (scope) => strategy.acquireInitialRetryToken(scope),
    async refreshRetryTokenForRetry(token, errorInfo) {
      const count = (timedOut.get(token) ?? 0) + (isTimeout(errorInfo.error) ? 1 : 0);
      // The SDK's own refusal: the retry middleware then throws the call's last error.
      if (count >= max) throw new Error(`no retry after ${count} attempts that timed out`);
      const next = await strategy.refreshRetryTokenForRetry(token, errorInfo);
      timedOut.set(next, count);
      return next;
    },
    recordSuccess: (token) => strategy.recordSuccess(token),
  };
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
  boundTimeouts(client);
  return client;
}

/**
 * The codes AWS answers only when a request's signing time is too far from its own (S3's
 * RequestTimeTooSkewed, EC2's RequestExpired): part of the SDK's list of clock skew errors
 * (CLOCK_SKEW_ERROR_CODES in @smithy/core's retry).
 */
const CLOCK_SKEW_CODES: ReadonlySet<string> = new Set(['RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed']);

/**
 * The rest of that list: codes AWS answers for a skewed clock (STS's SignatureDoesNotMatch and
 * the JSON services' InvalidSignatureException, 'Signature expired: ...') and for other refusals
 * alike (a wrong secret key, a missing permission, credentials EC2 cannot validate). Only their
 * message tells the clock apart.
 */
const SIGNATURE_CODES: ReadonlySet<string> = new Set(['AccessDeniedException', 'AuthFailure', 'InvalidSignatureException', 'SignatureDoesNotMatch']);

/** What such an answer says when it is about the signing time. */
const SKEW_MESSAGE = /signature (?:expired|not yet current)|time too skewed|clock skew/i;

/** Whether an error answer is AWS refusing the signing time, not the request. */
function isClockSkewAnswer(error: { name?: string; Code?: string; message?: string }): boolean {
  const code = typeof error.Code === 'string' && error.Code !== '' ? error.Code : error.name;
  if (code === undefined) return false;
  if (CLOCK_SKEW_CODES.has(code)) return true;
  return SIGNATURE_CODES.has(code) && SKEW_MESSAGE.test(error.message ?? '');
}

/**
 * Once the clock is 4 minutes or more off AWS's, the SDK's signer marks *every* error answer as
 * clock-skew-corrected (its new offset, re-measured at each answer, always differs from the
 * last by some milliseconds), and the retry strategy retries every such answer: each AccessDenied
 * was asked up to maxAttempts times. Between the retries and the signer, the mark is left only on
 * the answers that are about the clock, which the SDK must retry with the corrected time.
 */
const skewOnlyMiddleware =
  (next: (args: unknown) => Promise<unknown>) =>
  async (args: unknown): Promise<unknown> => {
    try {
      return await next(args);
    } catch (err) {
      const e = err as { name?: string; Code?: string; message?: string; $metadata?: { clockSkewCorrected?: boolean } } | undefined;
      if (e?.$metadata?.clockSkewCorrected && !isClockSkewAnswer(e)) delete e.$metadata.clockSkewCorrected;
      throw err;
    }
  };

/** Adds skewOnlyMiddleware to a client's stack (again, as the assume-role provider does on each refresh, replacing it). */
export const SKEW_ONLY_PLUGIN = {
  applyToStack(stack: { addRelativeTo(middleware: unknown, options: { name: string; relation: 'before' | 'after'; toMiddleware: string; override?: boolean }): void }): void {
    stack.addRelativeTo(skewOnlyMiddleware, { name: 'trailgateSkewOnly', relation: 'before', toMiddleware: 'httpSigningMiddleware', override: true });
  },
};

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
