/** Message templates: placeholders, and the fallback a placeholder may give for an absent value. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { compileTemplate, helpCommand, remediationCommands } from '../../src/rules/template.ts';
import { loadRules } from '../../src/rules/load.ts';
import { cli, tempDir } from '../helpers/cli.ts';

describe('message templates', () => {
  it('split into text and placeholders, each with its fallback', () => {
    expect(compileTemplate('trail {Trail.Name} notifies {Trail.SnsTopicARN|no topic}.')).to.deep.equal([
      'trail ',
      { path: ['Trail', 'Name'], written: '{Trail.Name}' },
      ' notifies ',
      { path: ['Trail', 'SnsTopicARN'], fallback: 'no topic', written: '{Trail.SnsTopicARN|no topic}' },
      '.',
    ]);
    // Not a placeholder: left as text.
    expect(compileTemplate('{ not one } {1x}')).to.deep.equal(['{ not one } {1x}']);
    expect(compileTemplate('{Trail.Name}')).to.deep.equal([{ path: ['Trail', 'Name'], written: '{Trail.Name}' }]);
  });

  it('show a command in a rule\'s help with blanks to fill in, never the template syntax (a `|` would read as a pipe)', () => {
    const table: [string, string][] = [
      ['aws kms enable-key --key-id {Key.KeyMetadata.Arn|<key-arn>} --region {facts.keyRegion}', 'aws kms enable-key --key-id <key-arn> --region <facts.keyRegion>'],
      ['aws s3 ls s3://{Trail.S3BucketName|not set}', 'aws s3 ls s3://<Trail.S3BucketName>'],
      ['aws cloudtrail start-logging --name NAME', 'aws cloudtrail start-logging --name NAME'],
      ["--status '{\"Enabled\":true}' {Trail.Name}", "--status '{\"Enabled\":true}' <Trail.Name>"],
    ];
    for (const [template, shown] of table) expect(helpCommand(template), template).to.equal(shown);
    // Each command of a rule that has several says what it is for; kinds that share a command share its entry.
    const usable = loadRules().find((r) => r.meta.id === 'kms-key-usable')!;
    const commands = remediationCommands(usable.meta);
    expect(commands.find((c) => c.command.startsWith('aws kms enable-key'))?.for).to.equal('Disabled');
    expect(commands.find((c) => c.command.startsWith('aws cloudtrail update-trail'))?.for).to.equal('NotFoundException, KeySpec, KeyRegion');
    for (const c of commands) expect(c.command, c.for).not.to.match(/[{}|]/);
  });

  // The help showed `<param.central>` where every result's command had the value: a parameter is
  // the rule's, not a subject's, so the help knows it too.
  it('show a parameter in a rule\'s help as its value in effect (the config file\'s over the default), a blank when not shell-safe', async () => {
    expect(helpCommand('aws s3 ls s3://{param.bucket} {Trail.Name}', { bucket: 'acme-logs' })).to.equal('aws s3 ls s3://acme-logs <Trail.Name>');
    expect(helpCommand('x {param.bucket}', { bucket: 'a b; rm -rf /' })).to.equal('x <param.bucket>');
    expect(helpCommand('x {param.bucket}', {})).to.equal('x <param.bucket>');
    // A list is shown as the engine shows it (["a","b"]), which no shell takes as it is: not as a,b.
    expect(helpCommand('x {param.buckets}', { buckets: ['a', 'b'] })).to.equal('x <param.buckets>');
    expect(helpCommand('x --days {param.days}', { days: 90 })).to.equal('x --days 90');
    // A command chosen by the condition that failed shows it too, as SARIF's help lists each.
    const meta = { remediation: { text: 't', cli: { 'Trail.S3BucketName': 'aws cloudtrail update-trail --name {Trail.Name} --s3-bucket-name {param.central}' } }, params: { central: 'acme-org-logs' } };
    expect(remediationCommands(meta as never)).to.deep.equal([{ command: 'aws cloudtrail update-trail --name <Trail.Name> --s3-bucket-name acme-org-logs', for: 'Trail.S3BucketName' }]);
    const dir = tempDir();
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [{ Trail: { Name: 't', TrailARN: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t', HomeRegion: 'us-east-1', S3BucketName: 'other' } }] }] }));
    writeFileSync(
      join(dir, 'r.yaml'),
      'id: central\ntitle: T\nseverity: low\nscope: trail\ndescription: d\nparameters: { central: { type: string, default: acme-default } }\nremediation:\n  text: t\n  cli: aws cloudtrail update-trail --name {Trail.Name} --s3-bucket-name {param.central}\nreads: [Trail]\ncheck: { Trail.S3BucketName: { const: { $param: central } } }\n',
    );
    writeFileSync(join(dir, 'c.yml'), 'parameters:\n  central: { central: acme-org-logs }\n');
    const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'r.yaml', '--no-builtin-rules', '--config', 'c.yml', '--format', 'sarif=r.sarif', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(1);
    const rule = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')).runs[0].tool.driver.rules[0];
    expect(rule.help.text).to.include('aws cloudtrail update-trail --name <Trail.Name> --s3-bucket-name acme-org-logs');
    expect(JSON.parse(r.stdout).results[0].remediation).to.equal('aws cloudtrail update-trail --name t --s3-bucket-name acme-org-logs');
  });

  it('print the fallback for an absent value, the value when there is one, and check the path either way', async () => {
    const dir = tempDir();
    const trail = (name: string, extra: Record<string, unknown> = {}) => ({ Trail: { Name: name, TrailARN: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`, HomeRegion: 'us-east-1', ...extra } });
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [trail('quiet'), trail('loud', { SnsTopicARN: 'arn:aws:sns:us-east-1:123456789012:t', CloudWatchLogsLogGroupArn: 'x' })] }] }));
    const head = 'id: topic\ntitle: T\nseverity: low\nscope: trail\ndescription: d\nremediation: { text: t }\nreads: [Trail]\n';
    writeFileSync(join(dir, 'r.yaml'), `${head}check: { Trail.CloudWatchLogsLogGroupArn: { type: string } }\nmessage:\n  fail: "trail {Trail.Name} (topic: {Trail.SnsTopicARN|none}) has no log group"\n  pass: "trail {Trail.Name} (topic: {Trail.SnsTopicARN|none}) has a log group"\n`);
    const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'r.yaml', '--no-builtin-rules', '--format', 'json'], { cwd: dir });
    const messages = Object.fromEntries(JSON.parse(r.stdout).results.map((x: { name: string; message: string }) => [x.name, x.message]));
    expect(messages).to.deep.equal({ quiet: 'trail quiet (topic: none) has no log group', loud: 'trail loud (topic: arn:aws:sns:us-east-1:123456789012:t) has a log group' });
    // The fallback is for a field the trail does not have: one written empty prints as it is
    // (only an empty Trail.Name goes by its ARN's name).
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [trail('blank', { SnsTopicARN: '' })] }] }));
    const blank = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'r.yaml', '--no-builtin-rules', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(blank.stdout).results.map((x: { message: string }) => x.message)).to.deep.equal(['trail blank (topic: ) has no log group']);
    writeFileSync(join(dir, 'r.yaml'), `${head}check: { Trail.Name: { type: string } }\nmessage:\n  fail: "{Trial.Name|someone}"\n`);
    const bad = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'r.yaml', '--no-builtin-rules'], { cwd: dir });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/^trailgate: r\.yaml:10:\d+: the placeholder \{Trial\.Name\}/);
  });

  it('give a failure the command of the condition it fails, and none when that condition has none', async () => {
    const dir = tempDir();
    const trail = (name: string, extra: Record<string, unknown> = {}) => ({ Trail: { Name: name, TrailARN: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`, HomeRegion: 'us-east-1', ...extra } });
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [trail('no-group'), trail('no-topic', { CloudWatchLogsLogGroupArn: 'g', SnsTopicARN: 'bare' }), trail('fine', { CloudWatchLogsLogGroupArn: 'g', SnsTopicARN: 'arn:t' })] }] }));
    writeFileSync(
      join(dir, 'r.yaml'),
      'id: wired\ntitle: T\nseverity: low\nscope: trail\ndescription: d\nreads: [Trail]\nremediation:\n  text: t\n  cli:\n    Trail.CloudWatchLogsLogGroupArn: aws cloudtrail update-trail --name {Trail.Name} --cloud-watch-logs-log-group-arn ARN\n    Trail.SnsTopicARN?: aws cloudtrail update-trail --sns-topic-name TOPIC\ncheck:\n  Trail.CloudWatchLogsLogGroupArn: { type: string }\n  Trail.SnsTopicARN?: { pattern: ^arn }\n  Trail.Name: { not: { const: fine } }\n',
    );
    const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'r.yaml', '--no-builtin-rules', '--format', 'json', '--format', 'sarif=r.sarif'], { cwd: dir });
    const commands = Object.fromEntries(JSON.parse(r.stdout).results.map((x: { name: string; remediation?: string }) => [x.name, x.remediation ?? null]));
    // A command without placeholders is attached too: the rule's help lists both, and cannot say which fits.
    expect(commands).to.deep.equal({ 'no-group': 'aws cloudtrail update-trail --name no-group --cloud-watch-logs-log-group-arn ARN', 'no-topic': 'aws cloudtrail update-trail --sns-topic-name TOPIC', fine: null });
    const help = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')).runs[0].tool.driver.rules[0].help.text;
    // Each command under the condition it fixes, with blanks where the subject's values go.
    expect(help).to.equal('t\n\nFor Trail.CloudWatchLogsLogGroupArn:\naws cloudtrail update-trail --name <Trail.Name> --cloud-watch-logs-log-group-arn ARN\n\nFor Trail.SnsTopicARN:\naws cloudtrail update-trail --sns-topic-name TOPIC');
  });
});
