/** `trailgate rules`, --version, --help, and the built bundle behaving exactly like the source. */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadRules } from '../../src/rules/load.ts';
import { buildCli, cli, cliProcess, REPO, tempDir } from '../helpers/cli.ts';

describe('rules command', () => {
  it('lists every built-in rule as a table', async () => {
    const r = await cli(['rules']);
    expect(r.code).to.equal(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^ID\s+SEVERITY\s+SCOPE\s+TITLE$/);
    const ids = loadRules().map((x) => x.meta.id);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).to.deep.equal(ids);
    expect(r.stdout).to.match(/\nmulti-region-trail\s+high\s+account\s+A multi-region trail records all management events\n/);
  });

  it('--format json gives id, severity, scope and title, and honours --only', async () => {
    const r = await cli(['rules', '--format', 'json', '--only', 'trails-per-region,kms-encryption']);
    const list = JSON.parse(r.stdout);
    expect(list.map((x: Record<string, unknown>) => [x.id, x.severity, x.scope, x.title])).to.deep.equal([
      ['kms-encryption', 'medium', 'trail', 'Log files are encrypted with a KMS key'],
      ['trails-per-region', 'medium', 'region', "At most five trails count against a region's quota"],
    ]);
    expect(list[1].parameters).to.deep.equal({ max: 5 });
  });

  it('--format json writes `##[` in a rule title as `##\\u005b`, so a listing printed to an Actions log holds no workflow command', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'r.yaml'), 'id: forged\ntitle: "x ##[error]forged"\nseverity: low\nscope: trail\ndescription: d\nremediation: { text: t }\ncompliance: { acme: ["##[warning]c"] }\nreads: [Trail]\ncheck:\n  Trail.Name: { const: x }\n');
    const r = await cli(['rules', '--rules', 'r.yaml', '--no-builtin-rules', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.not.include('##[');
    expect(r.stdout).to.include('"title": "x ##\\u005berror]forged"');
    const [rule] = JSON.parse(r.stdout);
    expect([rule.title, rule.compliance.acme]).to.deep.equal(['x ##[error]forged', ['##[warning]c']]);
  });

  it('--version prints the package version; --help and no arguments print usage', async () => {
    const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version;
    expect(await cli(['--version'])).to.deep.include({ code: 0, stdout: `${version}\n` });
    // After the command, -V is an option's value, never --version: that printed the version and
    // exited 0 without scanning, passing any gate.
    for (const argv of [['scan', '--snapshot', 'examples/organization.yaml', '--only', '-V'], ['scan', '--snapshot', 'examples/organization.yaml', '--baseline', '-Vbase.json']]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).to.equal(2);
      expect(r.stdout).to.not.include(version);
    }
    const late = await cli(['scan', '--version']);
    expect(late).to.deep.include({ code: 2, stderr: 'trailgate: --version goes before the command: trailgate --version\n' });
    const help = await cli(['--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include('scan').and.to.include('rules');
    const scanHelp = await cli(['scan', '--help']);
    expect(scanHelp.stdout).to.include('--snapshot <file>').and.include('--fail-on <severity>');
    // Defaults that say something stay; the empty start of a repeatable option and unset flags do not.
    expect(scanHelp.stdout).to.include('default: "low"').and.not.include('(default: [])');
    expect(scanHelp.stdout).to.not.include('(default: false)');
    const snapshotHelp = (await cli(['snapshot', '--help'])).stdout;
    expect(snapshotHelp).to.not.include('(default: [])');
    // scan marks its live flags (beside --snapshot they are refused); snapshot is live throughout.
    expect(scanHelp.stdout).to.match(/--region <regions> +live: regions to collect/);
    expect(snapshotHelp).to.match(/--region <regions> +regions to collect/).and.not.include('live:');
    expect((await cli([])).stdout).to.include('Usage: trailgate');
  });

  // Commander printed the general help for an unknown topic and called it help: exit 0.
  it('help TOPIC shows the command\'s help; an unknown topic exits 2, as an unknown command does', async () => {
    const help = await cli(['help', 'scan']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include('Usage: trailgate scan');
    expect(await cli(['help', 'nope'])).to.deep.equal({ code: 2, stdout: '', stderr: "trailgate: unknown command 'nope' (see trailgate --help)\n" });
    expect(await cli(['help', 'scna'])).to.deep.include({ code: 2, stderr: "trailgate: unknown command 'scna' (Did you mean scan?) (see trailgate --help)\n" });
    expect(await cli(['nope'])).to.deep.include({ code: 2, stderr: "trailgate: unknown command 'nope' (see trailgate --help)\n" });
    // Commander acted on --version and --help before it looked at the command: the version, exit 0, for a typo.
    for (const flag of ['--version', '-V', '--help']) {
      expect(await cli(['scna', flag])).to.deep.equal({ code: 2, stdout: '', stderr: "trailgate: unknown command 'scna' (Did you mean scan?) (see trailgate --help)\n" });
    }
    expect(await cli(['--version'])).to.deep.include({ code: 0 });
  });
});

describe('the built CLI', function () {
  this.timeout(120000);
  before(() => {
    // The bundle (with precompiled validators) is what users run: build it from this source.
    buildCli();
  });

  // `npm ci` in a clone under `My Projects/` ran the build (the `prepare` script), which built
  // nothing, silently: its "run as a script" test compared a percent-encoded URL with a plain path.
  it('is built by scripts/build.ts from a clone whose path has a space and a non-ASCII letter', () => {
    const clone = join(tempDir(), 'My Projects', 'trailgate ü');
    mkdirSync(join(clone, 'scripts'), { recursive: true });
    for (const name of ['src', 'schemas', 'rules', 'compliance', 'node_modules', 'package.json']) symlinkSync(join(REPO, name), join(clone, name));
    copyFileSync(join(REPO, 'scripts', 'build.ts'), join(clone, 'scripts', 'build.ts'));
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: clone, stdio: 'ignore' });
    expect(existsSync(join(clone, 'lib', 'trailgate.js'))).to.equal(true);
  });

  it('gives the same bytes as the source for every format', async () => {
    for (const format of ['text', 'json', 'sarif', 'junit']) {
      const args = ['scan', '--snapshot', 'examples/organization.yaml', '--format', format];
      const bundled = cliProcess(args);
      const source = await cli(args);
      expect(bundled.stdout, format).to.equal(source.stdout);
      expect(bundled.code).to.equal(source.code);
    }
  });

  it('exits 2 with a located message and no stack trace on bad input', () => {
    const r = cliProcess(['scan', '--snapshot', '-'], { stdin: 'version: 1\naccounts:\n  - accountId: 1\n    regions: []\n    trails: []\n' });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^trailgate: <stdin>:3:16: invalid inventory: must be of type string: quote it \("012345678901"\), as YAML reads bare digits as a number and drops leading zeros \(at \/accounts\/0\/accountId\)\n$/);
  });

  it('reads --snapshot - from a pipe whose writer is slow, instead of crashing with EAGAIN', async () => {
    const text = readFileSync(join(REPO, 'examples', 'organization.yaml'), 'utf8');
    const child = spawn(process.execPath, [join(REPO, 'bin', 'trailgate.js'), 'scan', '--snapshot', '-', '--format', 'json'], { cwd: REPO, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => void (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => void (stderr += b.toString('utf8')));
    const code = new Promise<number | null>((done) => child.on('close', done));
    child.stdin.write(text.slice(0, 100));
    await new Promise((r) => setTimeout(r, 500));
    child.stdin.end(text.slice(100));
    expect(await code, stderr).to.equal(1);
    expect(stderr).to.equal('');
    expect(JSON.parse(stdout).summary).to.be.an('object');
  });

  it('validates user rules at run time as the source does', () => {
    const r = cliProcess(['scan', '--snapshot', 'examples/organization.yaml', '--rules', 'test/fixtures/user-rules', '--no-builtin-rules', '--format', 'json']);
    expect(JSON.parse(r.stdout).rules.map((x: { id: string }) => x.id)).to.deep.equal(['central-bucket', 'cloudwatch-group', 'three-trails-per-region']);
  });
});
