/**
 * The JSON report, which every other format is checked against.
 *
 * json: valid against schemas/report.schema.json, sorted by rule, account, region, resource,
 * one result per rule and subject; summary = the counts of its results; exitCode = the
 * process's exit code = what the exit-code table gives for those results and --fail-on; each
 * location read back from the inventory file: its pointer names the subject's entry, and its
 * line and column (UTF-16 code units) are where the `yaml` library says that entry begins.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { expect } from 'chai';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { cmp, expectedExit, subjectKeyOf, type Any } from './decode.ts';
import type { Plan } from './generate.ts';
import type { Run } from './run.ts';

let validateJson: ReturnType<Ajv['compile']> | undefined;

export function checkJson(json: Any, run: Run, plan: Plan): void {
  validateJson ??= new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(new URL('../../../schemas/report.schema.json', import.meta.url), 'utf8')));
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
/**
 * reports.md: a result points at the snapshot file, at the line where its resource's entry
 * begins, as the `yaml` library places it (for JSON and YAML alike). Each JSON location is read
 * back from the file itself: its pointer names the entry of the result's subject, and the line
 * and column are where that entry starts.
 */
export function checkLocations(json: Any, dir: string): void {
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
