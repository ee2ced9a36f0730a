/** Running the real CLI on a plan's files, every format at once. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { cli, tempDir } from '../../helpers/cli.ts';
import { BASELINE_RULES, build, RULE_PATTERNS, subjectsOf, suppressionResource, type Plan } from './generate.ts';

const FORMATS = { text: 'r.txt', json: 'r.json', sarif: 'r.sarif', junit: 'r.xml', github: 'r.gh' } as const;
type Format = keyof typeof FORMATS;

export interface Run {
  code: number;
  stderr: string;
  reports: Record<Format | 'summary', string>;
}

/** Writes the plan's files into a fresh directory; returns it and the inventory file names, in plan order. */
export function writeInputs(plan: Plan): { dir: string; files: string[] } {
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
export async function scan(plan: Plan, dir: string, files: string[], out: string): Promise<Run> {
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
