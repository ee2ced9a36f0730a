/** Rules a user writes in YAML, without TypeScript: the README's examples, run through the CLI. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { cli, REPO, tempDir } from '../helpers/cli.ts';

const RULES = join(REPO, 'test/fixtures/user-rules');

function trail(name: string, extra: Record<string, unknown> = {}) {
  return { Trail: { Name: name, TrailARN: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`, HomeRegion: 'us-east-1', ...extra } };
}

describe('user rules', () => {
  it('run beside the built-in rules from a directory, and alone with --no-builtin-rules', async () => {
    const dir = tempDir();
    const inv = {
      version: 1,
      accounts: [
        {
          accountId: '123456789012',
          regions: ['us-east-1'],
          trails: [
            trail('central', { S3BucketName: 'acme-org-trail-logs', CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:ct' }),
            trail('stray', { S3BucketName: 'somewhere-else' }),
            trail('third'),
            trail('fourth', { S3BucketName: 'acme-org-trail-logs' }),
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'inv.json'), JSON.stringify(inv));
    const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', RULES, '--no-builtin-rules', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    const byRule = (id: string) =>
      Object.fromEntries(report.results.filter((x: { ruleId: string }) => x.ruleId === id).map((x: { name?: string; region?: string; status: string }) => [x.name ?? x.region, x.status]));
    expect(byRule('central-bucket')).to.deep.equal({ central: 'pass', stray: 'fail', third: 'fail', fourth: 'pass' });
    expect(byRule('cloudwatch-group')).to.deep.equal({ central: 'pass', stray: 'fail', third: 'fail', fourth: 'fail' });
    expect(byRule('three-trails-per-region')).to.deep.equal({ 'us-east-1': 'fail' });
    expect(report.rules.map((x: { id: string }) => x.id)).to.deep.equal(['central-bucket', 'cloudwatch-group', 'three-trails-per-region']);
    const stray = report.results.find((x: { ruleId: string; name?: string }) => x.ruleId === 'cloudwatch-group' && x.name === 'stray');
    expect(stray.message).to.equal('trail stray sends no events to CloudWatch Logs');
    expect(r.code).to.equal(1);

    const both = await cli(['scan', '--snapshot', 'inv.json', '--rules', join(RULES, 'central-bucket.yaml'), '--format', 'json'], { cwd: dir });
    const ids = new Set(JSON.parse(both.stdout).rules.map((x: { id: string }) => x.id));
    expect(ids.has('central-bucket') && ids.has('multi-region-trail')).to.equal(true);
  });
});
