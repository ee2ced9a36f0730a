/**
 * The trails of one account: DescribeTrails (shadow trails included) in every region, folded
 * by TrailARN, then GetTrailStatus, GetEventSelectors and GetInsightSelectors by ARN in each
 * trail's home region, organization trails seen from member accounts included.
 */
import type { Trail, TrailEntry } from '../inventory/types.ts';
import { call, type Session } from './call.ts';
import { isAbsent, isRegionNotEnabled, malformed } from './classify.ts';
import { recordError, type Context } from './context.ts';
import type { RegionPlan } from './regions.ts';
import { arnAccountOf, arnPartition, arnRegionOf, plainObject, plainObjects, trailShapeProblem } from './shapes.ts';

/** The regions actually looked at and the trails seen there. */
export interface AccountTrails {
  regions: string[];
  trails: TrailEntry[];
}

/** Lists and reads every trail visible to the account in the planned regions. */
export async function collectTrails(ctx: Context, session: Session, accountId: string, plan: RegionPlan): Promise<AccountTrails> {
  const perRegion = await Promise.all(plan.regions.map((region) => describeTrails(ctx, session, accountId, region, plan)));
  const lookedAt: string[] = [];
  const byArn = new Map<string, { trail: Trail; fromHome: boolean }>();
  plan.regions.forEach((region, i) => {
    const found = perRegion[i];
    if (found === 'skipped') return;
    lookedAt.push(region);
    for (const trail of found ?? []) {
      const fromHome = trail.HomeRegion === region;
      const seen = byArn.get(trail.TrailARN);
      if (!seen || (fromHome && !seen.fromHome)) byArn.set(trail.TrailARN, { trail, fromHome });
    }
  });
  const arns = [...byArn.keys()].sort();
  const trails = await Promise.all(
    arns.map((arn) => {
      const trail = byArn.get(arn)!.trail;
      // An organization trail is read once per collection, not three calls from every member
      // account (and as many errors[] entries for one failed read): by its own account when
      // that one is scanned and lists it, else by the first member (see completeForeignTrails).
      const owner = arnAccountOf(arn);
      if (owner !== undefined && owner !== accountId) return { Trail: trail };
      return readTrail(ctx, session, accountId, trail);
    }),
  );
  return { regions: lookedAt.sort(), trails };
}

/** One account's trails and the session that read them. */
export interface AccountTrailView {
  accountId: string;
  trails: TrailEntry[];
  /** The regions enabled in the account (else, when they could not be listed, those looked at). */
  regions?: readonly string[];
  session?: Session;
}

/**
 * Reads the trails members left to their owner when the owner did not list them itself (it is
 * not scanned, or its role could not be assumed): the first member that saw each one reads it,
 * among those with the trail's home region enabled, where its status and selectors are read
 * (a member without it is refused there: an opt-in region it never enabled).
 */
export async function completeForeignTrails(ctx: Context, views: AccountTrailView[]): Promise<void> {
  const ownedSeen = new Set<string>();
  for (const v of views) for (const t of v.trails) if (arnAccountOf(t.Trail.TrailARN) === v.accountId) ownedSeen.add(t.Trail.TrailARN);
  const todo = new Map<string, { view: AccountTrailView; index: number; home: boolean }>();
  for (const v of [...views].sort((a, b) => (a.accountId < b.accountId ? -1 : 1))) {
    if (!v.session) continue;
    v.trails.forEach((t, index) => {
      const arn = t.Trail.TrailARN;
      const bare = t.Status === undefined && t.EventSelectors === undefined && t.AdvancedEventSelectors === undefined && t.InsightSelectors === undefined;
      if (!bare || arnAccountOf(arn) === v.accountId || ownedSeen.has(arn)) return;
      const homeRegion = t.Trail.HomeRegion ?? arnRegionOf(arn);
      const home = homeRegion !== undefined && (v.regions?.includes(homeRegion) ?? false);
      const chosen = todo.get(arn);
      if (chosen === undefined || (home && !chosen.home)) todo.set(arn, { view: v, index, home });
    });
  }
  await Promise.all(
    [...todo.values()].map(async ({ view, index }) => {
      // index is where forEach met the trail in view.trails, which keeps its length.
      view.trails[index] = await readTrail(ctx, view.session!, view.accountId, view.trails[index]!.Trail);
    }),
  );
}

/** The trails of one region, 'skipped' when the region is not enabled, undefined when unreadable. */
async function describeTrails(ctx: Context, session: Session, accountId: string, region: string, plan: RegionPlan): Promise<Trail[] | 'skipped' | undefined> {
  const out = await call(session, region, 'cloudtrail', 'DescribeTrails', { includeShadowTrails: true });
  if (!out.ok) {
    if (isRegionNotEnabled(out.failure.code) && !out.failure.renewal && !plan.enabled?.has(region)) {
      ctx.progress(`warning: account ${accountId}: region ${region} is not enabled (${out.failure.code}), skipped`);
      return 'skipped';
    }
    recordError(ctx, session, { region }, 'cloudtrail', 'DescribeTrails', out.failure, accountId);
    return undefined;
  }
  // AWS always answers trailList, [] when the region has no trail: an answer without it is to
  // another question, and reading it as "no trails here" could pass an account rule.
  if (out.value.trailList === undefined) {
    recordError(ctx, session, { region }, 'cloudtrail', 'DescribeTrails', malformed('DescribeTrails', 'an answer without trailList'), accountId);
    return undefined;
  }
  const list = plainObjects(out.value.trailList);
  if (!list || list.some((t) => typeof t.TrailARN !== 'string' || !t.TrailARN.startsWith('arn:'))) {
    recordError(ctx, session, { region }, 'cloudtrail', 'DescribeTrails', malformed('DescribeTrails', 'a trail list without trail ARNs'), accountId);
    return undefined;
  }
  // One entry the inventory cannot hold makes the whole list unknown: the region's trails are
  // then `error`, as for any answer that is not one, never a list with a trail left out.
  for (const t of list) {
    // The scan refuses an inventory whose TrailARNs are in another partition than its own.
    const problem = trailShapeProblem(t) ?? (arnPartition(t.TrailARN as string) !== ctx.partition ? `a trail in another partition than ${ctx.partition}` : undefined);
    if (problem === undefined) continue;
    recordError(ctx, session, { region }, 'cloudtrail', 'DescribeTrails', malformed('DescribeTrails', problem), accountId);
    return undefined;
  }
  return list as unknown as Trail[];
}

async function readTrail(ctx: Context, session: Session, accountId: string, trail: Trail): Promise<TrailEntry> {
  const arn = trail.TrailARN;
  const home = trail.HomeRegion ?? arnRegionOf(arn) ?? ctx.globalRegion;
  const where = { region: home, resource: arn };
  const [status, selectors, insights] = await Promise.all([
    call(session, home, 'cloudtrail', 'GetTrailStatus', { Name: arn }),
    call(session, home, 'cloudtrail', 'GetEventSelectors', { TrailName: arn }),
    call(session, home, 'cloudtrail', 'GetInsightSelectors', { TrailName: arn }),
  ]);
  const entry: TrailEntry = { Trail: trail };

  // AWS always answers IsLogging: without it, the answer is to another question, and an empty
  // Status would read as "no delivery error".
  const trailStatus = status.ok ? plainObject(status.value) : undefined;
  if (trailStatus && typeof trailStatus.IsLogging === 'boolean') entry.Status = trailStatus;
  else recordError(ctx, session, where, 'cloudtrail', 'GetTrailStatus', status.ok ? malformed('GetTrailStatus', 'an answer without IsLogging') : status.failure, accountId);

  if (selectors.ok) {
    const basic = selectors.value.EventSelectors === undefined ? undefined : plainObjects(selectors.value.EventSelectors);
    const advanced = selectors.value.AdvancedEventSelectors === undefined ? undefined : plainObjects(selectors.value.AdvancedEventSelectors);
    if ((selectors.value.EventSelectors !== undefined && !basic) || (selectors.value.AdvancedEventSelectors !== undefined && !advanced)) {
      recordError(ctx, session, where, 'cloudtrail', 'GetEventSelectors', malformed('GetEventSelectors', 'selectors that are not lists'), accountId);
    } else if (!basic && !advanced && trail.HasCustomEventSelectors !== false) {
      // AWS always answers one of the two lists (the default selector when there is no custom one).
      recordError(ctx, session, where, 'cloudtrail', 'GetEventSelectors', malformed('GetEventSelectors', 'neither EventSelectors nor AdvancedEventSelectors'), accountId);
    } else {
      // A trail without custom selectors has AWS's default selector (inventory.md); some emulators
      // answer [] for it, which would read as "records nothing", so the default is left implied.
      const implied = trail.HasCustomEventSelectors === false && !advanced?.length && !basic?.length;
      if (basic && !implied) entry.EventSelectors = basic as TrailEntry['EventSelectors'];
      if (advanced && !implied) entry.AdvancedEventSelectors = advanced as unknown as TrailEntry['AdvancedEventSelectors'];
    }
  } else recordError(ctx, session, where, 'cloudtrail', 'GetEventSelectors', selectors.failure, accountId);

  if (insights.ok) {
    const list = insights.value.InsightSelectors === undefined ? [] : plainObjects(insights.value.InsightSelectors);
    if (list) entry.InsightSelectors = list;
    else recordError(ctx, session, where, 'cloudtrail', 'GetInsightSelectors', malformed('GetInsightSelectors', 'insight selectors that are not a list'), accountId);
  } else if (isAbsent('GetInsightSelectors', insights.failure.code)) entry.InsightSelectors = [];
  else recordError(ctx, session, where, 'cloudtrail', 'GetInsightSelectors', insights.failure, accountId);

  return entry;
}
