/**
 * A trail listed twice in one account is one trail: copies that complement each other are
 * folded, copies that contradict each other are refused (whichever came first would win, and
 * swapping the entries would flip the verdict).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseInventory } from '../../src/inventory/parse.ts';
import { cli, tempDir } from '../helpers/cli.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t';
const TRAIL = `{Name: t, TrailARN: "${ARN}", HomeRegion: us-east-1}`;

/** An inventory of one account listing the entries given (YAML lines, from line 6 on). */
function inventory(...entries: string[]): string {
  return `version: 1\ncollectedAt: 2026-11-20T02:00:00Z\naccounts:\n- accountId: "111122223333"\n  regions: [us-east-1]\n  trails:\n${entries.join('')}`;
}

function refusal(text: string): string {
  return inputErrorOf(() => parseInventory(text, 'i.yaml')).describe();
}

describe('a trail listed twice in one account', () => {
  it('whose copies hold different values of one field is refused at the second copy, in either order', () => {
    const logging = `  - Trail: ${TRAIL}\n    Status: {IsLogging: true}\n`;
    const stopped = `  - Trail: ${TRAIL}\n    Status: {IsLogging: false, LatestDeliveryError: AccessDenied}\n`;
    const message = (line: number, column: number, other: number) =>
      `i.yaml:${line}:${column}: invalid inventory: trail ${ARN} is listed twice in account 111122223333 with a different Status.IsLogging (the other copy's is at line ${other}); the copies of one trail must agree (at /accounts/0/trails/1/Status/IsLogging)`;
    expect(refusal(inventory(logging, stopped))).to.equal(message(10, 25, 8));
    expect(refusal(inventory(stopped, logging))).to.equal(message(10, 25, 8));
  });

  it('names the Trail field or the selector list that differs', () => {
    const a = `  - Trail: {Name: t, TrailARN: "${ARN}", IsMultiRegionTrail: true}\n    EventSelectors: [{ReadWriteType: All}]\n`;
    const b = `  - Trail: {Name: t, TrailARN: "${ARN}", IsMultiRegionTrail: false}\n`;
    expect(refusal(inventory(a, b))).to.match(/^i\.yaml:9:105: invalid inventory: trail \S+ is listed twice in account 111122223333 with a different Trail\.IsMultiRegionTrail \(the other copy's is at line 7\)/);
    const c = `  - Trail: {Name: t, TrailARN: "${ARN}"}\n    EventSelectors: [{ReadWriteType: WriteOnly}]\n`;
    expect(refusal(inventory(a, c))).to.match(/^i\.yaml:10:21: invalid inventory: trail \S+ is listed twice in account 111122223333 with a different EventSelectors \(the other copy's is at line 8\).*\(at \/accounts\/0\/trails\/1\/EventSelectors\)$/);
  });

  it('whose copies say "not set" with null and a value for one field is refused at the second copy, in either order', () => {
    const keyed = `  - Trail: {Name: t, TrailARN: "${ARN}", KmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k"}\n`;
    const keyless = `  - Trail: {Name: t, TrailARN: "${ARN}", KmsKeyId: null}\n`;
    const message =
      `i.yaml:8:95: invalid inventory: trail ${ARN} is listed twice in account 111122223333 with a different Trail.KmsKeyId (the other copy's is at line 7); the copies of one trail must agree (at /accounts/0/trails/1/Trail/KmsKeyId)`;
    expect(refusal(inventory(keyless, keyed))).to.equal(message);
    expect(refusal(inventory(keyed, keyless))).to.equal(message);
    const failing = `  - Trail: ${TRAIL}\n    Status: {LatestDeliveryError: AccessDenied}\n`;
    const clean = `  - Trail: ${TRAIL}\n    Status: {LatestDeliveryError: ~}\n`;
    expect(refusal(inventory(failing, clean))).to.match(/^i\.yaml:10:35: .* with a different Status\.LatestDeliveryError \(the other copy's is at line 8\)/);
  });

  it('whose copies say null and leave the field out agree, as do two nulls', () => {
    const keyless = `  - Trail: {Name: t, TrailARN: "${ARN}", KmsKeyId: null}\n`;
    const silent = `  - Trail: {Name: t, TrailARN: "${ARN}"}\n`;
    for (const entries of [[keyless, silent], [silent, keyless], [keyless, keyless]]) {
      const trails = parseInventory(inventory(...entries), 'i.yaml').inventory.accounts[0].trails;
      expect(trails.map((e) => Object.hasOwn(e.Trail, 'KmsKeyId'))).to.deep.equal([false, false]);
    }
  });

  it('whose copies say "not set" with null and with an empty string agree', () => {
    const keyless = `  - Trail: {Name: t, TrailARN: "${ARN}", KmsKeyId: null}\n    Status: {IsLogging: true, LatestDeliveryError: null}\n`;
    const empty = `  - Trail: {Name: t, TrailARN: "${ARN}", KmsKeyId: ""}\n    Status: {IsLogging: true, LatestDeliveryError: ""}\n`;
    for (const entries of [[keyless, empty], [empty, keyless]]) {
      expect(() => parseInventory(inventory(...entries), 'i.yaml')).to.not.throw();
    }
  });

  it('whose copy says null through a YAML alias shared with another account\'s trail still contradicts a value', () => {
    const text =
      `version: 1\ncollectedAt: 2026-11-20T02:00:00Z\naccounts:\n` +
      `- accountId: "444455556666"\n  regions: [us-east-1]\n  trails:\n  - Trail: {Name: o, TrailARN: "arn:aws:cloudtrail:us-east-1:444455556666:trail/o"}\n    Status: &s {IsLogging: true, LatestDeliveryError: null}\n` +
      `- accountId: "111122223333"\n  regions: [us-east-1]\n  trails:\n  - Trail: ${TRAIL}\n    Status: *s\n  - Trail: ${TRAIL}\n    Status: {IsLogging: true, LatestDeliveryError: AccessDenied}\n`;
    expect(refusal(text)).to.match(/with a different Status\.LatestDeliveryError/);
  });

  it('whose copies hold two different GetEventSelectors answers, basic and advanced, is refused at the second copy\'s list', () => {
    const basic = `  - Trail: ${TRAIL}\n    EventSelectors: [{ReadWriteType: WriteOnly}]\n`;
    const advanced = `  - Trail: ${TRAIL}\n    AdvancedEventSelectors: [{FieldSelectors: [{Field: eventCategory, Equals: [Management]}]}]\n`;
    const message = (list: string, column: number) =>
      `i.yaml:10:${column}: invalid inventory: trail ${ARN} is listed twice in account 111122223333 with a different EventSelectors and AdvancedEventSelectors (the other copy's is at line 8); the copies of one trail must agree (at /accounts/0/trails/1/${list})`;
    expect(refusal(inventory(basic, advanced))).to.equal(message('AdvancedEventSelectors', 29));
    expect(refusal(inventory(advanced, basic))).to.equal(message('EventSelectors', 21));
    // One answer holding both lists is not the answer holding one of them.
    const both = `  - Trail: ${TRAIL}\n    EventSelectors: [{ReadWriteType: WriteOnly}]\n    AdvancedEventSelectors: []\n`;
    expect(refusal(inventory(both, basic))).to.match(/^i\.yaml:11:21: .* with a different AdvancedEventSelectors \(the other copy's is at line 9\).*\(at \/accounts\/0\/trails\/1\/EventSelectors\)$/);
  });

  it('whose one copy holds the selectors and the other none is one trail with them', () => {
    const advanced = `  - Trail: ${TRAIL}\n    AdvancedEventSelectors: [{FieldSelectors: [{Field: eventCategory, Equals: [Management]}]}]\n`;
    const bare = `  - Trail: ${TRAIL}\n    Status: {IsLogging: true}\n`;
    for (const entries of [[advanced, bare], [bare, advanced]]) {
      const trails = parseInventory(inventory(...entries), 'i.yaml').inventory.accounts[0].trails;
      expect(trails.map((e) => [e.EventSelectors, e.AdvancedEventSelectors?.length])).to.deep.equal([[undefined, 1], [undefined, 1]]);
    }
  });

  it('whose copies complement each other is one trail, whichever copy comes first', async () => {
    const dir = tempDir();
    const status = `  - Trail: ${TRAIL}\n    Status: {IsLogging: true, LatestDeliveryTime: "2026-11-20T01:00:00Z"}\n`;
    // The same moment in epoch seconds, as AWS CLI v1 prints it, and a field the other copy lacks.
    const more = `  - Trail: {TrailARN: "${ARN}", S3BucketName: logs}\n    Status: {LatestDeliveryTime: 1795136400, LatestDeliveryError: ""}\n    InsightSelectors: []\n`;
    const verdicts: string[] = [];
    for (const order of [[status, more], [more, status]]) {
      writeFileSync(join(dir, 'i.yaml'), inventory(...order));
      const r = await cli(['scan', '--snapshot', 'i.yaml', '--only', 'trail-logging,delivery-errors', '--format', 'json'], { cwd: dir });
      expect(r.stderr).to.equal('');
      verdicts.push(JSON.stringify(JSON.parse(r.stdout).results.map((x: { ruleId: string; status: string }) => [x.ruleId, x.status])));
    }
    expect(verdicts[0]).to.equal(verdicts[1]);
    expect(verdicts[0]).to.equal('[["delivery-errors","pass"],["trail-logging","pass"]]');
  });

  it('copies in different accounts (an organization trail seen by a member) are not held to this', () => {
    const text = `${inventory(`  - Trail: ${TRAIL}\n    Status: {IsLogging: true}\n`)}- accountId: "444455556666"\n  regions: [us-east-1]\n  trails:\n  - Trail: ${TRAIL}\n    Status: {IsLogging: false}\n`;
    expect(() => parseInventory(text, 'i.yaml')).to.not.throw();
  });

  it('a Status field named __proto__ stays a field of the union, and lends it no IsLogging', () => {
    // JSON keeps "__proto__" as an own key; copied into the union by assignment it became the union's prototype.
    const entries = [{ Trail: { Name: 't', TrailARN: ARN }, Status: { IsLogging: false } }, { Trail: { TrailARN: ARN } }];
    const text = JSON.stringify({ version: 1, accounts: [{ accountId: '111122223333', regions: ['us-east-1'], trails: entries }] }).replace('"IsLogging":false', '"__proto__":{"IsLogging":true}');
    const status = parseInventory(text, 'i.json').inventory.accounts[0].trails[1].Status!;
    expect(Object.keys(status)).to.deep.equal(['__proto__']);
    expect(status.IsLogging).to.equal(undefined);
  });
});
