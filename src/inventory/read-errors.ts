/**
 * Recorded read failures (`errors[]`), checked beyond what the schema can say. An error stands for
 * the datum its read would have filled only when it names that read the way the engine looks it
 * up; one that names an operation no read has, or a trail the engine cannot find, would match
 * nothing, and the rule that needed the datum would pass on what the failed read left behind
 * (inventory.md: a recorded error makes such a rule `error`, never `pass`).
 */
import inventorySchema from '../../schemas/inventory.schema.json' with { type: 'json' };
import { BUCKET_OPERATIONS, KEY_OPERATIONS, RECORDED_OPERATIONS, TRAIL_OPERATIONS } from '../engine/reads.ts';
import { InputError, type InputPosition } from '../errors.ts';
import { editDistance } from '../input/closest.ts';
import type { AccountInventory, ReadError } from './types.ts';

/** The reads made on one trail, which the CloudTrail API accepts a trail name or TrailARN for. */
const TRAIL_READS: ReadonlySet<string> = new Set(Object.values(TRAIL_OPERATIONS));

/** The reads made on one bucket, which the engine looks up by the bucket's name, as buckets are keyed. */
const BUCKET_READS: ReadonlySet<string> = new Set([...Object.values(BUCKET_OPERATIONS), 'HeadBucket']);

/** The reads made on one key. */
const KEY_READS: ReadonlySet<string> = new Set(Object.values(KEY_OPERATIONS));

/**
 * Calls made of a whole region or account, which name no resource: the engine looks their
 * failures up by account and region only, so one written with a resource would match nothing
 * (a trail list that failed would read as complete).
 */
const UNRESOURCED_READS: ReadonlyMap<string, string> = new Map([
  ['DescribeTrails', 'lists every trail of a region, so its failure names no resource: leave resource out (the region says where it failed)'],
  ['DescribeOrganization', "is asked of an account as a whole, so its failure names no resource: leave resource out (the accountId says whose organization it is)"],
]);

/** A TrailARN, as the schema has it for `Trail.TrailARN`. */
const TRAIL_ARN = new RegExp(inventorySchema.definitions.trail.properties.TrailARN.pattern);

/** A trail name as CloudTrail allows one: letters, digits, periods, underscores and dashes. */
const TRAIL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Refuses, at its position, an error whose operation is none trailgate knows for its service
 * (`GetEventSelector`, or GetEventSelectors recorded for s3), whose trail read names neither
 * a TrailARN nor a trail name, or whose resource the engine would not look it up by (a region-wide
 * call given one, a bucket named by its ARN). Case and a service prefix are forgiven (README): they are matched.
 */
export function checkReadErrors(errors: readonly ReadError[] | undefined, at: (pointer: string) => InputPosition): void {
  errors?.forEach((e, i) => {
    const operation = recordedOperation(e.service, e.operation);
    if (!operation.ok) throw new InputError(`invalid inventory: ${operation.problem}`, at(`/errors/${i}/operation`));
    if (e.resource !== undefined && TRAIL_READS.has(operation.name) && !(e.resource.startsWith('arn:') ? TRAIL_ARN.test(e.resource) : TRAIL_NAME.test(e.resource))) {
      throw new InputError(
        `invalid inventory: the resource of a failed ${operation.name} is the trail it was called for, its TrailARN or its name; ${JSON.stringify(e.resource)} is neither`,
        at(`/errors/${i}/resource`),
      );
    }
    // A trail read that names neither its trail nor the region it failed in is looked up by neither,
    // and would match nothing: a failed GetEventSelectors would leave AWS's default selector standing.
    if (e.resource === undefined && e.region === undefined && TRAIL_READS.has(operation.name)) {
      throw new InputError(`invalid inventory: a failed ${operation.name} names its trail: give the trail's TrailARN (or its name) as resource, or the region it failed in`, at(`/errors/${i}`));
    }
    const problem = resourceProblem(operation.name, e.resource);
    if (problem !== undefined) throw new InputError(`invalid inventory: ${problem}`, at(`/errors/${i}${e.resource === undefined ? '' : '/resource'}`));
  });
}

/**
 * Why an error's resource cannot name what its read was about, as the engine looks it up: a
 * region- or account-wide call given one, a bucket or key read given none, or a bucket named by
 * its ARN or an s3:// address (buckets are keyed by name, and the trail names its bucket so).
 */
function resourceProblem(operation: string, resource: string | undefined): string | undefined {
  const unresourced = UNRESOURCED_READS.get(operation);
  if (unresourced !== undefined) return resource === undefined ? undefined : `${operation} ${unresourced}`;
  if (resource === undefined) {
    if (BUCKET_READS.has(operation)) return `a failed ${operation} names its bucket: give the bucket's name as resource`;
    if (KEY_READS.has(operation)) return `a failed ${operation} names its key: give the key's ARN (or the id or alias it was asked by) as resource`;
    return undefined;
  }
  if (BUCKET_READS.has(operation)) {
    // The bucket's name is the ARN's or address's first segment, whatever object path follows it (`/*`, `/AWSLogs/`).
    const name = /^arn:[^:]*:s3:::([^/]+)(\/.*)?$/.exec(resource)?.[1] ?? /^s3:\/\/([^/]+)(\/.*)?$/i.exec(resource)?.[1];
    if (name !== undefined || resource.startsWith('arn:') || /^s3:\/\//i.test(resource)) {
      const instead = name !== undefined ? `: write ${name}` : '';
      return `the resource of a failed ${operation} is the bucket's name, as the trail's S3BucketName and the buckets map give it, not ${JSON.stringify(resource)}${instead}`;
    }
  }
  return undefined;
}

/** The operation as AWS spells it, or why the error cannot name it. */
function recordedOperation(service: string, written: string): { ok: true; name: string } | { ok: false; problem: string } {
  const colon = written.indexOf(':');
  const bare = written.slice(colon + 1);
  if (colon >= 0 && written.slice(0, colon).toLowerCase() !== service) {
    return { ok: false, problem: `the operation ${JSON.stringify(written)} is prefixed with another service than the error's, ${service}` };
  }
  const names = RECORDED_OPERATIONS.get(service);
  const name = names?.get(bare.toLowerCase());
  if (name !== undefined) return { ok: true, name };
  for (const [other, theirs] of RECORDED_OPERATIONS) {
    const elsewhere = theirs.get(bare.toLowerCase());
    if (elsewhere !== undefined) return { ok: false, problem: `${elsewhere} is a ${other} operation, but the error's service is ${service}` };
  }
  const known = [...new Set(names?.values())].sort();
  const close = nearestOperation(bare, [...(names?.keys() ?? [])]);
  const hint = close !== undefined ? `did you mean ${names!.get(close)}?` : `trailgate knows ${known.join(', ')} for ${service}`;
  return { ok: false, problem: `unknown ${service} operation ${JSON.stringify(written)}; ${hint}` };
}

/** The candidate (lowercase) nearest to `written` whatever its case, when near enough to be what was meant (longer names may be further off). */
function nearestOperation(written: string, candidates: readonly string[]): string | undefined {
  const w = written.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.floor(w.length / 3));
  for (const c of candidates) {
    const d = editDistance(w, c, bestDistance + 1);
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}


/**
 * The errors of one file with each trail read that names its trail by name given that trail's
 * TrailARN instead, which is how the engine looks the failure up. The CloudTrail API takes either,
 * and a name means the trail of that name that the calling account (the error's accountId) owns in
 * the region called (the error's region); an error without a region means the one trail of that
 * name the account owns, and is refused when it owns several. A name no listed trail has is kept
 * as written: it is about a trail the inventory does not judge.
 */
export function resolveTrailNames(errors: readonly ReadError[], accounts: readonly AccountInventory[], at: (pointer: string) => InputPosition): ReadError[] {
  if (!errors.some((e) => e.resource !== undefined && !e.resource.startsWith('arn:'))) return errors as ReadError[];
  const owned = trailsByName(accounts);
  const listed = listedByName(accounts);
  return errors.map((e, i) => {
    if (e.resource === undefined || e.resource.startsWith('arn:') || !isTrailRead(e.operation)) return e;
    const arns = owned.get(`${e.accountId}\u0000${e.region ?? ''}\u0000${e.resource}`);
    if (arns === undefined) {
      // A name reaches only a trail the calling account owns, homed in the region called. One that
      // names a trail the account lists all the same (another account's organization trail, or its
      // own multi-region trail from a region it is not homed in, as CloudTrail wants an ARN for
      // both) would match nothing, and the rule that needed the read would pass on what it left.
      const seen = (listed.get(`${e.accountId}\u0000${e.resource}`) ?? []).filter((t) => e.region === undefined || t.multiRegion || t.home === e.region);
      if (seen.length > 0) {
        const where = e.region === undefined ? '' : ` homed in ${e.region}`;
        const which = seen.map((t) => t.arn).join(', ');
        throw new InputError(
          `account ${e.accountId} owns no trail named ${e.resource}${where}, and a name reaches only such a trail; the trail ${e.resource} it lists is ${which}: give that TrailARN as the error's resource`,
          at(`/errors/${i}/resource`),
        );
      }
      return e;
    }
    if (arns.length > 1) {
      const regions = arns.map((a) => a.split(':')[3]).join(', ');
      throw new InputError(`account ${e.accountId} owns a trail named ${e.resource} in several regions (${regions}): give the error's region, or the trail's TrailARN as its resource`, at(`/errors/${i}/resource`));
    }
    return { ...e, resource: arns[0] };
  });
}

/**
 * Every trail each account lists, its own and others', by `account, name` (its ARN's last part and
 * its `Trail.Name`), with where it is seen: its home region, and every region when multi-region.
 */
function listedByName(accounts: readonly AccountInventory[]): Map<string, { arn: string; home: string; multiRegion: boolean }[]> {
  const out = new Map<string, { arn: string; home: string; multiRegion: boolean }[]>();
  for (const account of accounts) {
    for (const { Trail: t } of account.trails) {
      const seen = { arn: t.TrailARN, home: t.HomeRegion ?? t.TrailARN.split(':')[3] ?? '', multiRegion: t.IsMultiRegionTrail === true };
      for (const name of new Set([t.TrailARN.slice(t.TrailARN.indexOf(':trail/') + ':trail/'.length), ...(t.Name ? [t.Name] : [])])) {
        const key = `${account.accountId}\u0000${name}`;
        const trails = out.get(key);
        if (trails === undefined) out.set(key, [seen]);
        else if (!trails.some((x) => x.arn === seen.arn)) trails.push(seen);
      }
    }
  }
  return out;
}

/** Whether an operation (as an error may write it) is a read of one trail. */
function isTrailRead(written: string): boolean {
  const name = RECORDED_OPERATIONS.get('cloudtrail')?.get(written.slice(written.indexOf(':') + 1).toLowerCase());
  return name !== undefined && TRAIL_READS.has(name);
}

/**
 * Each account's own trails by `account, home region, name` and by `account, '', name` (for an
 * error without a region), to their TrailARNs. A trail is named by its ARN's last part, as AWS
 * resolves names, and by `Trail.Name` when that differs.
 */
function trailsByName(accounts: readonly AccountInventory[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (key: string, arn: string) => {
    const arns = out.get(key);
    if (arns === undefined) out.set(key, [arn]);
    else if (!arns.includes(arn)) arns.push(arn);
  };
  for (const account of accounts) {
    for (const { Trail: t } of account.trails) {
      const [, , , arnRegion, owner] = t.TrailARN.split(':');
      if (owner !== account.accountId) continue; // another account's trail: a name never reaches it
      const region = t.HomeRegion ?? arnRegion;
      const names = new Set([t.TrailARN.slice(t.TrailARN.indexOf(':trail/') + ':trail/'.length), ...(t.Name !== undefined ? [t.Name] : [])]);
      for (const name of names) {
        add(`${account.accountId}\u0000${region}\u0000${name}`, t.TrailARN);
        add(`${account.accountId}\u0000\u0000${name}`, t.TrailARN);
      }
    }
  }
  return out;
}
