import { assert } from 'chai';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE, trailgate, workspace } from '../config/run.ts';
import { cli } from '../helpers/cli.ts';

describe('--format github from the command line', () => {
  it('writes annotations to standard output and appends the summary to $GITHUB_STEP_SUMMARY', async () => {
    const dir = workspace({ 'summary.md': '## an earlier step\n' });
    const summary = join(dir, 'summary.md');
    const r = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'github'], dir, { env: { GITHUB_STEP_SUMMARY: summary } });
    assert.strictEqual(r.code, 1);
    assert.lengthOf(r.stdout.trimEnd().split('\n'), 3);
    const md = readFileSync(summary, 'utf8');
    assert.match(md, /^## an earlier step\n## trailgate\n/, 'appended, never overwritten');
    assert.include(md, '### Violations and errors');
  });

  // It was appended once per `github` format: annotations to the log and to a file gave the job's page two tables.
  it('appends the summary once per run, however many github reports the run writes', async () => {
    const dir = workspace();
    const summary = join(dir, 'summary.md');
    const r = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'github', '--format', 'github=annotations.txt'], dir, { env: { GITHUB_STEP_SUMMARY: summary } });
    assert.strictEqual(r.code, 1, r.stderr);
    assert.strictEqual(readFileSync(join(dir, 'annotations.txt'), 'utf8'), r.stdout, 'both reports written');
    const md = readFileSync(summary, 'utf8');
    assert.lengthOf(md.match(/^## trailgate$/gm) ?? [], 1);
    // A github report that cannot be written costs its file, not the summary.
    writeFileSync(summary, '');
    const blocked = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'github=org.yaml/a.txt', '--format', 'json=r.json'], dir, { env: { GITHUB_STEP_SUMMARY: summary } });
    assert.strictEqual(blocked.code, 2, blocked.stderr);
    assert.lengthOf(readFileSync(summary, 'utf8').match(/^## trailgate$/gm) ?? [], 1);
  });

  it('without $GITHUB_STEP_SUMMARY writes annotations only; an unwritable summary is a warning, not a failure', async () => {
    const dir = workspace();
    const plain = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'github'], dir);
    assert.strictEqual(plain.code, 1);
    assert.strictEqual(plain.stderr, '');
    writeFileSync(join(dir, 'blocker'), '');
    const r = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'github'], dir, { env: { GITHUB_STEP_SUMMARY: join(dir, 'blocker', 'summary.md') } });
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /^trailgate: warning: cannot append to GITHUB_STEP_SUMMARY: a part of the path is a file, not a directory/);
  });

  it('in a step with a working-directory, annotation files are given from $GITHUB_WORKSPACE (the repository root)', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'infra', 'audit'), { recursive: true });
    writeFileSync(join(dir, 'infra', 'audit', 'org.yaml'), readFileSync(join(dir, 'org.yaml')));
    const sub = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'github'], join(dir, 'infra', 'audit'), { env: { GITHUB_WORKSPACE: dir } });
    const lines = sub.stdout.trimEnd().split('\n');
    assert.lengthOf(lines, 3);
    for (const l of lines) assert.match(l, /^::\w+ file=infra\/audit\/org\.yaml,line=\d+,/);
    const root = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'github'], dir, { env: { GITHUB_WORKSPACE: dir } });
    assert.match(root.stdout, /^::\w+ file=org\.yaml,line=/, 'at the root, unchanged');
    // A folder whose name starts with two dots is inside the workspace, not above it.
    mkdirSync(join(dir, '..cfg'));
    writeFileSync(join(dir, '..cfg', 'org.yaml'), readFileSync(join(dir, 'org.yaml')));
    const dots = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'github'], join(dir, '..cfg'), { env: { GITHUB_WORKSPACE: dir } });
    assert.match(dots.stdout, /^::\w+ file=\.\.cfg\/org\.yaml,line=/);
  });

  it('keeps the step summary of 40 trails whose failed reads carry 2,000-character messages under 1 MiB, and counts what it leaves out', async () => {
    // After the auditor's long.json: one account, 40 trails, most rules failing or erring on each,
    // each error quoting AWS's message (2,000 characters here; names are at most 128). Uncut, such a
    // summary was 1.5 MB, which GitHub refuses.
    const account = '111122223333';
    const trails = Array.from({ length: 40 }, (_, t) => ({ Trail: { Name: `t${t}`, TrailARN: `arn:aws:cloudtrail:us-east-1:${account}:trail/t${t}`, HomeRegion: 'us-east-1', IsMultiRegionTrail: false, LogFileValidationEnabled: false, S3BucketName: 'b' } }));
    const errors = trails.map(({ Trail }) => ({ accountId: account, region: 'us-east-1', service: 'cloudtrail', operation: 'GetTrailStatus', resource: Trail.TrailARN, code: 'AccessDenied', message: `denied ${Trail.Name} ${'x'.repeat(2000)}` }));
    const dir = workspace({ 'long.json': JSON.stringify({ version: 1, collectedAt: '2026-11-20T02:00:00Z', accounts: [{ accountId: account, regions: ['us-east-1'], trails }], errors }) });
    const summary = join(dir, 'summary.md');
    const r = await trailgate(['scan', '--snapshot', 'long.json', '--format', 'github=gh.txt', '--format', 'json=r.json'], dir, { env: { GITHUB_STEP_SUMMARY: summary } });
    assert.strictEqual(r.code, 1, r.stderr);
    const md = readFileSync(summary, 'utf8');
    assert.isBelow(Buffer.byteLength(md, 'utf8'), 1024 * 1024);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    const open = json.results.filter((x: { status: string; suppression?: unknown }) => (x.status === 'fail' || x.status === 'error') && x.suppression === undefined).length;
    const rows = md.split('\n').filter((l) => /^\| (fail|error) \|/.test(l)).length;
    const left = /\n(\d+) more not shown \(/.exec(md);
    assert.strictEqual(rows + (left ? Number(left[1]) : 0), open, 'every open result is a row or counted');
    assert.match(md, /… \(\d+ more characters\) \|/);
  });

  it('in a step with a working-directory, SARIF artifact URIs are given from $GITHUB_WORKSPACE too, where code scanning reads them', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'infra', 'audit'), { recursive: true });
    writeFileSync(join(dir, 'infra', 'audit', 'org.yaml'), readFileSync(join(dir, 'org.yaml')));
    const uris = async (cwd: string, env: Record<string, string>): Promise<string[]> => {
      await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'sarif=out.sarif'], cwd, { env });
      const log = JSON.parse(readFileSync(join(cwd, 'out.sarif'), 'utf8'));
      return [...new Set<string>(log.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri))];
    };
    assert.deepEqual(await uris(join(dir, 'infra', 'audit'), { GITHUB_WORKSPACE: dir }), ['infra/audit/org.yaml']);
    assert.deepEqual(await uris(join(dir, 'infra', 'audit'), {}), ['org.yaml'], 'outside Actions: from the working directory');
  });
  describe('paths from the real repository root, wherever the step runs', () => {
    /** What GitHub is given: annotation files (or the message's end when there is none), SARIF URIs, and the summary's location column. */
    const where = async (cwd: string, snapshot: string, env: Record<string, string>) => {
      const summary = join(cwd, 'summary.md');
      const r = await trailgate(['scan', '--snapshot', snapshot, '--only', CORE, '--format', 'github=gh.txt', '--format', 'sarif=out.sarif'], cwd, { env: { GITHUB_STEP_SUMMARY: summary, ...env } });
      assert.strictEqual(r.code, 1, r.stderr);
      const annotations = readFileSync(join(cwd, 'gh.txt'), 'utf8').trimEnd().split('\n');
      const log = JSON.parse(readFileSync(join(cwd, 'out.sarif'), 'utf8'));
      return {
        files: [...new Set(annotations.map((a) => /^::\w+ (?:file=([^,]*),)?/.exec(a)?.[1] ?? 'none'))],
        messages: annotations.map((a) => a.slice(a.indexOf('::', 2) + 2)),
        uris: [...new Set<string>(log.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri))],
        regions: [...new Set<string>(log.runs[0].results.map((x: { locations: { physicalLocation: { region: object } }[] }) => JSON.stringify(x.locations[0].physicalLocation.region)))],
        column: [...new Set(readFileSync(summary, 'utf8').split('\n').filter((l) => l.startsWith('| fail ')).map((l) => l.split(' | ').at(-1)!.replace(/:\d+ \|$/, '')))],
      };
    };
    const repo = () => {
      const dir = workspace();
      mkdirSync(join(dir, 'repo', 'infra'), { recursive: true });
      writeFileSync(join(dir, 'repo', 'infra', 'org.yaml'), readFileSync(join(dir, 'org.yaml')));
      return dir;
    };

    it('a working directory outside the workspace', async () => {
      const dir = repo();
      const got = await where(dir, 'repo/infra/org.yaml', { GITHUB_WORKSPACE: join(dir, 'repo') });
      assert.deepEqual([got.files, got.uris, got.column], [['infra/org.yaml'], ['infra/org.yaml'], ['infra/org.yaml']]);
    });

    it('a workspace reached through a symbolic link', async () => {
      const dir = repo();
      symlinkSync(join(dir, 'repo'), join(dir, 'link'));
      const got = await where(join(dir, 'repo', 'infra'), 'org.yaml', { GITHUB_WORKSPACE: join(dir, 'link') });
      assert.deepEqual([got.files, got.uris, got.column], [['infra/org.yaml'], ['infra/org.yaml'], ['infra/org.yaml']]);
    });

    it('an inventory outside the repository: no annotation file, the message names it; synthetic SARIF URIs', async () => {
      const dir = repo();
      const got = await where(join(dir, 'repo'), '../org.yaml', { GITHUB_WORKSPACE: join(dir, 'repo') });
      assert.deepEqual(got.files, ['none']);
      for (const m of got.messages) assert.match(m, / {2}\[\.\.\/org\.yaml:\d+\]$/);
      assert.deepEqual(got.uris.sort(), ['aws/444455556666/eu-west-1/trail/dev-trail']);
      // Not the inventory's line and column: they are of another file than the path names.
      assert.deepEqual(got.regions, ['{"startLine":1}']);
      assert.deepEqual(got.column, ['../org.yaml'], 'the summary names it as the text report does');
    });

    // With an inventory piped in, the inventories' lookup takes a file shown as `stdin` for it; a
    // config file of that name was named in the notes as if at the root (`stdin:2:5`).
    it('a config file named stdin, with an inventory piped in: the notes name it from the root', async () => {
      const dir = repo();
      writeFileSync(join(dir, 'repo', 'infra', 'stdin'), 'suppressions:\n  - rule: kms-encryption\n    resource: "999999999999"\n    reason: none\n');
      const summary = join(dir, 'summary.md');
      for (const snapshot of ['-', 'org.yaml']) {
        writeFileSync(summary, '');
        const r = await cli(['scan', '--config', 'stdin', '--snapshot', snapshot, '--format', 'github'], { cwd: join(dir, 'repo', 'infra'), stdin: readFileSync(join(dir, 'org.yaml'), 'utf8'), env: { GITHUB_WORKSPACE: join(dir, 'repo'), GITHUB_STEP_SUMMARY: summary } });
        assert.strictEqual(r.code, 1, r.stderr);
        assert.include(readFileSync(summary, 'utf8'), '- stale suppression (infra/stdin:2:5): rule kms-encryption', snapshot);
      }
    });

    // A file named `-` (given as `./-`) or `<stdin>` (the name standard input is loaded under) was
    // shown as `stdin`, in every report: GitHub put its annotations on the repository's file `stdin`.
    const namedLikeStdin: [file: string, given: string, uri: string, column: string][] = [
      ['-', './-', 'infra/-', 'infra/-'],
      ['<stdin>', '<stdin>', 'infra/%3Cstdin%3E', 'infra/&lt;stdin&gt;'],
    ];
    for (const [file, given, uri, column] of namedLikeStdin) {
      it(`an inventory file named ${file}: named as it is, never stdin`, async () => {
        const dir = repo();
        writeFileSync(join(dir, 'repo', 'infra', file), readFileSync(join(dir, 'org.yaml')));
        writeFileSync(join(dir, 'repo', 'infra', 'stdin'), 'an unrelated file\n');
        const got = await where(join(dir, 'repo', 'infra'), given, { GITHUB_WORKSPACE: join(dir, 'repo') });
        assert.deepEqual([got.files, got.uris, got.column], [[`infra/${file}`], [uri], [column]]);
        const json = await trailgate(['scan', '--snapshot', given, '--only', CORE, '--format', 'json'], join(dir, 'repo', 'infra'));
        const report = JSON.parse(json.stdout);
        assert.deepEqual([report.inputs, [...new Set(report.results.map((x: { location?: { file: string } }) => x.location?.file))]], [[file], [file]]);
      });
    }

    it('an inventory file named <stdin> merged with standard input: the two are told apart', async () => {
      const dir = repo();
      writeFileSync(join(dir, 'repo', 'infra', '<stdin>'), readFileSync(join(dir, 'org.yaml')));
      const both = await cli(['scan', '--snapshot', '-', '--snapshot', '<stdin>'], { cwd: join(dir, 'repo', 'infra'), stdin: readFileSync(join(dir, 'org.yaml'), 'utf8') });
      assert.strictEqual(both.code, 2);
      assert.include(both.stderr, ': account 111122223333 appears twice (also in ');
      assert.notMatch(both.stderr, /^trailgate: <stdin>:.*\(also in <stdin>\)/);
    });

    // Only the inventory piped in loses its file: one merged with it keeps its own, in and out of Actions.
    it('an inventory piped in, merged with a file: only the piped one names no file', async () => {
      const dir = repo();
      const other = { version: 1, accounts: [{ accountId: '999988887777', regions: ['us-east-1'], trails: [{ Trail: { Name: 'solo', TrailARN: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/solo', HomeRegion: 'us-east-1' }, Status: { IsLogging: false } }] }] };
      writeFileSync(join(dir, 'repo', 'infra', 'other.json'), JSON.stringify(other));
      for (const [env, file] of [[{ GITHUB_WORKSPACE: join(dir, 'repo') }, 'infra/other.json'], [{}, 'other.json']] as const) {
        const r = await cli(['scan', '--snapshot', '-', '--snapshot', 'other.json', '--only', CORE, '--format', 'github', '--format', 'sarif=out.sarif'], { cwd: join(dir, 'repo', 'infra'), stdin: readFileSync(join(dir, 'org.yaml'), 'utf8'), env });
        assert.strictEqual(r.code, 1, r.stderr);
        const lines = r.stdout.trimEnd().split('\n');
        assert.deepEqual([...new Set(lines.map((a) => /^::\w+ (?:file=([^,]*),)?/.exec(a)?.[1] ?? 'none'))].sort(), [file, 'none'].sort(), JSON.stringify(env));
        for (const a of lines.filter((l) => !l.includes('file='))) assert.match(a, / {2}\[stdin:\d+\]$/);
        const uris = new Set<string>(JSON.parse(readFileSync(join(dir, 'repo', 'infra', 'out.sarif'), 'utf8')).runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri));
        assert.include([...uris], file);
        assert.isTrue([...uris].every((u) => u === file || u.startsWith('aws/')), [...uris].join(' '));
      }
    });

    it('outside GitHub Actions, paths stay relative to the working directory', async () => {
      const dir = repo();
      const got = await where(join(dir, 'repo'), '../org.yaml', {});
      assert.deepEqual([got.files, got.uris, got.column], [['../org.yaml'], ['../org.yaml'], ['../org.yaml']]);
    });
  });
});
