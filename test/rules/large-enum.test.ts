/**
 * An enum's values are checked for repeats in one pass: draft-07's meta-schema asks for
 * `uniqueItems`, which Ajv checks by comparing every pair of values (an enum of 40,000 values
 * took 4 s to load, 100,000 about 30 s).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { enumValuesSeen } from '../../src/rules/compile-check.ts';
import { cli, tempDir } from '../helpers/cli.ts';

const HEAD = 'id: big-enum\ntitle: A rule\nseverity: low\nscope: trail\ndescription: Something.\nremediation: { text: Fix it. }\nreads: [Trail]\n';

async function loadEnum(values: unknown[]) {
  const dir = tempDir();
  writeFileSync(join(dir, 'rule.yaml'), `${HEAD}check:\n  Trail.Name: { enum: ${JSON.stringify(values)} }\n`);
  enumValuesSeen.count = 0;
  return cli(['rules', '--rules', 'rule.yaml', '--no-builtin-rules'], { cwd: dir });
}

describe('a large enum', () => {
  // The timeout only stops the quadratic check, should it come back.
  it('of 100,000 account ids loads, each value looked at once', async function () {
    this.timeout(20_000);
    const ids = Array.from({ length: 100_000 }, (_, i) => String(100000000000 + i));
    const r = await loadEnum(ids);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('big-enum');
    expect(enumValuesSeen.count).to.equal(100_000);
  });

  it('with its last value repeating its first is refused, naming the pair as Ajv does', async function () {
    this.timeout(20_000);
    const ids = Array.from({ length: 100_000 }, (_, i) => String(100000000000 + (i % 99_999)));
    const r = await loadEnum(ids);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/rule\.yaml:9:\d+: invalid JSON Schema: schema is invalid: data\/enum must NOT have duplicate items \(items ## 0 and 99999 are identical\) \(at \/check\/Trail\.Name\/enum\)\n$/);
    expect(enumValuesSeen.count).to.equal(100_000);
  });

  it('names the last value repeated and the last copy before it, objects equal whatever their keys order', async () => {
    const r = await loadEnum(['a', { x: 1, y: 2 }, 'b', 'a', { y: 2, x: 1 }, 'c']);
    expect(r.stderr).to.contain('data/enum must NOT have duplicate items (items ## 1 and 4 are identical)');
    const s = await loadEnum(['a', 'b', 'a', 'a']);
    expect(s.stderr).to.contain('(items ## 2 and 3 are identical)');
  });

  it('still refuses what the meta-schema refuses in an enum: none, or one that is not a list', async () => {
    expect((await loadEnum([])).stderr).to.contain('data/enum must NOT have fewer than 1 items');
    const dir = tempDir();
    writeFileSync(join(dir, 'rule.yaml'), `${HEAD}check:\n  Trail.Name: { enum: 5 }\n`);
    expect((await cli(['rules', '--rules', 'rule.yaml', '--no-builtin-rules'], { cwd: dir })).stderr).to.contain('data/enum must be array');
  });

  it('takes .nan, .inf and -.inf for three values (JSON writes each as null), as Ajv does, not one repeated', async () => {
    const dir = tempDir();
    const rule = HEAD.replace('reads: [Trail]', 'reads: [Trail, Status]');
    writeFileSync(join(dir, 'rule.yaml'), `${rule}check:\n  Status.LatestDeliveryTime?: { not: { enum: [.inf, -.inf, .nan] } }\n`);
    const r = await cli(['rules', '--rules', 'rule.yaml', '--no-builtin-rules'], { cwd: dir });
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect((await loadEnum([0, -0])).stderr).to.contain('(items ## 0 and 1 are identical)');
  });

  it('keeps uniqueEnumValues, the meta-schema\'s own keyword, out of rules: it is unknown there', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'rule.yaml'), `${HEAD.replace('reads: [Trail]', 'reads: [Trail, EventSelectors]')}check:\n  EventSelectors: { uniqueEnumValues: true }\n`);
    const r = await cli(['rules', '--rules', 'rule.yaml', '--no-builtin-rules'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('strict mode: unknown keyword: "uniqueEnumValues" (at /check/EventSelectors/uniqueEnumValues)');
  });
});
