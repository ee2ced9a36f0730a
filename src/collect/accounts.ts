/**
 * Credentials and the accounts to audit: the SDK's default chain (or a profile), optionally a
 * role assumed first; then the caller's own account, a list of accounts, or every active
 * account of the organization, each reached by assuming `roleName` in it.
 */
import { CollectionError, InputError } from '../errors.ts';
import { isPartition, PARTITIONS } from '../inventory/partition.ts';
import type { Partition } from '../inventory/types.ts';
import { call, callPaged, Session, type Runtime } from './call.ts';
import { toFailure } from './classify.ts';
import { requestHandlerOptions, sharedCredentials, stsRetryStrategy, type AwsCredentialIdentityProvider, type Sdk } from './sdk.ts';
import { SKEW_ONLY_PLUGIN } from './clock-skew.ts';
import { arnPartition } from './shapes.ts';
import { regionPartition, unauditedRegion } from './partitions.ts';
import { emptyValue } from './options.ts';
import { NO_PROVIDER, noCredentialsHint } from './profiles.ts';
import type { CollectOptions } from './types.ts';
import { CREDENTIALS_REFUSED, organizationHint, refusedHint, unreachableHint } from './account-hints.ts';

/** The caller as STS sees it. */
export interface Identity {
  accountId: string;
  arn: string;
  partition: Partition;
}

const SESSION_NAME = 'trailgate';

/**
 * The region STS is called in: the configured one (the environment's, else the profile's, as the
 * SDK reads them), else us-east-1. A GovCloud or China profile names a region of its partition:
 * STS in us-east-1 would refuse its keys as unknown.
 */
/** The STS region and where it came from (`AWS_REGION`, a profile's `region`), for messages; no source when none was configured. */
export async function stsRegionOf(sdk: Sdk, profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<{ region: string; source?: string }> {
  if (env.AWS_REGION) return { region: env.AWS_REGION, source: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' };
  const configured = await sdk.configuredRegion(profile);
  if (configured !== undefined) return { region: configured, source: `the region of profile ${profile ?? (env.AWS_PROFILE || 'default')}` };
  return { region: 'us-east-1' };
}

/**
 * Refuses, before any call, an STS region that cannot work: a configured region that is no region
 * name (`AWS_REGION=us-east1` failed as "cannot reach AWS STS ... is the endpoint right?", after
 * the retries), and a --role-arn of another partition than that region's (no partition's STS
 * assumes the roles of another). Under an endpoint override the emulator decides what it takes.
 */
export async function checkStsRegion(runtime: Runtime, options: CollectOptions, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL) return;
  if ((await runtime.sdk.resolvedSettings('sts', options.profile)).endpoint !== undefined) return;
  const region = runtime.stsRegion;
  const source = runtime.stsRegionSource;
  const unaudited = source !== undefined ? unauditedRegion(region) : undefined;
  if (unaudited !== undefined) throw new InputError(`${source}: ${unaudited}`);
  if (source !== undefined && !REGION_NAME.test(region)) {
    throw new InputError(`${source}: "${region}" is not an AWS region name (such as us-east-1); trailgate asks STS there who the credentials are`);
  }
  const rolePartition = options.roleArn !== undefined ? arnPartition(options.roleArn) : undefined;
  const here = regionPartition(region);
  if (rolePartition !== undefined && rolePartition !== here) {
    const from = source !== undefined ? `from ${source}` : 'as no region is configured';
    throw new InputError(
      `--role-arn ${options.roleArn}: a role of the ${rolePartition} partition is assumed only through STS in that partition, but STS is called in ${region} (${here}, ${from}); set AWS_REGION to a region of ${rolePartition}, with credentials of that partition`,
    );
  }
}

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

async function assumeRole(runtime: Runtime, master: AwsCredentialIdentityProvider, roleArn: string, externalId: string | undefined, pace?: () => Promise<void>): Promise<AwsCredentialIdentityProvider> {
  const params: Record<string, unknown> = { RoleArn: roleArn, RoleSessionName: SESSION_NAME };
  if (externalId !== undefined) params.ExternalId = externalId;
  const { fromTemporaryCredentials } = await runtime.sdk.credentialProviders();
  // The STS client the provider makes gets the settings every other STS client gets (endpoint too).
  const resolved = await runtime.sdk.resolvedSettings('sts', runtime.settings.profile);
  // A hung STS, like any hung endpoint, is given up after MAX_TIMED_OUT_ATTEMPTS timeouts.
  const retryStrategy = await stsRetryStrategy(await runtime.sdk.module('sts'), runtime.settings);
  const provider = fromTemporaryCredentials({
    masterCredentials: master,
    params: params as { RoleArn: string },
    clientConfig: {
      ...resolved,
      region: runtime.stsRegion,
      maxAttempts: runtime.settings.maxAttempts,
      retryMode: 'adaptive',
      retryStrategy,
      requestHandler: requestHandlerOptions(runtime.settings),
    },
    // A refused AssumeRole is asked once, however far the clock is off (see SKEW_ONLY_PLUGIN).
    clientPlugins: [SKEW_ONLY_PLUGIN],
  }) as AwsCredentialIdentityProvider;
  return sharedCredentials(
    pace
      ? async () => {
          await pace();
          return provider();
        }
      : provider,
  );
}

/** A logger for the credential chain that says nothing: what matters of it, trailgate says itself. */
const QUIET_LOGGER = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The starting session and who it is; a CollectionError when there are no usable credentials. */
export async function baseSession(runtime: Runtime, options: CollectOptions): Promise<{ session: Session; identity: Identity }> {
  const { fromNodeProviderChain } = await runtime.sdk.credentialProviders();
  // Shared (and so remembered as secrets never to print) even when only the master of --role-arn.
  // With the SDK's own logger, a profile beside keys in the environment printed a nine-line warning
  // naming AWS_PROFILE even when the user gave --profile; collect() says it in one line of its own.
  // The STS clients the chain makes itself (a profile's role_arn, a web identity token) get the
  // plugin every client of trailgate's gets: a refused AssumeRole is asked once on a skewed clock.
  // They, and the SSO clients of an SSO profile, also get its request timeout and its bound on
  // attempts that timed out: without them a hung STS waited for as long as it did not answer.
  // Nothing else: a region here would replace the profile's (and SSO's sso_region).
  const clientConfig = {
    requestHandler: requestHandlerOptions(runtime.settings),
    retryStrategy: await stsRetryStrategy(await runtime.sdk.module('sts'), runtime.settings),
  };
  const init = { logger: QUIET_LOGGER, clientConfig, clientPlugins: [SKEW_ONLY_PLUGIN], ...(options.profile !== undefined ? { profile: options.profile } : {}) };
  const chain = sharedCredentials(fromNodeProviderChain(init) as AwsCredentialIdentityProvider);
  const provider = options.roleArn !== undefined ? await assumeRole(runtime, chain, options.roleArn, options.externalId) : chain;
  const session = new Session(runtime, provider, undefined, options.roleArn);
  try {
    await provider();
  } catch (err) {
    const f = toFailure(err);
    // The profile in force: --profile, else AWS_PROFILE (which a new user may not know is set).
    const profile = options.profile ?? (process.env.AWS_PROFILE || undefined);
    const source = options.profile !== undefined ? ` from profile ${options.profile}` : profile !== undefined ? ` from profile ${profile} (AWS_PROFILE)` : '';
    // No answer (a timeout, the network) says nothing of the credentials, which may be right: the
    // SDK's SSO provider wraps the cause (`CredentialsProviderError`, message `TimeoutError: ...`).
    const unreachable = /^(E[A-Z]+|TimeoutError)$/.test(f.code) || /^(E[A-Z]+|TimeoutError)\b/.test(f.message);
    const what =
      options.roleArn !== undefined
        ? `cannot assume ${options.roleArn}${source && ` with the credentials${source}`}`
        : unreachable
          ? `cannot get AWS credentials${source}: AWS did not answer (check the network, and any endpoint set in AWS_ENDPOINT_URL or the AWS config)`
          : `no usable AWS credentials${source}`;
    // The chain's last word, "Could not load credentials from any providers", says neither where it
    // looked nor whether the profile exists: say it, and how to fix it.
    const why = f.message === NO_PROVIDER ? noCredentialsHint(profile) : `${f.code}: ${f.message}`;
    throw new CollectionError(`${what}: ${why}`);
  }
  const who = await call(session, runtime.stsRegion, 'sts', 'GetCallerIdentity');
  if (!who.ok) {
    // A network failure (ECONNREFUSED, ENOTFOUND, a timeout) says nothing about the credentials.
    const unreachable = /^E[A-Z]+$/.test(who.failure.code) || who.failure.code === 'TimeoutError';
    // The SDK builds the request URL from AWS_ENDPOINT_URL(_STS) or the config file before it sends anything.
    const badEndpoint = who.failure.code === 'TypeError' && /Invalid URL/i.test(who.failure.message);
    const overridden = Boolean(process.env.AWS_ENDPOINT_URL_STS || process.env.AWS_ENDPOINT_URL) || (await runtime.sdk.resolvedSettings('sts', options.profile)).endpoint !== undefined;
    const what = badEndpoint
      ? 'the AWS endpoint is not a valid URL (check AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_STS and endpoint_url in the AWS config)'
      : unreachable
        ? `cannot reach AWS STS to check the credentials (${unreachableHint(overridden, process.env)})`
        : CREDENTIALS_REFUSED.has(who.failure.code)
          ? 'the AWS credentials were refused'
          : 'AWS STS could not check the credentials (sts:GetCallerIdentity failed; check the region and the endpoint)';
    throw new CollectionError(`${what}: ${who.failure.code}: ${who.failure.message}${unreachable || badEndpoint ? '' : refusedHint(runtime, who.failure.code)}`);
  }
  const accountId = who.value.Account;
  const arn = who.value.Arn;
  if (typeof accountId !== 'string' || typeof arn !== 'string') throw new CollectionError('sts:GetCallerIdentity returned no account');
  if (!/^\d{12}$/.test(accountId)) throw new CollectionError('sts:GetCallerIdentity returned an account id that is not 12 digits');
  // Refused here, before anything is collected: the inventory format (and so a scan of what was
  // collected, live or saved) knows only the partitions whose global region it knows.
  const partition = arnPartition(arn) ?? 'aws';
  if (!isPartition(partition)) {
    throw new CollectionError(`the credentials are in the AWS partition ${partition} (${arn}), which trailgate does not support; it audits ${PARTITIONS.join(', ')}`);
  }
  session.accountId = accountId;
  return { session, identity: { accountId, arn, partition } };
}

/** Checks the account options before any call is made. */
export function checkAccountOptions(options: CollectOptions): void {
  // The command line refuses these as it parses them; any other caller is held to the same.
  const named = [['--profile', options.profile], ['--role-arn', options.roleArn], ['--external-id', options.externalId], ['--role-name', options.roleName]] as const;
  for (const [flag, value] of named) if (value === '') throw emptyValue(flag);
  for (const id of options.accounts ?? []) {
    if (!/^\d{12}$/.test(id)) throw new InputError(`--accounts: "${id}" is not a 12-digit AWS account id`);
  }
  if (options.organization && options.accounts?.length) throw new InputError('--organization and --accounts cannot be used together');
  if (options.organization && options.roleName === undefined) throw new InputError('--organization needs --role-name (the role to assume in each account)');
  if (options.roleName !== undefined && !/^[\w+=,.@/-]{1,512}$/.test(options.roleName)) throw new InputError(`--role-name: "${options.roleName}" is not an IAM role name`);
  // Without a list of accounts only the credentials' own account is audited, with the credentials
  // themselves: a role name (or its external id) would do nothing, and the user would believe
  // the run went through the audit role. The external id also serves --role-arn's role.
  const auditing = options.organization === true || (options.accounts?.length ?? 0) > 0;
  if (!auditing && options.roleName !== undefined) {
    throw new InputError('--role-name is the role to assume in each audited account: it needs --accounts or --organization (without them, only the credentials\' own account is audited, with the credentials themselves)');
  }
  if (!auditing && options.roleArn === undefined && options.externalId !== undefined) {
    throw new InputError('--external-id is for the roles trailgate assumes: it needs --role-arn, or --accounts or --organization with --role-name');
  }
}

/** The account ids to audit, sorted; a CollectionError when the organization cannot be listed. */
export async function targetAccounts(base: Session, identity: Identity, options: CollectOptions, globalRegion: string, progress: (line: string) => void = () => {}): Promise<string[]> {
  let ids: string[];
  if (options.organization) {
    const listed = await callPaged(base, globalRegion, 'organizations', 'ListAccounts', {}, { field: 'Accounts', required: true });
    if (!listed.ok) throw new CollectionError(`cannot list the accounts of the organization: ${listed.failure.code}: ${listed.failure.message}${organizationHint(listed.failure.code)}`);
    // An organization has at least its management account: an empty list is no answer, and a
    // scan of no account would be a silent pass.
    if (listed.items.length === 0) throw new CollectionError('cannot list the accounts of the organization: MalformedResponse: ListAccounts listed no account');
    ids = [];
    const inactive: string[] = [];
    for (const a of listed.items as Record<string, unknown>[]) {
      // An id goes into a role ARN and the inventory: one that is not 12 digits is no answer to trust.
      if (typeof a.Id !== 'string' || !/^\d{12}$/.test(a.Id)) throw new CollectionError('cannot list the accounts of the organization: MalformedResponse: ListAccounts listed an account whose Id is not 12 digits');
      const state = a.State ?? a.Status;
      // AWS names every account's state: one without it is not known to be inactive, and left out
      // as such it would be an account nobody judged, under a warning that says "(undefined)".
      if (typeof state !== 'string' || state === '') throw new CollectionError('cannot list the accounts of the organization: MalformedResponse: ListAccounts listed an account without its State');
      if (state === 'ACTIVE') ids.push(a.Id);
      else inactive.push(`${a.Id} (${String(state)})`);
    }
    // Said, not silent: an account left out is an account nobody judged.
    if (inactive.length > 0) {
      const shown = inactive.sort().slice(0, 10).join(', ') + (inactive.length > 10 ? ` and ${inactive.length - 10} more` : '');
      progress(`warning: ${inactive.length} account${inactive.length === 1 ? '' : 's'} of the organization not active, left out: ${shown}`);
    }
  } else if (options.accounts?.length) ids = options.accounts;
  else ids = [identity.accountId];
  ids = [...new Set(ids)].sort();
  if (options.roleName === undefined && ids.some((id) => id !== identity.accountId)) {
    throw new InputError('--accounts needs --role-name (the role to assume in each account)');
  }
  return ids;
}

/** A session per account: the caller's own account keeps the starting credentials. */
export async function accountSession(runtime: Runtime, base: Session, identity: Identity, accountId: string, options: CollectOptions): Promise<Session> {
  if (accountId === identity.accountId) return base;
  const roleArn = `arn:${identity.partition}:iam::${accountId}:role/${options.roleName}`;
  // AssumeRole is made by the SDK's provider, not through `call`, so pace it here.
  const pace = () => base.limiter('sts', runtime.stsRegion).take();
  return new Session(runtime, await assumeRole(runtime, base.credentials, roleArn, options.externalId, pace), accountId, roleArn);
}
