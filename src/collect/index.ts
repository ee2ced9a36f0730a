/**
 * Live collection: AWS accounts in, one inventory (see inventory.md) out. The AWS SDK is
 * imported by `collect` when it first needs a client (sdk.ts), so importing this module (for its
 * types, or the CLI) loads none of it.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AccountInventory, Inventory } from '../inventory/types.ts';
import { accountSession, baseSession, checkAccountOptions, checkStsRegion, stsRegionOf, targetAccounts } from './accounts.ts';
import { profileOverKeysWarning } from './account-hints.ts';
import { call, callPaged, type Rate, type Runtime, type Session } from './call.ts';
import { isAbsent, malformed, toFailure } from './classify.ts';
import { globalRegionOf, recordError, sortErrors, type Context } from './context.ts';
import type { Service } from './operations.ts';
import { mapBounded } from './ratelimit.ts';
import { planRegions } from './regions.ts';
import { collectBucketsAndKeys, type Collected } from './resources.ts';
import { Sdk } from './sdk.ts';
import { arnAccountOf } from './shapes.ts';
import { collectTrails, completeForeignTrails } from './trails.ts';
import type { CollectOptions, Progress } from './types.ts';
import { checkOptions, DEFAULTS } from './options.ts';
import { InputError } from '../errors.ts';

export type { CollectOptions, Progress } from './types.ts';

/** Collects the CloudTrail configuration of the accounts `options` name into one inventory. */
export async function collect(options: CollectOptions, progress: Progress = () => {}): Promise<Inventory> {
  checkOptions(options);
  checkAccountOptions(options);
  const started = performance.now();
  // Under Node 20 every SDK client warns that the SDK's *future* versions will need Node 22:
  // nine lines on stderr for something the user of this pinned SDK cannot act on. The SDK's own
  // switch turns it off, unless the user set it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ||= 'true';
  const twoSources = profileOverKeysWarning(options.profile, process.env);
  if (twoSources !== undefined) progress(twoSources);
  const sdk = new Sdk();
  // Start loading the clients every collection needs (not EC2, only a fallback) while credentials resolve.
  for (const service of ['sts', 'cloudtrail', 'account', 'organizations', 's3', 'kms'] as const) void sdk.module(service).catch(() => undefined);
  const settings = {
    maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 512 }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 512 }),
    profile: options.profile,
  };
  const sts = await stsRegionOf(sdk, options.profile);
  const runtime: Runtime = { sdk, settings, rates: rates(options), stsRegion: sts.region, ...(sts.source !== undefined ? { stsRegionSource: sts.source } : {}) };
  try {
    await checkStsRegion(runtime, options);
    const { session: base, identity } = await baseSession(runtime, options);
    const ctx: Context = {
      runtime,
      progress,
      errors: [],
      regions: options.regions,
      globalRegion: globalRegionOf(identity.partition),
      partition: identity.partition,
    };
    warnOfGlobalRegionLeftOut(ctx.regions, ctx.globalRegion, progress);
    const ids = await targetAccounts(base, identity, options, ctx.globalRegion, progress);
    // Every account ListAccounts returned belongs to the caller's organization: ask once.
    const orgId = options.organization ? await organizationOf(ctx, base, identity.accountId) : undefined;
    const concurrency = options.concurrency ?? DEFAULTS.concurrency;
    progress(`collecting ${ids.length} account${ids.length === 1 ? '' : 's'} (${Math.min(concurrency, ids.length)} at a time)`);
    const multi = ids.length > 1;
    const collected = await mapBounded(ids, concurrency, async (id) => collectAccount(ctx, await accountSession(runtime, base, identity, id, options), id, multi, orgId));
    // Enabled, not only those --region chose: a trail's status is read in its home region whatever was chosen.
    await completeForeignTrails(ctx, collected.map((c) => ({ accountId: c.account.accountId, trails: c.account.trails, regions: c.enabled !== undefined ? [...c.enabled] : c.account.regions, session: c.session })));
    const { buckets, keys } = await collectBucketsAndKeys(ctx, collected, concurrency);
    warnOfRefusedRoles(collected, ids, identity.accountId, options, progress);
    const outOfScope = accountsOutOfScope(collected, ctx.regions);
    const accounts = collected.filter((c) => !c.outOfScope).map((c) => c.account).sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
    // A left-out account's own failed reads (its organization, its regions) would bring it back as
    // an account known only from its errors; those on a resource (a bucket or key it owns, read for
    // the trails of others) stay, as they explain what those trails' rules could not judge.
    const errors = sortErrors(supersededDropped(ctx.errors.filter((e) => e.accountId === undefined || e.resource !== undefined || !outOfScope.has(e.accountId)), accounts));
    const trailCount = accounts.reduce((n, a) => n + a.trails.length, 0);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    // An account whose role could not be assumed has an entry (no region, its AssumeRole in
    // errors) but nothing collected: counted apart, the line does not claim it was read.
    const unread = collected.filter((c) => !c.outOfScope && c.session === undefined).length;
    const unreadNote = unread > 0 ? ` (${unread} of them not read: no role assumed)` : '';
    progress(
      `collected ${accounts.length} account(s)${unreadNote}, ${trailCount} trail(s), ${Object.keys(buckets).length} bucket(s), ${Object.keys(keys).length} key(s), ${errors.length} failed read(s) in ${seconds} s`,
    );
    // Stamped when the last read is back, not when the first is sent: rules measure ages up to this
    // "now", and a trail read 40 minutes into an organization's collection may already show a
    // delivery made after the start. Ages come out a little long (by at most the collection's
    // length), never negative, and never shorter than they were.
    const collectedAt = (options.now ?? (() => new Date()))().toISOString();
    const inventory: Inventory = { version: 1, collectedAt, partition: identity.partition, accounts, buckets, keys, errors };
    return inventory;
  } finally {
    settings.httpAgent.destroy();
    settings.httpsAgent.destroy();
  }
}

/**
 * What AWS STS answers when the role refused the caller (or does not exist, or the external id is
 * wrong: AWS does not tell them apart): the only failures the role's trust policy or name can
 * cause. Throttling, a timeout or the network says nothing of either.
 */
const ROLE_REFUSED: ReadonlySet<string> = new Set(['AccessDenied', 'AccessDeniedException']);

/** Warns of the other accounts whose role could not be assumed: once, whether none or only some of them let us in. */
function warnOfRefusedRoles(collected: readonly Collected[], ids: readonly string[], owner: string, options: Pick<CollectOptions, 'roleName' | 'externalId'>, progress: Progress): void {
  const { roleName } = options;
  // Another account's role none of them let us assume is most likely a wrong name (or a trust
  // policy that leaves this account out), not a thousand separate refusals: say so once.
  const tried = ids.filter((id) => id !== owner).length;
  const failed = collected.filter((c) => c.account.accountId !== owner && c.session === undefined);
  const refused = failed.map((c) => c.account.accountId);
  if (roleName === undefined || refused.length === 0) return;
  // The trust policy and the role name are named only for the accounts whose role refused us: a
  // role throttled or out of reach would send the user after a policy that is right.
  const codes = failed.map((c) => c.assumeRoleFailure ?? 'UnknownError');
  const denied = codes.filter((code) => ROLE_REFUSED.has(code)).length;
  const counts = [...new Set(codes)].sort().map((code) => `${code} (${codes.filter((c) => c === code).length})`).join(', ');
  const why = denied === codes.length ? '' : ` (AssumeRole failed with ${counts})${regionDisabledHint(codes)}`;
  // STS says AccessDenied alike for a role that is not there, a trust policy that leaves the
  // caller out, a wrong external id, and a caller not allowed sts:AssumeRole at all.
  const trusts = `trusts account ${owner}${options.externalId !== undefined ? ' with the external id given' : ''}`;
  if (tried > 1 && refused.length === tried) {
    const check = `check --role-name, that the role exists there and ${trusts}, and that these credentials may call sts:AssumeRole on it (no policy, SCP or permissions boundary of account ${owner} denies it)`;
    const hint = denied === codes.length ? `: ${check}` : denied > 0 ? `; where it was denied, ${check}` : '';
    progress(`warning: the role ${roleName} could not be assumed in any of the ${tried} other accounts${why}${hint}`);
  } else if (refused.length < tried) {
    // Each refusal had its own line, scrolled away among the progress of the accounts that were
    // read: the count says how much of the scan is missing, and where.
    const shown = refused.sort().slice(0, 10).join(', ') + (refused.length > 10 ? ` and ${refused.length - 10} more` : '');
    const check = `check that the role exists there and ${trusts}`;
    const hint = denied === codes.length ? `: ${check}` : denied > 0 ? `; where it was denied, ${check}` : '';
    progress(
      `warning: the role ${roleName} was assumed in ${tried - refused.length} of the ${tried} other accounts; not in ${refused.length} (${shown}), ${refused.length === 1 ? 'which is' : 'which are'} not collected${why}${hint}`,
    );
  }
}

/**
 * What to do about STS's RegionDisabledException: STS is turned off, in the audited account, in
 * the region trailgate asks it in (AWS_REGION, else the partition's default).
 */
function regionDisabledHint(codes: readonly string[]): string {
  return codes.includes('RegionDisabledException') ? ': where STS is turned off in the region asked (RegionDisabledException), activate that region for STS in the account\'s IAM settings, or set AWS_REGION to a region where it is active' : '';
}

/** The accounts none of the chosen regions is enabled in, left out of the inventory; refused when that is every account. */
function accountsOutOfScope(collected: readonly Collected[], regions: readonly string[] | undefined): Set<string> {
  const outOfScope = new Set(collected.filter((c) => c.outOfScope).map((c) => c.account.accountId));
  if (collected.length > 0 && outOfScope.size === collected.length) {
    // An inventory of no account is refused by every scan: say so now, about the choice that caused
    // it. An input error, so that regions from the config file are shown at their key.
    const chosen = [...new Set(regions)].sort().join(', ');
    throw new InputError(`--region ${chosen}: none of these regions is enabled in ${collected.length === 1 ? `account ${collected[0]!.account.accountId}` : `any of the ${collected.length} accounts`}, so there is nothing to collect`);
  }
  return outOfScope;
}

function rates(options: CollectOptions): Record<Service, Rate> {
  const burst = options.burst ?? DEFAULTS.burst;
  const trail: Rate = { perSecond: options.requestsPerSecond ?? DEFAULTS.requestsPerSecond, burst };
  // CloudTrail's 10 per second is the tight limit. STS, S3 and KMS allow hundreds per second,
  // so they are paced only against bursts; Organizations and Account are called a few times.
  const loose: Rate = { perSecond: 50, burst: 20 };
  const few: Rate = { perSecond: 5, burst: 5 };
  return { cloudtrail: trail, s3: loose, kms: loose, sts: loose, ec2: { perSecond: 20, burst: 10 }, organizations: few, account: few };
}

/**
 * --region without the partition's global region: the trails homed there are never listed, and
 * the inventory cannot say so (its `regions` are the regions looked at, and rules take them as the
 * account's). Global service events arrive there, so the rules about them judge only the trails
 * seen: a single-region trail homed there neither counts for global-service-events nor as a
 * duplicate for global-events-duplicated. Said once, before any call.
 */
function warnOfGlobalRegionLeftOut(regions: readonly string[] | undefined, globalRegion: string, progress: (line: string) => void): void {
  if (regions === undefined || regions.includes(globalRegion)) return;
  progress(
    `warning: the regions chosen (--region, or \`regions\` in the config file) leave out ${globalRegion}, the global region: trails homed there are not listed, so global-service-events and global-events-duplicated judge only the multi-region trails and those homed in the regions chosen`,
  );
}

async function collectAccount(ctx: Context, session: Session, accountId: string, multi: boolean, orgId: string | undefined): Promise<Collected> {
  let account: AccountInventory = { accountId, regions: [], trails: [] };
  try {
    await session.credentials();
  } catch (err) {
    const failure = toFailure(err);
    recordError(ctx, session, {}, 'sts', 'AssumeRole', failure, accountId);
    ctx.progress(`warning: account ${accountId}: cannot assume ${session.roleArn ?? 'the role'} (${failure.code}), not collected`);
    // The organization's listing already says whose it is: an organization trail's bucket-delivery
    // then checks this member's folder too, the one whose logs nobody else would see refused.
    if (orgId !== undefined) account = { accountId, organizationId: orgId, regions: [], trails: [] };
    return { account, assumeRoleFailure: failure.code, ownedBuckets: [] };
  }
  // An assumed role's credentials belong to the account named in its ARN: no need to ask STS again.
  const [plan, organizationId, ownedBuckets] = await Promise.all([
    planRegions(ctx, session, accountId),
    orgId !== undefined ? Promise.resolve(orgId) : organizationOf(ctx, session, accountId),
    multi ? bucketsOwnedBy(ctx, session, accountId) : Promise.resolve([]),
  ]);
  // The user chose regions and the account has none of them enabled: there is nothing of it to
  // judge, as there is nothing in a region that is not enabled (each was noted). Kept, it would
  // list no region and every account rule would report an error, every night, for a read that never failed.
  if (ctx.regions !== undefined && plan.enabled !== undefined && plan.regions.length === 0) {
    ctx.progress(`warning: account ${accountId}: none of the regions chosen is enabled, so it is left out`);
    return { account, session, ownedBuckets, outOfScope: true };
  }
  const { regions, trails } = await collectTrails(ctx, session, accountId, plan);
  account = organizationId !== undefined ? { accountId, organizationId, regions, trails } : { accountId, regions, trails };
  ctx.progress(`account ${accountId}: ${regions.length} region(s), ${trails.length} trail(s)`);
  return { account, session, ownedBuckets, ...(plan.enabled !== undefined ? { enabled: plan.enabled } : {}) };
}

/** The DescribeOrganization of each session: asked once, so the caller's own account records one failure, not two. */
const ORGANIZATIONS = new WeakMap<Session, Promise<string | undefined>>();

/**
 * The organization id, when the account is in one. An account outside any organization simply
 * has none; a read that failed is recorded like any other, since an organization trail's log
 * path (bucket-delivery) cannot be checked without the id, and the result must say why.
 */
function organizationOf(ctx: Context, session: Session, accountId: string): Promise<string | undefined> {
  let asked = ORGANIZATIONS.get(session);
  if (!asked) {
    asked = describeOrganization(ctx, session, accountId);
    ORGANIZATIONS.set(session, asked);
  }
  return asked;
}

async function describeOrganization(ctx: Context, session: Session, accountId: string): Promise<string | undefined> {
  const out = await call(session, ctx.globalRegion, 'organizations', 'DescribeOrganization');
  if (!out.ok) {
    if (!isAbsent('DescribeOrganization', out.failure.code)) recordError(ctx, session, {}, 'organizations', 'DescribeOrganization', out.failure, accountId);
    return undefined;
  }
  // AWS always names the organization's id, in this form (the inventory schema's too).
  const id = (out.value.Organization as Record<string, unknown> | undefined)?.Id;
  if (typeof id === 'string' && /^o-[a-z0-9]{10,32}$/.test(id)) return id;
  recordError(ctx, session, {}, 'organizations', 'DescribeOrganization', malformed('DescribeOrganization', 'no organization id of the form o-[a-z0-9]{10,32}'), accountId);
  return undefined;
}

/** The buckets an account owns, so each bucket is read with its owner's credentials. */
async function bucketsOwnedBy(ctx: Context, session: Session, accountId: string): Promise<string[]> {
  // Not `required`: a missing Buckets only has each bucket read by the account that uses it, and
  // the XML of an account without buckets may carry no list at all.
  const out = await callPaged(session, ctx.globalRegion, 's3', 'ListBuckets', { MaxBuckets: 1000 }, { field: 'Buckets', tokenIn: 'ContinuationToken', tokenOut: 'ContinuationToken' });
  if (!out.ok) {
    // The role could not be assumed again: said and recorded once for the account (recordError).
    if (out.failure.renewal) {
      recordError(ctx, session, {}, 's3', 'ListBuckets', out.failure, accountId);
      return [];
    }
    ctx.progress(`warning: account ${accountId}: cannot list its buckets (${out.failure.code}); its trail buckets are read by the accounts that use them`);
    return [];
  }
  return (out.items as Record<string, unknown>[]).map((b) => b?.Name).filter((n): n is string => typeof n === 'string');
}

const TRAIL_FIELD: Record<string, 'Status' | 'EventSelectors' | 'InsightSelectors'> = {
  GetTrailStatus: 'Status',
  GetEventSelectors: 'EventSelectors',
  GetInsightSelectors: 'InsightSelectors',
};

/**
 * A member account that could not read an organization trail's status, while the trail's own
 * account could, has nothing to add: the inventory indexes trail errors by ARN, so keeping it
 * would hide the owner's good read.
 */
function supersededDropped(errors: Context['errors'], accounts: AccountInventory[]): Context['errors'] {
  const byAccount = new Map(accounts.map((a) => [a.accountId, a]));
  return errors.filter((e) => {
    const field = TRAIL_FIELD[e.operation];
    if (!field || e.resource === undefined) return true;
    const ownerId = arnAccountOf(e.resource);
    if (ownerId === undefined || ownerId === e.accountId) return true;
    const entry = byAccount.get(ownerId)?.trails.find((t) => t.Trail.TrailARN === e.resource);
    const has = entry && (field === 'EventSelectors' ? entry.EventSelectors !== undefined || entry.AdvancedEventSelectors !== undefined : entry[field] !== undefined);
    return !has;
  });
}
