/**
 * Cross-format consistency: one run of the real CLI writes every format (text, json, sarif,
 * junit, github and the step summary) from a random schema-valid inventory full of hostile
 * strings, and each report must say what the JSON report says, as README.md ("Reports",
 * "Suppressions", "Baselines", "--format github") and shared/design/reports.md promise:
 *
 * - json: valid against schemas/report.schema.json, sorted by rule, account, region, resource,
 *   one result per rule and subject; summary = the counts of its results; exitCode = the
 *   process's exit code = what the exit-code table gives for those results and --fail-on; each
 *   location read back from the inventory file: its pointer names the subject's entry, and its
 *   line and column (UTF-16 code units) are where the `yaml` library says that entry begins.
 * - junit: well-formed (saxes); no totals on <testsuites> (windyroad declares none); one suite
 *   per rule that ran, in id order, whose tests/failures/errors/skipped count that rule's JSON
 *   results (so the suites add up to the JSON summary); one case per result, in order,
 *   classname = rule id, name = the subject (TrailARN, account/region, account) with only the
 *   characters XML 1.0 cannot carry removed (a repeat after that gets " (n)"); pass: empty;
 *   fail: <failure type=SEVERITY message=MESSAGE>; error: <error type=CODE message=MESSAGE>
 *   naming each failed read; skipped: <skipped message=...>, the suppression's
 *   "REASON (owner O, expires D)" when suppressed; baselined results stay failures and errors.
 * - sarif: the helper's OASIS-schema and GitHub checks; the results are exactly the JSON
 *   violations, errors and suppressed results (no pass, no plain skip), in report order, with
 *   the same rule id, message, subject and location (uri = the file, percent-encoded per
 *   segment; startLine, startColumn); ruleIndex names the rule; rule levels and
 *   security-severity bands follow the severity, a fail's level too, an error is kind open,
 *   level none; suppressions on every result or none, a suppressed result carries its reason;
 *   primaryLocationLineHash is distinct per (rule, subject) and the same for that pair in every
 *   run, whatever else the inventory holds; executionSuccessful is false exactly when a result
 *   is an error, and each failed read appears in an error notification.
 * - text: a line per fail and error (every result with --verbose) under its account's header,
 *   whose unescaped text ends with the message and [file:line]; nothing raw that could move
 *   the cursor; the summary line's counts equal the JSON summary (with the severity, baseline
 *   and suppressed breakdowns) and the exit line names the JSON exit code and its count.
 * - github: an annotation for exactly the fail and error results that no suppression or
 *   baseline covers, of the kind their severity (or error) gives, at most 50 per kind (the most
 *   severe, then a line saying how many were left out), with the same file, line and column,
 *   and the message "SUBJECT: MESSAGE" with control and bidi characters made visible; the step
 *   summary's counts equal the JSON summary, and its table lists the same open results.
 * - the same inventory, split into two shard files, gives byte-identical reports with the files
 *   given in either order (the JSON report's `inputs`, the command line's own order, aside).
 *
 * Text and annotations are UTF-8 files, where an unpaired surrogate can only be U+FFFD; JSON and
 * SARIF keep it as an escape, and JUnit removes it, as README says.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Ajv } from 'ajv';
import { expect } from 'chai';
import fc from 'fast-check';
import { isMap, isScalar, LineCounter, parseDocument, stringify } from 'yaml';
import { cli, tempDir } from '../helpers/cli.ts';
import { parseXml, type XmlElement } from '../helpers/junit-check.ts';
import { assertValidSarif } from '../helpers/sarif-check.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reports are read back as plain JSON
type Any = any;

// ---------------------------------------------------------------------------------------------
// Untrusted strings
// ---------------------------------------------------------------------------------------------

/**
 * Pieces of text that each format has to escape or strip: XML specials and `]]>`, line breaks,
 * C0 and C1 controls, ESC sequences, bidi overrides, BOM, lone and paired surrogates, the
 * noncharacters XML forbids, workflow-command syntax, Markdown table syntax, and backslash
 * sequences that look like the text report's own escapes.
 */
const PIECES = [
  'main', 'prod', ' ', '<b>', '&amp;', '&', '"', "'", ']]>', '\n', '\r', '\r\n', '\t', '\u0000', '\u001b[31m', '\u0007',
  '\u007f', '\u0085', '\u2028', '\u202e', '\u2066', '\ufeff', '\ud800', '\udc00', '\ud83d\ude80', '\ufffe', '\uffff',
  '::', '::stop-commands::x', '%', '%0A', ',', ':', '\\', '\\x1b', '|', '`', 'é', '/',
];

const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 5 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }) },
);

/** A name that is sometimes plain, so that ordinary runs are generated too. */
const someName = (plain: string[]): fc.Arbitrary<string> => fc.oneof(fc.constantFrom(...plain), hostile);

// ---------------------------------------------------------------------------------------------
// The generator: a plan, then the inventory files, config and baseline it describes
// ---------------------------------------------------------------------------------------------

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const ORG = 'o-exampleorg1';
const REGIONS = ['eu-west-1', 'us-east-1'];
const KEY = `arn:aws:kms:us-east-1:${ACCOUNTS[0]}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const RULE_PATTERNS = ['log-file-validation', 'kms-encryption', 'multi-region-trail', 'trails-per-region', 'bucket-delivery', 'trail-logging', 'bucket-*', '*'];
/** File names a user could give: spaces, URI-reserved and workflow-command characters, bidi, a line break. */
const FILE_NAMES = ['inv', 'shard a', 'dir/b%3A,x:y', 'ünï\u202e', 'new\nline', '#frag?q', '[x]&y', ...(sep === '/' ? ['back\\slash'] : [])];

interface TrailSpec {
  owner: number;
  name: string;
  home: string;
  multi: boolean;
  org: boolean;
  global: boolean;
  validation: boolean;
  bucket: number | undefined;
  key: boolean;
  logging: boolean;
  /** present; missing (not collected); missing with the failed GetTrailStatus recorded. */
  status: 'present' | 'missing' | 'failed';
  /** Per account of ACCOUNTS, for an organization trail: whether that member's copy holds the status too, or its own failed read. */
  memberCopies: boolean[];
}

interface BucketSpec {
  exists: boolean;
  /** null: no policy; 'failed': GetBucketPolicy failed; 'allow'/'deny': a policy whose Sids are untrusted; 'garbage': not JSON. */
  policy: null | 'failed' | 'allow' | 'deny' | 'garbage';
  sids: [string, string];
  logging: boolean;
  requester: boolean;
}

interface ErrorSpec {
  kind: 'describe' | 'assume';
  account: number;
  region: string;
}

interface Plan {
  accounts: number[];
  inOrg: boolean[];
  regions: string[][];
  trails: TrailSpec[];
  bucketNames: [string, string];
  buckets: (BucketSpec | undefined)[];
  keyPresent: boolean;
  errors: ErrorSpec[];
  /** The code and message of every recorded failed read, in order (cycled). */
  codes: string[];
  messages: (string | undefined)[];
  collectedAt: boolean;
  /** Per account: which shard file holds it (0 or 1); buckets, keys and errors likewise. */
  shardOf: number[];
  twoShards: boolean;
  fileNames: [string, string];
  yaml: [boolean, boolean];
  failOn: string;
  verbose: boolean;
  suppressions: { rule: number; subject: number; reason: string; owner: string | undefined; expires: string | undefined }[];
  baseline: { rule: number; subject: number }[];
}

const trailSpec: fc.Arbitrary<TrailSpec> = fc.record({
  owner: fc.nat(ACCOUNTS.length - 1),
  name: someName(['main', 'org', 'audit']),
  home: fc.constantFrom(...REGIONS),
  multi: fc.boolean(),
  org: fc.boolean(),
  global: fc.boolean(),
  validation: fc.boolean(),
  bucket: fc.option(fc.nat(1), { nil: undefined, freq: 5 }),
  key: fc.boolean(),
  logging: fc.boolean(),
  status: fc.constantFrom('present' as const, 'present' as const, 'missing' as const, 'failed' as const),
  memberCopies: fc.array(fc.boolean(), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
});

const bucketSpec: fc.Arbitrary<BucketSpec> = fc.record({
  exists: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  policy: fc.constantFrom(null, 'failed' as const, 'allow' as const, 'allow' as const, 'deny' as const, 'garbage' as const),
  sids: fc.tuple(someName(['AclCheck']), someName(['Write'])),
  logging: fc.boolean(),
  requester: fc.boolean(),
});

const planArb: fc.Arbitrary<Plan> = fc.record({
  accounts: fc.shuffledSubarray([0, 1, 2], { minLength: 1 }),
  inOrg: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  regions: fc.array(fc.shuffledSubarray(REGIONS, { minLength: 1 }), { minLength: 3, maxLength: 3 }),
  trails: fc.uniqueArray(trailSpec, { maxLength: 4, selector: (t) => `${t.owner}/${t.home}/${t.name}` }),
  bucketNames: fc.uniqueArray(someName(['org-logs', 'team-logs']), { minLength: 2, maxLength: 2 }) as fc.Arbitrary<[string, string]>,
  buckets: fc.array(fc.option(bucketSpec, { nil: undefined, freq: 5 }), { minLength: 2, maxLength: 2 }),
  keyPresent: fc.boolean(),
  errors: fc.array(fc.record({ kind: fc.constantFrom('describe' as const, 'assume' as const), account: fc.nat(2), region: fc.constantFrom(...REGIONS) }), { maxLength: 2 }),
  codes: fc.array(someName(['AccessDenied', 'ThrottlingException']), { minLength: 1, maxLength: 3 }),
  messages: fc.array(fc.option(hostile, { nil: undefined }), { minLength: 1, maxLength: 3 }),
  collectedAt: fc.boolean(),
  shardOf: fc.array(fc.nat(1), { minLength: 8, maxLength: 8 }),
  twoShards: fc.boolean(),
  fileNames: fc.uniqueArray(fc.constantFrom(...FILE_NAMES), { minLength: 2, maxLength: 2 }) as fc.Arbitrary<[string, string]>,
  yaml: fc.tuple(fc.boolean(), fc.boolean()),
  failOn: fc.constantFrom('critical', 'high', 'medium', 'low', 'info', 'never'),
  verbose: fc.boolean(),
  suppressions: fc.array(
    fc.record({
      rule: fc.nat(),
      subject: fc.nat(),
      // The config schema wants a reason with something other than white space in it.
      reason: someName(['accepted risk']).map((r) => (/\S/u.test(r) ? r : `ok${r}`)),
      owner: fc.option(someName(['platform']), { nil: undefined }),
      expires: fc.option(fc.constantFrom('2027-03-31', '2026-01-01'), { nil: undefined }),
    }),
    { maxLength: 2 },
  ),
  baseline: fc.array(fc.record({ rule: fc.nat(), subject: fc.nat() }), { maxLength: 3 }),
});

function trailArn(t: TrailSpec): string {
  // The schema wants at least one character after `trail/` that is not a line terminator.
  const name = /^[\n\r\u2028\u2029]/.test(t.name) ? `x${t.name}` : t.name;
  return `arn:aws:cloudtrail:${t.home}:${ACCOUNTS[t.owner]}:trail/${name}`;
}

function bucketPolicy(name: string, spec: BucketSpec): unknown {
  const arn = `arn:aws:s3:::${name}`;
  const principal = { Service: 'cloudtrail.amazonaws.com' };
  if (spec.policy === 'garbage') return '{"Statement": [';
  if (spec.policy === 'deny') return { Version: '2012-10-17', Statement: [{ Sid: spec.sids[0], Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`] }] };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: spec.sids[0], Effect: 'Allow', Principal: principal, Action: 's3:GetBucketAcl', Resource: arn },
      { Sid: spec.sids[1], Effect: 'Allow', Principal: principal, Action: 's3:PutObject', Resource: `${arn}/*` },
    ],
  };
}

type Inventory = Record<string, Any>;

/** The inventory shards a plan describes (one or two), as a collector would write them. */
function build(plan: Plan): Inventory[] {
  const shards: Inventory[] = [{ version: 1, accounts: [] }, { version: 1, accounts: [] }];
  const shard = (i: number): Inventory => shards[plan.twoShards ? plan.shardOf[i % plan.shardOf.length] : 0];
  // Every shard carries a collectedAt (the latest wins when they merge), or none does.
  if (plan.collectedAt) shards.forEach((s, i) => (s.collectedAt = i === 0 ? '2026-11-20T02:00:00Z' : '2026-11-19T02:00:00Z'));
  let failure = 0;
  const failed = (e: Record<string, string>): Record<string, string> => {
    const message = plan.messages[failure % plan.messages.length];
    const err = { ...e, code: plan.codes[failure % plan.codes.length], ...(message === undefined ? {} : { message }) };
    failure++;
    return err;
  };
  const errors: Record<string, string>[] = [];
  const accountEntries = new Map<number, Inventory>();
  for (const a of plan.accounts) {
    const entry: Inventory = { accountId: ACCOUNTS[a], regions: [...plan.regions[a]], trails: [] };
    if (plan.inOrg[a]) entry.organizationId = ORG;
    accountEntries.set(a, entry);
    shard(a).accounts.push(entry);
  }
  for (const t of plan.trails) {
    const org = t.org && plan.inOrg[t.owner];
    const arn = trailArn(t);
    const trail: Record<string, unknown> = {
      Name: t.name,
      TrailARN: arn,
      HomeRegion: t.home,
      IsMultiRegionTrail: t.multi || org,
      IncludeGlobalServiceEvents: t.global,
      LogFileValidationEnabled: t.validation,
      IsOrganizationTrail: org,
      HasCustomEventSelectors: false,
    };
    if (t.bucket !== undefined) trail.S3BucketName = plan.bucketNames[t.bucket];
    if (t.key) trail.KmsKeyId = KEY;
    for (const [a, entry] of accountEntries) {
      if (a !== t.owner && !(org && plan.inOrg[a])) continue;
      const copy: Inventory = { Trail: { ...trail }, EventSelectors: [], InsightSelectors: [] };
      // A member's copy may hold the status the owner could not read, or record its own failure
      // (another code, another message), so that copies and failures of one trail sit in both shards.
      const own = a === t.owner || !t.memberCopies[a];
      // One member (the second account) even saw it differently: which copy wins must not depend on file order.
      if (t.status === 'present' || (!own && t.status === 'failed')) copy.Status = { IsLogging: own || a !== 1 ? t.logging : !t.logging };
      if (!own && t.status === 'missing') errors.push(failed({ accountId: ACCOUNTS[a], region: t.home, service: 'cloudtrail', operation: 'GetTrailStatus', resource: arn }));
      entry.trails.push(copy);
    }
    if (t.status === 'failed') errors.push(failed({ accountId: ACCOUNTS[t.owner], region: t.home, service: 'cloudtrail', operation: 'GetTrailStatus', resource: arn }));
  }
  plan.buckets.forEach((spec, i) => {
    if (spec === undefined) return;
    const name = plan.bucketNames[i];
    const bucket: Inventory = spec.exists
      ? {
          Region: 'us-east-1',
          Acl: { Owner: { ID: 'abc' }, Grants: [] },
          Logging: spec.logging ? { TargetBucket: 'access-logs' } : {},
          Versioning: {},
          RequestPayer: spec.requester ? 'Requester' : 'BucketOwner',
        }
      : { Exists: false };
    if (spec.exists && spec.policy === 'failed') errors.push(failed({ accountId: ACCOUNTS[0], region: 'us-east-1', service: 's3', operation: 'GetBucketPolicy', resource: name }));
    else if (spec.exists) bucket.Policy = spec.policy === null ? null : bucketPolicy(name, spec);
    (shard(3 + i).buckets ??= {})[name] = bucket;
  });
  if (plan.keyPresent) {
    (shard(5).keys ??= {})[KEY] = {
      KeyMetadata: { Arn: KEY, KeyId: KEY.split('/')[1], KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyManager: 'CUSTOMER', MultiRegion: false },
      KeyRotationEnabled: false,
    };
  }
  const seen = new Set<string>();
  for (const e of plan.errors) {
    const k = `${e.kind}/${e.account}/${e.region}`;
    if (seen.has(k)) continue;
    seen.add(k);
    if (e.kind === 'describe') errors.push(failed({ accountId: ACCOUNTS[e.account], region: e.region, service: 'cloudtrail', operation: 'DescribeTrails' }));
    else errors.push(failed({ accountId: ACCOUNTS[e.account], service: 'sts', operation: 'AssumeRole' }));
  }
  errors.forEach((e, i) => (shard(6 + i).errors ??= []).push(e));
  return plan.twoShards ? shards : [shards[0]];
}

/** The subjects a suppression or baseline entry may name (patterns too, for suppressions). */
function subjectsOf(plan: Plan): { kind: 'trail' | 'region' | 'account'; accountId: string; region?: string; resource?: string }[] {
  const out: ReturnType<typeof subjectsOf> = [];
  for (const a of plan.accounts) {
    out.push({ kind: 'account', accountId: ACCOUNTS[a] });
    for (const r of plan.regions[a]) out.push({ kind: 'region', accountId: ACCOUNTS[a], region: r });
  }
  for (const t of plan.trails) out.push({ kind: 'trail', accountId: ACCOUNTS[t.owner], region: t.home, resource: trailArn(t) });
  return out;
}

function suppressionResource(s: ReturnType<typeof subjectsOf>[number]): string {
  return s.resource ?? (s.region === undefined ? s.accountId : `${s.accountId}/${s.region}`);
}

/** Rule ids a baseline entry may name, by the kind of subject they judge. */
const BASELINE_RULES = { trail: ['log-file-validation', 'kms-encryption', 'bucket-delivery', 'trail-logging'], region: ['trails-per-region'], account: ['multi-region-trail', 'global-service-events'] };

// ---------------------------------------------------------------------------------------------
// Running the CLI
// ---------------------------------------------------------------------------------------------

const FORMATS = { text: 'r.txt', json: 'r.json', sarif: 'r.sarif', junit: 'r.xml', github: 'r.gh' } as const;
type Format = keyof typeof FORMATS;

interface Run {
  code: number;
  stderr: string;
  reports: Record<Format | 'summary', string>;
}

/** Writes the plan's files into a fresh directory; returns it and the inventory file names, in plan order. */
function writeInputs(plan: Plan): { dir: string; files: string[] } {
  const dir = tempDir();
  const files = build(plan).map((inv, i) => {
    const file = `${plan.fileNames[i]}.${plan.yaml[i] ? 'yaml' : 'json'}`;
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), plan.yaml[i] ? stringify(inv) : JSON.stringify(inv, null, 2));
    return file;
  });
  const subjects = subjectsOf(plan);
  if (plan.suppressions.length > 0 && subjects.length > 0) {
    const suppressions = plan.suppressions.map((s) => ({
      rule: RULE_PATTERNS[s.rule % RULE_PATTERNS.length],
      resource: suppressionResource(subjects[s.subject % subjects.length]),
      reason: s.reason,
      ...(s.owner === undefined ? {} : { owner: s.owner }),
      ...(s.expires === undefined ? {} : { expires: s.expires }),
    }));
    writeFileSync(join(dir, 'cfg.yml'), stringify({ suppressions }));
  }
  if (plan.baseline.length > 0 && subjects.length > 0) {
    const results = plan.baseline.map((b) => {
      const s = subjects[b.subject % subjects.length];
      const rules = BASELINE_RULES[s.kind];
      return { ruleId: rules[b.rule % rules.length], status: 'fail', scope: s.kind, accountId: s.accountId, region: s.region, resource: s.resource };
    });
    writeFileSync(join(dir, 'base.json'), JSON.stringify({ tool: { name: 'trailgate' }, results }));
  }
  return { dir, files };
}

/** Runs `trailgate scan` on the files (in the order given), writing every format under `out`. */
async function scan(plan: Plan, dir: string, files: string[], out: string): Promise<Run> {
  rmSync(join(dir, out), { recursive: true, force: true });
  mkdirSync(join(dir, out));
  const args = ['scan', ...files.flatMap((f) => ['--snapshot', f]), '--fail-on', plan.failOn];
  if (plan.verbose) args.push('--verbose');
  if (plan.suppressions.length > 0 && plan.accounts.length > 0) args.push('--config', 'cfg.yml');
  if (plan.baseline.length > 0 && plan.accounts.length > 0) args.push('--baseline', 'base.json');
  for (const [format, file] of Object.entries(FORMATS)) args.push('--format', `${format}=${out}/${file}`);
  const summary = join(dir, out, 'summary.md');
  const r = await cli(args, { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
  expect([0, 1, 3], r.stderr).to.include(r.code);
  const read = (file: string) => readFileSync(join(dir, out, file), 'utf8');
  const reports = Object.fromEntries(Object.entries(FORMATS).map(([format, file]) => [format, read(file)])) as Run['reports'];
  reports.summary = read('summary.md');
  return { code: r.code, stderr: r.stderr, reports };
}

// ---------------------------------------------------------------------------------------------
// Decoding, written from the documents rather than from src/report
// ---------------------------------------------------------------------------------------------

/** Removes what XML 1.0's Char production excludes: controls but tab, LF, CR; U+FFFE, U+FFFF; unpaired surrogates. */
function xmlCarriable(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i] + s[i + 1];
      i++;
    } else if (c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd)) out += s[i];
  }
  return out;
}

/** Characters a terminal or the Actions log would act on: C0, DEL, C1, line/paragraph separators, bidi controls, BOM. */
// eslint-disable-next-line no-control-regex -- the characters under test
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

/** The README's visible escapes for those characters (`\x1b`, `\u202e`, `\n`...). */
function visible(s: string): string {
  return [...s]
    .map((c) => {
      if (!ACTIVE.test(c)) return c;
      if (c === '\n') return '\\n';
      if (c === '\r') return '\\r';
      if (c === '\t') return '\\t';
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
    .join('');
}

/** What a UTF-8 file holds of a string: an unpaired surrogate cannot be encoded and becomes U+FFFD. */
function utf8(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Undoes the text report's escaping, where a backslash is itself escaped, so the decoding is exact. */
function unescapeTerminal(s: string): string {
  return s.replace(/\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4})/g, (_, e: string) =>
    e === '\\' ? '\\' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : String.fromCharCode(parseInt(e.slice(1), 16)),
  );
}

/** Undoes a workflow command's escaping: `%25`, `%0D`, `%0A` in data; `%3A` and `%2C` too in properties. */
function unescapeCommand(s: string, property: boolean): string {
  return s.replace(property ? /%(25|0D|0A|3A|2C)/g : /%(25|0D|0A)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function subjectKeyOf(r: Any): string {
  if (r.scope === 'trail') return r.resource;
  if (r.scope === 'region') return `${r.accountId}/${r.region}`;
  return r.accountId;
}

const SEVERITY_RANK: Record<string, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
const LEVEL: Record<string, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const ANNOTATION: Record<string, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' };
/** GitHub's security-severity bands: > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. */
const BAND: Record<string, [number, number]> = { critical: [9.1, 10], high: [7, 8.9], medium: [4, 6.9], low: [0.1, 3.9], info: [0.1, 3.9] };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The exit code README's table gives: 1 for an open violation at or above --fail-on, else 3 for an open error, else 0. */
function expectedExit(results: Any[], failOn: string): number {
  const open = results.filter((r) => r.suppression === undefined);
  if (failOn !== 'never' && open.some((r) => r.status === 'fail' && SEVERITY_RANK[r.severity] >= SEVERITY_RANK[failOn])) return 1;
  return open.some((r) => r.status === 'error') ? 3 : 0;
}

/** `reason (owner O, expires D)`, as README's Suppressions section writes a suppression. */
function suppressionText(s: Any): string {
  const details = [s.owner !== undefined ? `owner ${s.owner}` : '', s.expires !== undefined ? `expires ${s.expires}` : ''].filter(Boolean);
  return details.length > 0 ? `${s.reason} (${details.join(', ')})` : s.reason;
}

// ---------------------------------------------------------------------------------------------
// The checks, one per format, each against the JSON report
// ---------------------------------------------------------------------------------------------

let validateJson: ReturnType<Ajv['compile']> | undefined;

function checkJson(json: Any, run: Run, plan: Plan): void {
  validateJson ??= new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8')));
  expect(validateJson(json), JSON.stringify(validateJson.errors)).to.equal(true);
  const results: Any[] = json.results;
  const key = (r: Any) => [r.ruleId, r.accountId, r.region ?? '', r.resource ?? ''];
  for (let i = 1; i < results.length; i++) {
    const [a, b] = [key(results[i - 1]), key(results[i])];
    const order = a.map((x, j) => cmp(x, b[j])).find((c) => c !== 0) ?? 0;
    expect(order, `results sorted, and one per rule and subject: ${JSON.stringify(b)}`).to.equal(-1);
  }
  const counts = { pass: 0, fail: 0, error: 0, skipped: 0 };
  for (const r of results) counts[r.status as keyof typeof counts]++;
  expect(json.summary).to.deep.equal(counts);
  expect(json.exitCode, 'the JSON exit code is the process exit code').to.equal(run.code);
  expect(json.exitCode, 'the exit code follows README\'s table').to.equal(expectedExit(results, plan.failOn));
  expect(json.failOn).to.equal(plan.failOn);
  expect(json.startTime).to.equal(plan.collectedAt ? '2026-11-20T02:00:00Z' : '1970-01-01T00:00:00Z');
  const ids = json.rules.map((r: Any) => r.id);
  expect(ids, 'rules sorted by id').to.deep.equal([...ids].sort(cmp));
  for (const r of results) expect(ids, 'every result names a rule that ran').to.include(r.ruleId);
}

function checkJunit(xml: string, json: Any): void {
  const root: XmlElement = parseXml(xml);
  expect(root.name).to.equal('testsuites');
  expect(root.attributes, 'windyroad declares no attributes on <testsuites>').to.deep.equal({});
  const suites = root.children;
  expect(suites.map((s) => s.attributes.name), 'a suite per rule that ran, in id order').to.deep.equal(json.rules.map((r: Any) => xmlCarriable(r.id)));
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const suite of suites) {
    const mine: Any[] = json.results.filter((r: Any) => r.ruleId === suite.attributes.name);
    const count = (status: string) => String(mine.filter((r) => r.status === status).length);
    const a = suite.attributes;
    expect([a.tests, a.failures, a.errors, a.skipped], `counts of suite ${a.name}`).to.deep.equal([String(mine.length), count('fail'), count('error'), count('skipped')]);
    total.tests += mine.length;
    total.failures += Number(a.failures);
    total.errors += Number(a.errors);
    total.skipped += Number(a.skipped);
    expect(a.timestamp).to.equal(json.startTime.slice(0, 19));
    expect(suite.children.map((c) => c.name)).to.deep.equal(['properties', ...mine.map(() => 'testcase'), 'system-out', 'system-err']);
    const cases = suite.children.filter((c) => c.name === 'testcase');
    const seen = new Set<string>();
    cases.forEach((tc, i) => {
      const r = mine[i];
      const where = `${r.ruleId} ${JSON.stringify(subjectKeyOf(r))}`;
      expect(tc.attributes.classname, where).to.equal(r.ruleId);
      // The name is the subject with what XML cannot carry removed; only a name that then
      // repeats (as a validating reader compares xs:token values) gets a " (n)".
      const name = xmlCarriable(subjectKeyOf(r));
      const token = name.replace(/[ \t\n\r]+/g, ' ').trim();
      if (seen.has(token)) expect(tc.attributes.name.startsWith(`${name} (`), where).to.equal(true);
      else expect(tc.attributes.name, where).to.equal(name);
      seen.add(tc.attributes.name.replace(/[ \t\n\r]+/g, ' ').trim());
      const children = tc.children;
      if (r.status === 'pass') {
        expect(children, where).to.deep.equal([]);
        return;
      }
      expect(children, where).to.have.lengthOf(1);
      const [child] = children;
      if (r.status === 'fail') {
        expect([child.name, child.attributes.type, child.attributes.message], where).to.deep.equal(['failure', r.severity, xmlCarriable(r.message)]);
        expect(child.text.startsWith(xmlCarriable(r.message)), `${where}: the failure's text starts with the message`).to.equal(true);
      } else if (r.status === 'error') {
        expect([child.name, child.attributes.message], where).to.deep.equal(['error', xmlCarriable(r.message)]);
        const code = r.failedReads?.[0]?.code;
        if (code !== undefined && xmlCarriable(code).trim() !== '') expect(child.attributes.type, `${where}: type is the AWS error code`).to.equal(xmlCarriable(code).trim());
        for (const read of r.failedReads ?? []) {
          expect(child.text, `${where}: the failed read is named`).to.include(xmlCarriable(read.code));
          if (read.message !== undefined) expect(child.text, `${where}: with its message`).to.include(xmlCarriable(read.message));
        }
      } else {
        const message = r.suppression ? suppressionText(r.suppression) : r.message;
        expect([child.name, child.attributes.message], where).to.deep.equal(['skipped', xmlCarriable(message)]);
      }
    });
  }
  expect(total, 'the suites add up to the JSON summary').to.deep.equal({ tests: json.results.length, failures: json.summary.fail, errors: json.summary.error, skipped: json.summary.skipped });
}

/** Every primaryLocationLineHash seen in any run, by rule and subject: it must never change, nor be shared. */
const fingerprints = new Map<string, string>();
const identities = new Map<string, string>();

function checkSarif(text: string, json: Any): void {
  assertValidSarif(text);
  const run = JSON.parse(text).runs[0];
  const rules: Any[] = run.tool.driver.rules;
  expect(rules.map((r) => r.id), 'driver.rules: the rules that ran').to.deep.equal(json.rules.map((r: Any) => r.id));
  for (const [i, rule] of rules.entries()) {
    const severity = json.rules[i].severity;
    expect(rule.defaultConfiguration.level, rule.id).to.equal(LEVEL[severity]);
    const score = Number(rule.properties['security-severity']);
    expect(score, `${rule.id}: security-severity in the ${severity} band`).to.be.within(...BAND[severity]);
  }
  // Passes and plain skips (not applicable) stay out: every SARIF result becomes an alert.
  const expected: Any[] = json.results.filter((r: Any) => r.status === 'fail' || r.status === 'error' || r.suppression !== undefined);
  const results: Any[] = run.results;
  expect(results.map((r) => `${r.ruleId} ${r.properties.resource}`)).to.deep.equal(expected.map((r) => `${r.ruleId} ${r.resource ?? subjectKeyOf(r)}`));
  const inRun = new Set<string>();
  results.forEach((s, i) => {
    const r = expected[i];
    const where = `${r.ruleId} ${JSON.stringify(subjectKeyOf(r))}`;
    expect(rules[s.ruleIndex].id, `${where}: ruleIndex`).to.equal(r.ruleId);
    if (r.message !== '') expect(s.message.text, `${where}: message`).to.equal(r.message);
    if (r.status === 'error') expect([s.kind, s.level], `${where}: an error is open, level none`).to.deep.equal(['open', 'none']);
    else expect([s.kind, s.level], `${where}: level by severity`).to.deep.equal([undefined, LEVEL[r.severity]]);
    expect(s.properties, where).to.include({ accountId: r.accountId, status: r.status, severity: r.severity });
    expect(s.properties.region, where).to.equal(r.region);
    if (r.failedReads !== undefined) expect(s.properties.failedReads, where).to.deep.equal(r.failedReads);
    const [location] = s.locations;
    expect(location.logicalLocations[0].fullyQualifiedName, where).to.equal(r.resource ?? subjectKeyOf(r));
    expect(location.logicalLocations[0].name, where).to.equal(r.name);
    const physical = location.physicalLocation;
    if (r.location !== undefined) {
      const file = physical.artifactLocation.uri.split('/').map(decodeURIComponent).join('/');
      expect(file, `${where}: the uri names the JSON location's file`).to.equal(r.location.file);
      expect([physical.region.startLine, physical.region.startColumn], `${where}: line and column`).to.deep.equal([r.location.line, r.location.column]);
    }
    if (s.suppressions !== undefined && r.suppression !== undefined) {
      expect(s.suppressions, where).to.have.lengthOf(1);
      expect(s.suppressions[0].justification, `${where}: the reason`).to.equal(r.suppression.reason);
    } else if (r.suppression !== undefined) expect.fail(`${where}: suppressed in JSON, not in SARIF`);
    else if (s.suppressions !== undefined) expect(s.suppressions, where).to.deep.equal([]);
    const identity = JSON.stringify([r.ruleId, r.accountId, r.region ?? '', r.resource ?? '']);
    const hash = s.partialFingerprints.primaryLocationLineHash;
    expect(fingerprints.get(identity) ?? hash, `${where}: the same fingerprint in every run`).to.equal(hash);
    expect(identities.get(hash) ?? identity, `${where}: a fingerprint names one rule and subject`).to.equal(identity);
    fingerprints.set(identity, hash);
    identities.set(hash, identity);
    inRun.add(hash);
  });
  expect(inRun.size, 'fingerprints distinct in a run').to.equal(results.length);

  const errors: Any[] = json.results.filter((r: Any) => r.status === 'error');
  const invocation = run.invocations[0];
  expect(invocation.executionSuccessful, 'unsuccessful exactly when something could not be evaluated').to.equal(errors.length === 0);
  const notes: string[] = (invocation.toolExecutionNotifications ?? []).filter((n: Any) => n.level === 'error').map((n: Any) => n.message.text);
  if (errors.length > 0) expect(notes, 'errors are also notifications').to.not.have.lengthOf(0);
  for (const r of errors) {
    for (const read of r.failedReads ?? []) {
      const named = notes.some((n) => n.includes(read.operation) && n.includes(read.code) && (read.message === undefined || n.includes(read.message)));
      expect(named, `${r.ruleId}: the failed read ${JSON.stringify(read)} is a notification`).to.equal(true);
    }
  }
  expect(invocation.startTimeUtc.replace('.000Z', 'Z')).to.equal(json.startTime);
}

const LABELS: Record<string, string> = { fail: 'FAIL', error: 'ERROR', pass: 'PASS', skipped: 'SKIP' };

/** Assigns each result a distinct line it may be printed as (augmenting paths: a line may suit several results). */
function matchLines<L>(results: Any[], lines: L[], fits: (r: Any, line: L) => boolean): (number | undefined)[] {
  const owner: (number | undefined)[] = lines.map(() => undefined);
  const tryAssign = (i: number, visited: Set<number>): boolean => {
    for (let j = 0; j < lines.length; j++) {
      if (visited.has(j) || !fits(results[i], lines[j])) continue;
      visited.add(j);
      if (owner[j] === undefined || tryAssign(owner[j]!, visited)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  return results.map((_, i) => (tryAssign(i, new Set()) ? owner.indexOf(i) : undefined));
}

function checkText(text: string, json: Any, plan: Plan): void {
  expect(ACTIVE.test(text.replace(/\n/g, '')), 'nothing raw that a terminal acts on').to.equal(false);
  const lines = text.split('\n');
  expect(lines.pop()).to.equal('');
  const exitLine = lines.pop()!;
  const summaryLine = lines.pop()!;

  // The result lines, each with the account whose group it is in.
  const shown: Any[] = json.results.filter((r: Any) => plan.verbose || r.status === 'fail' || r.status === 'error');
  let account: string | undefined;
  const printed: { account: string | undefined; line: string }[] = [];
  for (const line of lines) {
    if (line.startsWith('Account ')) account = unescapeTerminal(line.slice('Account '.length));
    else if (/^ {2}(FAIL|ERROR|PASS|SKIP) /.test(line)) printed.push({ account, line: unescapeTerminal(line) });
  }
  expect(printed, 'a line per shown result, and no forged ones').to.have.lengthOf(shown.length);
  const fits = (r: Any, p: { account: string | undefined; line: string }) =>
    p.account === r.accountId &&
    p.line.startsWith(`  ${LABELS[r.status].padEnd(5)} ${r.severity} `) &&
    p.line.includes(` ${r.ruleId} `) &&
    p.line.endsWith(utf8(`: ${r.message}${r.location ? `  [${r.location.file}:${r.location.line}]` : ''}`));
  const matched = matchLines(shown, printed, fits);
  matched.forEach((m, i) => expect(m, `a text line for ${shown[i].ruleId} ${JSON.stringify(subjectKeyOf(shown[i]))}`).to.not.equal(undefined));

  const m = /^(\d+) rules?, (\d+) accounts?: (\d+) passed, (\d+) failed(?: \((.*?)\))?, (\d+) errors?(?: \((.*?)\))?, (\d+) skipped(?: \((.*?)\))?$/.exec(summaryLine);
  expect(m, `summary line: ${summaryLine}`).to.not.equal(null);
  const [, rules, accounts, passed, failed, failedParts, errors, errorParts, skipped, skippedParts] = m!;
  const results: Any[] = json.results;
  expect([rules, accounts].map(Number)).to.deep.equal([json.rules.length, new Set(results.map((r) => r.accountId)).size]);
  expect([passed, failed, errors, skipped].map(Number), 'the summary line counts the JSON summary').to.deep.equal([json.summary.pass, json.summary.fail, json.summary.error, json.summary.skipped]);
  const fails = results.filter((r) => r.status === 'fail');
  const breakdown = [
    ...['critical', 'high', 'medium', 'low', 'info'].map((s) => [fails.filter((r) => r.severity === s).length, s] as const).filter(([n]) => n > 0).map(([n, s]) => `${n} ${s}`),
  ].join(', ');
  const baselined = (status: string) => results.filter((r) => r.status === status && r.suppression?.kind === 'baseline').length;
  const inBaseline = (n: number) => (n > 0 ? `${n} in baseline` : '');
  expect(failedParts ?? '').to.equal([breakdown, inBaseline(baselined('fail'))].filter(Boolean).join('; '));
  expect(errorParts ?? '').to.equal(inBaseline(baselined('error')));
  const suppressed = results.filter((r) => r.suppression?.kind === 'suppression').length;
  expect(skippedParts ?? '').to.equal(suppressed > 0 ? `${suppressed} suppressed` : '');

  expect(exitLine.startsWith(`exit ${json.exitCode}: `), `exit line: ${exitLine}`).to.equal(true);
  const open = results.filter((r) => r.suppression === undefined);
  if (json.exitCode === 1) {
    const n = open.filter((r) => r.status === 'fail' && SEVERITY_RANK[r.severity] >= SEVERITY_RANK[plan.failOn]).length;
    expect(exitLine).to.equal(`exit 1: ${n} violation${n === 1 ? '' : 's'} at or above ${plan.failOn}`);
  } else if (json.exitCode === 3) {
    const n = open.filter((r) => r.status === 'error').length;
    expect(exitLine).to.include(`but ${n} result${n === 1 ? ' is an error' : 's are errors'}`);
  }
}

/** GitHub shows at most this many annotations of each kind; README: trailgate writes the most severe. */
const PER_KIND = 50;

function checkGithub(annotations: string, summary: string, json: Any): void {
  const open: Any[] = json.results.filter((r: Any) => (r.status === 'fail' || r.status === 'error') && r.suppression === undefined);
  const kindOf = (r: Any) => (r.status === 'error' ? 'error' : ANNOTATION[r.severity]);
  const lines = annotations === '' ? [] : annotations.replace(/\n$/, '').split('\n');
  const parsed = lines
    .filter((line) => line.startsWith('::'))
    .map((line) => {
      const m = /^::(error|warning|notice) (.*?)::(.*)$/.exec(line);
      expect(m, `an annotation: ${line}`).to.not.equal(null);
      const props = Object.fromEntries(m![2].split(',').map((p) => [p.slice(0, p.indexOf('=')), unescapeCommand(p.slice(p.indexOf('=') + 1), true)]));
      return { kind: m![1], props, message: unescapeCommand(m![3], false) };
    });
  const fits = (r: Any, a: (typeof parsed)[number]) =>
    a.kind === kindOf(r) &&
    a.props.title.startsWith(`${r.ruleId} (`) &&
    a.message === utf8(visible(`${subjectKeyOf(r)}: ${r.message}`)) &&
    (r.location === undefined
      ? a.props.file === undefined
      : a.props.file === utf8(visible(r.location.file)) && a.props.line === String(r.location.line) && a.props.col === String(r.location.column));
  const notes: string[] = [];
  for (const kind of ['error', 'warning', 'notice']) {
    const mine = open.filter((r) => kindOf(r) === kind);
    const shown = parsed.filter((a) => a.kind === kind);
    expect(shown, `${kind}: an annotation per open violation or error, at most ${PER_KIND}`).to.have.lengthOf(Math.min(mine.length, PER_KIND));
    const matched = matchLines(mine, shown, fits);
    const kept = mine.filter((_, i) => matched[i] !== undefined);
    expect(kept, `${kind}: each annotation is one of its open results`).to.have.lengthOf(shown.length);
    const omitted = mine.filter((_, i) => matched[i] === undefined);
    if (omitted.length > 0) {
      const least = Math.min(...kept.map((r) => SEVERITY_RANK[r.severity]));
      expect(Math.max(...omitted.map((r) => SEVERITY_RANK[r.severity])), `${kind}: the most severe are kept`).to.be.at.most(least);
      notes.push(`trailgate: ${omitted.length} more ${kind} annotation${omitted.length === 1 ? '' : 's'} not shown`);
    }
  }
  const plain = lines.filter((line) => !line.startsWith('::'));
  expect(plain.map((line) => line.slice(0, line.indexOf(' (GitHub'))), 'a line saying how many were left out').to.deep.equal(notes);

  const row = /\n\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|\n/.exec(summary);
  expect(row, 'the step summary has its counts').to.not.equal(null);
  const suppressed = json.results.filter((r: Any) => r.suppression?.kind === 'suppression').length;
  const baselined = json.results.filter((r: Any) => r.suppression?.kind === 'baseline').length;
  expect(row!.slice(1).map(Number)).to.deep.equal([json.summary.pass, json.summary.fail, json.summary.error, json.summary.skipped, suppressed, baselined]);
  // Its table: a row per open violation or error (up to 500), in report order, one line each
  // whatever the message holds.
  const table = summary.split('\n').filter((line) => /^\| (fail|error) \| /.test(line));
  expect(table.map((line) => line.split(' | ').slice(0, 3).join(' | ')), 'the step summary table').to.deep.equal(
    open.slice(0, 500).map((r) => `| ${r.status} | ${r.severity} | ${r.ruleId}`),
  );
}

/**
 * reports.md: a result points at the snapshot file, at the line where its resource's entry
 * begins, as the `yaml` library places it (for JSON and YAML alike). Each JSON location is read
 * back from the file itself: its pointer names the entry of the result's subject, and the line
 * and column are where that entry starts.
 */
function checkLocations(json: Any, dir: string): void {
  const docs = new Map<string, { doc: ReturnType<typeof parseDocument>; lines: LineCounter }>();
  for (const r of json.results as Any[]) {
    if (r.location === undefined) continue;
    const { file, pointer, line, column } = r.location;
    let parsed = docs.get(file);
    if (parsed === undefined) {
      const lines = new LineCounter();
      docs.set(file, (parsed = { doc: parseDocument(readFileSync(join(dir, file), 'utf8'), { lineCounter: lines, uniqueKeys: false }), lines }));
    }
    const path = (pointer as string).split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const node = parsed.doc.getIn(path, true) as Any;
    const where = `${r.ruleId} ${JSON.stringify(subjectKeyOf(r))} at ${JSON.stringify(r.location)}`;
    expect(node, where).to.not.equal(undefined);
    const account = parsed.doc.getIn(path.slice(0, 2)) as Any;
    expect(account.get('accountId'), `${where}: the entry is in the subject's account or seen from it`).to.be.a('string');
    if (r.scope === 'trail') expect(isMap(node) && (node.getIn(['Trail', 'TrailARN']) as string), where).to.equal(r.resource);
    else if (r.scope === 'region') expect(isScalar(node) && node.value, where).to.equal(r.region);
    else expect(isMap(node) && node.get('accountId'), where).to.equal(r.accountId);
    if (r.scope !== 'trail') expect(account.get('accountId'), where).to.equal(r.accountId);
    expect(parsed.lines.linePos(node.range[0]), `${where}: where the entry begins`).to.deep.equal({ line, col: column });
  }
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

/** The JSON report without `inputs`, which lists the inventory files in the command line's order. */
function withoutInputs(json: string): string {
  const out = json.replace(/\n {2}"inputs": \[(?:\n {4}"(?:[^"\\]|\\.)*",?)*\n {2}\],\n/, '\n');
  expect(out).to.not.equal(json);
  return out;
}

async function checkPlan(plan: Plan): Promise<void> {
  const { dir, files } = writeInputs(plan);
  try {
    const first = await scan(plan, dir, files, 'out1');
   
    const json = JSON.parse(first.reports.json);
    checkJson(json, first, plan);
    checkJunit(first.reports.junit, json);
    checkSarif(first.reports.sarif, json);
    checkText(first.reports.text, json, plan);
    checkGithub(first.reports.github, first.reports.summary, json);
    checkLocations(json, dir);

    // With the shards the other way round nothing may change, not a byte. (A plain second run of
    // one file would also be a check, but each run costs as much as the rest of an iteration, and
    // test/cli/scan.test.ts already makes it.)
    if (files.length < 2) return;
    const second = await scan(plan, dir, [...files].reverse(), 'out2');
   
    expect(second.code).to.equal(first.code);
    for (const format of Object.keys(first.reports) as (keyof Run['reports'])[]) {
      const [a, b] = format === 'json' ? [withoutInputs(first.reports.json), withoutInputs(second.reports.json)] : [first.reports[format], second.reports[format]];
      expect(b, `${format}: byte-identical with the shards swapped`).to.equal(a);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each run scans once or twice (about 0.1 s each); CONSISTENCY_RUNS=500 explores further. */
const RUNS = Number(process.env.CONSISTENCY_RUNS ?? 25);

describe('reports agree across formats (property)', function () {
  this.timeout(Math.max(60_000, RUNS * 1000));

  it('text, json, sarif, junit and github say the same of every run, byte for byte again', async () => {
    await fc.assert(fc.asyncProperty(planArb, checkPlan), { numRuns: RUNS });
  });
});

/** The minimal counterexamples the property found, kept by name. */
describe('reports agree across formats (counterexamples)', () => {
  it('an organization trail seen only by members in two shard files points at the same entry whichever file comes first', async () => {
    const dir = tempDir();
    const arn = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/main';
    const member = (accountId: string) => ({
      version: 1,
      accounts: [
        {
          accountId,
          organizationId: ORG,
          regions: ['us-east-1'],
          // Padded differently, so that the two copies sit on different lines too.
          trails: [{ Trail: { Name: 'main', TrailARN: arn, HomeRegion: 'eu-west-1', IsMultiRegionTrail: true, IsOrganizationTrail: true } }],
        },
      ],
    });
    writeFileSync(join(dir, 'a.json'), JSON.stringify(member('333333333333'), null, 2));
    writeFileSync(join(dir, 'b.json'), `\n\n${JSON.stringify(member('222222222222'), null, 2)}`);
    const locations = async (files: string[]) => {
      const r = await cli(['scan', ...files.flatMap((f) => ['--snapshot', f]), '--format', 'json'], { cwd: dir });
      return (JSON.parse(r.stdout).results as Any[]).filter((x) => x.resource === arn).map((x) => x.location);
    };
    const forward = await locations(['a.json', 'b.json']);
    expect(forward).to.not.have.lengthOf(0);
    expect(await locations(['b.json', 'a.json'])).to.deep.equal(forward);
    // The lowest account id that sees the trail, as for the organization id it vouches for.
    expect(forward[0]).to.include({ file: 'b.json', pointer: '/accounts/0/trails/0' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('a snapshot whose name holds a backslash (a plain character on POSIX) is named as it is, not as a path with one more directory', async function () {
    if (sep !== '/') this.skip();
    const dir = tempDir();
    writeFileSync(join(dir, 'a\\b.json'), JSON.stringify({ version: 1, accounts: [{ accountId: ACCOUNTS[0], regions: ['us-east-1'], trails: [] }] }));
    const r = await cli(['scan', '--snapshot', 'a\\b.json', '--only', 'multi-region-trail', '--format', 'json=r.json', '--format', 'sarif=r.sarif', '--format', 'github=r.gh'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(1);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(json.inputs).to.deep.equal(['a\\b.json']);
    expect(json.results[0].location.file).to.equal('a\\b.json');
    const sarif = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).to.equal('a%5Cb.json');
    expect(readFileSync(join(dir, 'r.gh'), 'utf8')).to.match(/^::error file=a\\b\.json,line=1,/);
    rmSync(dir, { recursive: true, force: true });
  });
});
