/**
 * The reference model of the delivery differential test (differential-delivery.test.ts).
 *
 * The reference model is written from shared/design/rules.md ("bucket-delivery, precisely" and
 * the kms-key-usable row) and inventory.md alone, without reading how trailgate builds its
 * requests: it works out, for a random inventory, which requests CloudTrail makes to S3 and KMS,
 * asks the independent simulator @cloud-copilot/iam-simulate for each decision, and combines the
 * decisions with the rest of the rule (bucket gone, Requester Pays, unreadable policy, key
 * state...) in Kleene logic.
 *
 * Where rules.md leaves a choice open, the model follows trailgate (each place says so): a gone
 * bucket does not fail the key's region clause, and a bare key id names the owner's key in the
 * trail's home region, so its ARN is known even when the inventory does not hold the key.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Inventory, Key } from '../../../src/inventory/types.ts';
import type { Built } from './build.ts';
import { BUCKET, DEFAULT_REGIONS, OUTSIDER, REGIONS, type WorldNames } from './world.ts';

type Tri = 'pass' | 'fail' | 'error';
type Decision = 'allow' | 'refuse' | 'unknown';

/** Kleene conjunction of the rule's conditions: one surely false fails, else one unknown errs. */
function all(parts: Tri[]): Tri {
  if (parts.includes('fail')) return 'fail';
  if (parts.includes('error')) return 'error';
  return 'pass';
}

/** One request to the simulator. Context values are strings, or lists for multi-valued keys. */
interface OracleRequest {
  action: string;
  resource: string;
  resourceAccount: string;
  context: Record<string, string | string[]>;
}

/**
 * iam-simulate drops `kms:EncryptionContext:<key>` from the request (it only knows variable keys
 * of the `prefix/name` form), so both the request and the policy say `aws:RequestTag/ec-<key>`
 * instead: same string operators, same case-insensitive key name, a key it keeps.
 */
const EC = /^kms:encryptioncontext:/i;
function renameContextKeys(policy: unknown): unknown {
  if (Array.isArray(policy)) return policy.map(renameContextKeys);
  if (policy === null || typeof policy !== 'object') return policy;
  return Object.fromEntries(Object.entries(policy).map(([k, v]) => [k.replace(EC, 'aws:RequestTag/ec-'), renameContextKeys(v)]));
}

const ORACLE: Record<string, 'allow' | 'refuse'> = { Allowed: 'allow', ExplicitlyDenied: 'refuse', ImplicitlyDenied: 'refuse' };
const memo = new Map<string, 'allow' | 'refuse'>();

async function simulate(policy: object, req: OracleRequest): Promise<'allow' | 'refuse'> {
  const renamed = renameContextKeys(policy) as object;
  const context = Object.fromEntries(Object.entries(req.context).map(([k, v]) => [k.replace(EC, 'aws:RequestTag/ec-'), v]));
  const id = JSON.stringify([renamed, req.action, req.resource, req.resourceAccount, context]);
  const known = memo.get(id);
  if (known) return known;
  const r = await runSimulation(
    {
      request: { principal: 'cloudtrail.amazonaws.com', action: req.action, resource: { resource: req.resource, accountId: req.resourceAccount }, contextVariables: context },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: renamed,
    },
    {},
  );
  if (r.resultType !== 'single') throw new Error(`the simulator rejected ${req.action} on ${req.resource}: ${JSON.stringify(r).slice(0, 500)}`);
  if (r.result.ignoredContextKeys?.length) throw new Error(`the simulator ignored ${r.result.ignoredContextKeys.join(', ')} for ${req.action}`);
  const verdict = ORACLE[r.overallResult];
  if (!verdict) throw new Error(`unexpected simulator result ${r.overallResult}`);
  memo.set(id, verdict);
  return verdict;
}

/** Asks for each candidate request (one per value an unknown datum could take): agreeing answers decide. */
async function decide(policy: object, candidates: OracleRequest[]): Promise<Decision> {
  const answers = new Set(await Promise.all(candidates.map((r) => simulate(policy, r))));
  return answers.size === 1 ? [...answers][0] : 'unknown';
}

/** The key a trail's KmsKeyId names, resolved through the inventory as DescribeKey would. */
function resolveKey(inv: Inventory, b: Built): { arn: string | undefined; entry: Key | undefined } {
  const id = b.kmsKeyId!;
  const { p, owner, home } = b.names;
  const keys = inv.keys ?? {};
  const aliasHolder = (account: string, region: string, alias: string): string | undefined =>
    Object.keys(keys).find((arn) => {
      const [, , , r, a] = arn.split(':');
      return r === region && a === account && (keys[arn].Aliases ?? []).includes(alias);
    });
  let arn: string | undefined;
  if (id.startsWith('arn:') && id.includes(':key/')) arn = id;
  else if (id.startsWith('arn:')) {
    const [, , , region, account, resource] = id.split(':');
    arn = aliasHolder(account, region, resource);
  } else if (id.startsWith('alias/')) arn = aliasHolder(owner, home, id);
  else {
    // A bare key id means the owner's key in the home region: its ARN follows from the id alone
    // (README "bucket-delivery: how trailgate decides"), whether or not the inventory holds the key.
    arn = `arn:${p}:kms:${home}:${owner}:key/${id}`;
  }
  return { arn, entry: arn === undefined || !Object.hasOwn(keys, arn) ? undefined : keys[arn] };
}

/**
 * The values an unresolved key's ARN could take, as far as this policy can tell them apart: every
 * value its conditions compare the key-id header with, a new key of the trail's owner, and one
 * of an account outside the scan.
 */
function possibleKeyArns(policy: object, w: WorldNames): string[] {
  const out = new Set([`arn:${w.p}:kms:${w.home}:${w.owner}:key/00000000-0000-0000-0000-000000000000`, `arn:${w.p}:kms:${w.home}:${OUTSIDER}:key/00000000-0000-0000-0000-000000000000`]);
  const walk = (v: unknown, underKeyId: boolean): void => {
    if (typeof v === 'string' && underKeyId) out.add(v);
    else if (Array.isArray(v)) for (const x of v) walk(x, underKeyId);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, underKeyId || k.toLowerCase() === 's3:x-amz-server-side-encryption-aws-kms-key-id');
  };
  walk(policy, false);
  return [...out];
}

function policyOf(v: unknown): object {
  return typeof v === 'string' ? (JSON.parse(v) as object) : (v as object);
}

/** The organization id of the trail's organization: its owner's, else that of a member that sees it. */
function organizationOf(inv: Inventory, b: Built): string | undefined {
  const owner = inv.accounts.find((a) => a.accountId === b.names.owner);
  if (owner?.organizationId) return owner.organizationId;
  for (const a of inv.accounts) if (a.organizationId && a.trails.some((t) => t.Trail.TrailARN === b.names.trail)) return a.organizationId;
  return undefined;
}

/**
 * What CloudTrail sends with every request it makes for the trail, to S3 and to KMS alike:
 * rules.md's keys, and those the README adds (AWS documents them): the service principal's name,
 * and the owner's organization when the scan shows it. The time is added by possibleTimes.
 */
function cloudTrailContext(inv: Inventory, b: Built): Record<string, string | string[]> {
  const w = b.names;
  const context: Record<string, string | string[]> = {
    'aws:SourceArn': w.trail,
    'aws:SourceAccount': w.owner,
    'aws:PrincipalIsAWSService': 'true',
    'aws:SecureTransport': 'true',
    'aws:PrincipalServiceName': 'cloudtrail.amazonaws.com',
    'aws:PrincipalServiceNamesList': ['cloudtrail.amazonaws.com'],
    // Sent with most services' requests, and false for a service calling as itself (IAM's global condition keys).
    'aws:ViaAWSService': 'false',
  };
  const org = organizationOf(inv, b);
  if (org !== undefined) context['aws:SourceOrgID'] = org;
  return context;
}

/**
 * The time the requests carry (AWS always sends it): the inventory's collectedAt. An inventory
 * without one leaves it unknown, so ask for a moment either side of every time the policy
 * compares with, and for one long before and one long after them all: the answer stands only if
 * they agree.
 */
/**
 * An organization trail's owner is in an organization, so CloudTrail sends aws:SourceOrgID; when
 * the inventory names no organization id, its value is unknown: ask for each id the policy names
 * and for another, and the answer stands only if they agree (as for the time).
 */
function withOrganizations(variants: Record<string, string>[], inv: Inventory, b: Built, isOrg: boolean, policy: object): Record<string, string>[] {
  if (!isOrg || organizationOf(inv, b) !== undefined) return variants;
  const ids = [...new Set([...(JSON.stringify(policy).match(/o-[a-z0-9]{10,32}/g) ?? []), 'o-zzzzzzzzzz'])];
  return variants.flatMap((v) => ids.map((id) => ({ ...v, 'aws:SourceOrgID': id })));
}

function possibleTimes(inv: Inventory, policy: object): Record<string, string>[] {
  const at = (ms: number) => ({ 'aws:CurrentTime': new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'), 'aws:EpochTime': String(Math.floor(ms / 1000)) });
  if (inv.collectedAt !== undefined) return [at(Date.parse(inv.collectedAt))];
  const moments = new Set([Date.parse('2000-01-01T00:00:00Z'), Date.parse('2100-01-01T00:00:00Z')]);
  const walk = (v: unknown, underTime: boolean): void => {
    if (typeof v === 'string' && underTime) {
      const ms = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v);
      for (const d of [-1000, 0, 1000]) moments.add(ms + d);
    } else if (Array.isArray(v)) for (const x of v) walk(x, underTime);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, underTime || /^aws:(currenttime|epochtime)$/i.test(k));
  };
  walk(policy, false);
  return [...moments].map(at);
}

/**
 * A log file of each folder CloudTrail writes the trail's logs to, in each of `regions`: the
 * owner's; for an organization trail, under the organization id, every account of the
 * organization that the scan shows (the owner, accounts naming the organization, and accounts
 * that see the organization trail). `orgUnknown`: an organization trail whose organization id
 * the scan does not show, so its folders cannot be named.
 */
function logFiles(inv: Inventory, b: Built, isOrg: boolean, regions: readonly string[]): { paths: string[]; orgUnknown: boolean } {
  const w = b.names;
  const object = (folder: string, acct: string, region: string) =>
    `arn:${w.p}:s3:::${BUCKET}/${w.prefix ? `${w.prefix}/` : ''}AWSLogs/${folder}/CloudTrail/${region}/2026/01/01/${acct}_CloudTrail_${region}_x.json.gz`;
  const folders: [string, string][] = [[w.owner, w.owner]];
  let orgUnknown = false;
  if (isOrg) {
    const org = organizationOf(inv, b);
    if (org === undefined) orgUnknown = true;
    else {
      const members = new Set([w.owner]);
      for (const a of inv.accounts) if (a.organizationId === org || a.trails.some((t) => t.Trail.TrailARN === w.trail)) members.add(a.accountId);
      for (const m of [...members].sort()) folders.push([`${org}/${m}`, m]);
    }
  }
  return { paths: regions.flatMap((region) => folders.map(([folder, acct]) => object(folder, acct, region))), orgUnknown };
}

/** rules.md, "bucket-delivery, precisely". */
export async function modelBucketDelivery(inv: Inventory, b: Built, isOrg: boolean): Promise<Tri> {
  const w = b.names;
  const bucket = inv.buckets?.[BUCKET];
  const account = w.bucketAccount ?? OUTSIDER;
  if (bucket === undefined) return 'error';
  if (bucket.Exists === false) return 'fail';
  const payer: Tri = bucket.RequestPayer === 'Requester' ? 'fail' : bucket.RequestPayer === undefined ? 'error' : 'pass';
  if (bucket.Policy === null) return 'fail';
  if (bucket.Policy === undefined) return all([payer, 'error']);
  const policy = policyOf(bucket.Policy);
  const base = cloudTrailContext(inv, b);
  const times = withOrganizations(possibleTimes(inv, policy), inv, b, isOrg, policy);
  const parts: Tri[] = [payer];
  const acl = await decide(policy, times.map((time) => ({ action: 's3:GetBucketAcl', resource: `arn:${w.p}:s3:::${BUCKET}`, resourceAccount: account, context: { ...base, ...time } })));
  parts.push(acl === 'allow' ? 'pass' : acl === 'refuse' ? 'fail' : 'error');

  // The PutObject headers; with a key the inventory cannot resolve, its ARN is unknown, so ask
  // for the key it most likely is and for another: the answer stands only if they agree.
  const headerSets: Record<string, string>[] = [];
  const acl0 = { 's3:x-amz-acl': 'bucket-owner-full-control' };
  if (b.kmsKeyId === undefined) headerSets.push(acl0);
  else {
    const { arn } = resolveKey(inv, b);
    const sse = (keyArn: string) => ({ ...acl0, 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn });
    if (arn !== undefined) headerSets.push(sse(arn));
    else for (const candidate of possibleKeyArns(policy, w)) headerSets.push(sse(candidate));
  }
  const put = (resource: string) =>
    decide(policy, headerSets.flatMap((h) => times.map((time) => ({ action: 's3:PutObject', resource, resourceAccount: account, context: { ...base, ...time, ...h } }))));
  const { paths, orgUnknown } = logFiles(inv, b, isOrg, [w.home]);
  for (const d of await Promise.all(paths.map(put))) parts.push(d === 'allow' ? 'pass' : d === 'refuse' ? 'fail' : 'error');
  if (orgUnknown) parts.push('error');
  return all(parts);
}

/**
 * rules.md, the kms-key-usable row, and the README: GenerateDataKey under every log path
 * bucket-delivery checks, in every region of the (multi-region) trail. Where an organization
 * trail's organization id is unknown, its paths cannot be named; rules.md leaves open what
 * follows, and the model follows trailgate: unknown when the key policy looks at the log file's
 * ARN (the one thing the path changes), and no matter otherwise.
 */
export async function modelKmsKeyUsable(inv: Inventory, b: Built, isOrg: boolean): Promise<Tri | 'skipped'> {
  if (b.kmsKeyId === undefined) return 'skipped';
  const w = b.names;
  const { arn, entry } = resolveKey(inv, b);
  if (entry === undefined) {
    const notFound = (inv.errors ?? []).some((e) => e.operation === 'DescribeKey' && e.code === 'NotFoundException' && (e.resource === b.kmsKeyId || e.resource === arn));
    return notFound ? 'fail' : 'error';
  }
  const meta = entry.KeyMetadata ?? {};
  const parts: Tri[] = [meta.KeyState === 'Enabled' ? 'pass' : 'fail', meta.KeySpec === 'SYMMETRIC_DEFAULT' ? 'pass' : 'fail'];
  const keyRegion = arn!.split(':')[3];
  const bucket = inv.buckets?.[BUCKET];
  // A bucket that is gone has no region to be in: that is bucket-delivery's failure, and rules.md
  // leaves the key's clause open there; trailgate does not hold it against the key (see the report).
  if (meta.MultiRegion === true || bucket?.Exists === false) parts.push('pass');
  else if (bucket === undefined || bucket.Region === undefined) parts.push('error');
  else parts.push(bucket.Region === keyRegion ? 'pass' : 'fail');
  if (entry.Policy === undefined || entry.Policy === null) parts.push('error');
  else {
    const policy = policyOf(entry.Policy);
    const keyAccount = arn!.split(':')[4];
    const base = cloudTrailContext(inv, b);
    const times = withOrganizations(possibleTimes(inv, policy), inv, b, isOrg, policy);
    // What S3 sends on CloudTrail's behalf when it encrypts a log file (KMS guide, "CloudTrail puts
    // a log file"): one for each log file the trail writes (it is multi-region: every region the
    // partition enables by default, and those the inventory lists).
    const { paths, orgUnknown } = logFiles(inv, b, isOrg, [...new Set([...DEFAULT_REGIONS[w.p], ...REGIONS[w.p]])]);
    const generate = (logFile: string) =>
      decide(
        policy,
        times.map((time) => ({
          action: 'kms:GenerateDataKey',
          resource: arn!,
          resourceAccount: keyAccount,
          context: { ...base, ...time, 'kms:EncryptionContext:aws:cloudtrail:arn': w.trail, 'kms:EncryptionContext:aws:s3:arn': logFile, 'kms:EncryptionContextKeys': ['aws:cloudtrail:arn', 'aws:s3:arn'] },
        })),
      );
    const describe = decide(policy, times.map((time) => ({ action: 'kms:DescribeKey', resource: arn!, resourceAccount: keyAccount, context: { ...base, ...time } })));
    for (const d of await Promise.all([...paths.map(generate), describe])) parts.push(d === 'allow' ? 'pass' : d === 'refuse' ? 'fail' : 'error');
    if (orgUnknown && JSON.stringify(policy).toLowerCase().includes('kms:encryptioncontext:aws:s3:arn')) parts.push('error');
  }
  return all(parts);
}
