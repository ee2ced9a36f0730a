import { assert } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FLAG_OF_INPUT, scanArguments } from '../../src/action/inputs.ts';
import { REPO, trailgate } from '../config/run.ts';
import { tempDir } from '../helpers/cli.ts';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, { steps: Step[]; permissions?: Record<string, string> }>;
}

/**
 * The majors the examples must use at least: each action's current major, all on Node 24
 * (upload-artifact v4 and download-artifact v4, setup-node v4 and configure-aws-credentials v4
 * run on Node 20, which the runners dropped).
 */
const CURRENT_MAJOR: Record<string, number> = {
  'actions/checkout': 6,
  'actions/setup-node': 6,
  'actions/upload-artifact': 7,
  'actions/download-artifact': 8,
  'aws-actions/configure-aws-credentials': 6,
  'github/codeql-action/upload-sarif': 4,
};

const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const WORKFLOWS = join(REPO, 'examples', 'workflows');
const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml'));

/** Steps that run this Action: from this repository (`./`) or as published (`trailgate/trailgate@...`). */
const isTrailgateAction = (uses: string | undefined): boolean => uses !== undefined && (uses === './' || uses.startsWith('trailgate/trailgate@'));

describe('action.yml', () => {
  it('runs dist/action.js on node24', () => {
    assert.deepEqual(action.runs, { using: 'node24', main: 'dist/action.js' });
  });

  it('every input becomes a scan argument', () => {
    const values: Record<string, string> = { organization: 'true', 'working-directory': '.' };
    const env = Object.fromEntries(Object.keys(action.inputs).map((name) => [`INPUT_${name.toUpperCase()}`, values[name] ?? `v-${name}`]));
    const argv = scanArguments(env, '/tmp').argv.join(' ');
    for (const name of Object.keys(action.inputs)) {
      if (name === 'working-directory') continue;
      assert.isTrue(argv.includes(`v-${name}`) || (name === 'organization' && argv.includes('--organization')), `input ${name} is not used: ${argv}`);
    }
  });

  it('names each input that becomes a flag in the table its messages are worded from', () => {
    assert.sameMembers([...Object.keys(FLAG_OF_INPUT), 'sarif', 'junit', 'json', 'working-directory'], Object.keys(action.inputs));
  });

  it('declares the outputs the entry writes', () => {
    assert.deepEqual(Object.keys(action.outputs).sort(), ['error', 'exit-code', 'fail', 'json', 'junit', 'pass', 'sarif', 'skipped']);
  });
});

describe('example workflows', () => {
  it('are there', () => assert.includeMembers(files, ['pr-gate.yml', 'nightly-audit.yml']));

  for (const file of files) {
    describe(file, () => {
      const workflow = parse(readFileSync(join(WORKFLOWS, file), 'utf8'), { uniqueKeys: true }) as Workflow;
      const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

      it('parses as a workflow with jobs and steps', () => {
        assert.isDefined(workflow.on);
        assert.isNotEmpty(steps);
        for (const s of steps) assert.isTrue(s.uses !== undefined || s.run !== undefined, JSON.stringify(s));
      });

      it('uses the current major of every action it calls', () => {
        for (const s of steps.filter((x) => x.uses !== undefined && !isTrailgateAction(x.uses))) {
          const [name, ref] = s.uses!.split('@');
          assert.property(CURRENT_MAJOR, name, `${file}: ${s.uses} is not in the table of current majors`);
          assert.isAtLeast(Number(/^v(\d+)/.exec(ref)?.[1]), CURRENT_MAJOR[name], `${file}: ${s.uses}`);
        }
      });

      it('grants the permissions upload-sarif needs, private repositories included', () => {
        for (const [id, job] of Object.entries(workflow.jobs)) {
          if (!job.steps.some((x) => x.uses?.startsWith('github/codeql-action/upload-sarif@'))) continue;
          const permissions = job.permissions ?? workflow.permissions ?? {};
          assert.strictEqual(permissions['security-events'], 'write', `${file}: job ${id}`);
          assert.include(['read', 'write'], permissions.actions, `${file}: job ${id} needs actions: read`);
        }
      });

      it('passes the Action only inputs it declares', () => {
        for (const s of steps.filter((x) => isTrailgateAction(x.uses))) {
          for (const key of Object.keys(s.with ?? {})) assert.property(action.inputs, key, `${file}: input "${key}" is not in action.yml`);
        }
      });

      for (const command of ['scan', 'snapshot']) {
        it(`calls \`trailgate ${command}\` only with flags it has`, async () => {
          const help = (await trailgate([command, '--help'], REPO)).stdout;
          for (const s of steps.filter((x) => x.run?.includes(`trailgate ${command}`))) {
            for (const flag of s.run!.match(/(?<=\s)--?[a-z][a-z-]*/g) ?? []) assert.match(help, new RegExp(`(^|[\\s,])${flag}\\b`), `${file}: trailgate ${command} has no ${flag}`);
          }
        });
      }
    });
  }

  it('the pull-request gate uses the Action, uploads SARIF and keeps JUnit as an artifact', () => {
    const w = parse(readFileSync(join(WORKFLOWS, 'pr-gate.yml'), 'utf8')) as Workflow;
    const uses = Object.values(w.jobs).flatMap((j) => j.steps.map((s) => s.uses ?? ''));
    assert.isTrue(uses.some(isTrailgateAction));
    assert.isTrue(uses.some((u) => u.startsWith('github/codeql-action/upload-sarif@')));
    assert.isTrue(uses.some((u) => u.startsWith('actions/upload-artifact@')));
    assert.isTrue(uses.some((u) => u.startsWith('aws-actions/configure-aws-credentials@')));
  });

  it('give each SARIF upload its own code-scanning category', () => {
    // Two uploads in one category replace each other's alerts: the nightly audit's would close
    // every time the pull-request gate uploaded, and the other way round.
    const categories = files.flatMap((file) => {
      const w = parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;
      const uploads = Object.values(w.jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')));
      return uploads.map((s) => {
        assert.isString(s.with?.category, `${file}: upload-sarif without a category`);
        return s.with!.category as string;
      });
    });
    assert.isAtLeast(categories.length, 2);
    assert.lengthOf(new Set(categories), categories.length, `categories repeat: ${categories.join(', ')}`);
  });

  it('the nightly audit shards snapshots across a matrix and scans them merged', () => {
    const w = parse(readFileSync(join(WORKFLOWS, 'nightly-audit.yml'), 'utf8')) as Workflow & { on: { schedule: unknown[] } };
    assert.isNotEmpty(w.on.schedule);
    const snapshot = w.jobs.snapshot as unknown as { strategy: { matrix: { shard: unknown[] } }; steps: Step[] };
    assert.isAbove(snapshot.strategy.matrix.shard.length, 1);
    assert.isTrue(snapshot.steps.some((s) => s.run?.includes('trailgate snapshot')));
    assert.isTrue(w.jobs.scan.steps.some((s) => s.uses?.startsWith('actions/download-artifact@')));
    assert.isTrue(w.jobs.scan.steps.some((s) => /trailgate scan "\$\{args\[@\]\}"/.test(s.run ?? '')));
    // A report missing a failed shard's accounts would close all their alerts in code scanning.
    const upload = w.jobs.scan.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.include(String((upload as { if?: string } | undefined)?.if), "needs.snapshot.result == 'success'");
  });

  // A job re-run ("re-run failed jobs": a shard that failed its check, a gate that failed until
  // the account was fixed) is the same workflow run, where upload-artifact v4+ refuses a name
  // already uploaded (409 Conflict): the re-run would fail at the upload, whatever it found.
  it('every artifact upload overwrites, so a re-run of its job does not fail on the name', () => {
    for (const file of files) {
      const w = parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;
      for (const [name, job] of Object.entries(w.jobs)) {
        for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'))) {
          assert.strictEqual(step.with?.overwrite, true, `${file}: job ${name} uploads ${String(step.with?.name)} without overwrite: true`);
        }
      }
    }
  });

  // Least privilege: a job whose steps run the trailgate build fetched from git holds no more than it uses.
  it('the nightly audit gives the shards AWS credentials and the scan the SARIF upload, neither the other', () => {
    const w = parse(readFileSync(join(WORKFLOWS, 'nightly-audit.yml'), 'utf8')) as Workflow;
    assert.deepEqual(w.permissions, { contents: 'read' });
    assert.deepEqual(w.jobs.snapshot.permissions, { contents: 'read', 'id-token': 'write' });
    assert.deepEqual(w.jobs.scan.permissions, { contents: 'read', 'security-events': 'write', actions: 'read' });
  });

  it('the nightly audit fails a shard that left an account or a trail list unread (snapshot exits 0 then), once its inventory is kept', () => {
    // Those trails are missing from the merged report, so code scanning would close their alerts.
    const w = parse(readFileSync(join(WORKFLOWS, 'nightly-audit.yml'), 'utf8')) as Workflow;
    const steps = w.jobs.snapshot.steps;
    const collect = steps.findIndex((s) => s.run?.includes('trailgate snapshot'));
    const upload = steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact@'));
    const check = steps.findIndex((s, i) => i > upload && s.run !== undefined);
    assert.isAbove(upload, collect);
    assert.isAbove(check, upload, 'no step after the upload checks the inventory');
    const script = steps[check].run!.replaceAll('${{ matrix.shard.name }}', 'prod');
    const run = (inventory: object): number => {
      const dir = tempDir('trailgate-shard-');
      writeFileSync(join(dir, 'snapshot-prod.json'), JSON.stringify(inventory));
      return spawnSync('bash', ['-e', '-c', script], { cwd: dir, encoding: 'utf8' }).status ?? -1;
    };
    const read = { accountId: '111111111111', regions: ['us-east-1'], trails: [] };
    assert.strictEqual(run({ version: 1, accounts: [read], errors: [{ accountId: '111111111111', region: 'us-east-1', service: 'cloudtrail', operation: 'GetTrailStatus', code: 'AccessDeniedException', message: 'no' }] }), 0);
    assert.strictEqual(run({ version: 1, accounts: [read, { accountId: '222222222222', regions: [], trails: [] }], errors: [{ accountId: '222222222222', service: 'sts', operation: 'AssumeRole', code: 'AccessDenied', message: 'no' }] }), 1);
    assert.strictEqual(run({ version: 1, accounts: [read], errors: [{ accountId: '111111111111', region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException', message: 'no' }] }), 1);
  });
});
