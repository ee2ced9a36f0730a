/** Differential test: our evaluator against iam-simulate (see ./oracle.ts). */
import { assert } from 'chai';
import fc from 'fast-check';
import { byName } from '../../src/policy/evaluate.ts';
import { evaluate, parsePolicy, type Decision, type Policy } from '../../src/policy/index.ts';
import { ACCOUNT, policyArb, requestArb, type Req } from './arbitraries.ts';
import { oracle, oracleAnswer, type Verdict } from './oracle.ts';

function parsed(policy: object): Policy {
  const p = parsePolicy(JSON.stringify(policy));
  if (!p.ok) throw new Error(`we rejected a generated policy: ${p.problem}`);
  return p.policy;
}

function decide(policy: object, req: Req, every = false): Decision {
  return evaluate(parsed(policy), { principal: { Service: 'cloudtrail.amazonaws.com' }, action: req.action, resource: req.resource, context: req.context }, every);
}

/** The indexes of these statements of the policy, in the order messages name them (Sids first). */
function inNamingOrder(policy: object, indexes: readonly number[]): number[] {
  return parsed(policy)
    .statements.filter((s) => indexes.includes(s.index))
    .sort(byName)
    .map((s) => s.index);
}

function ours(policy: object, req: Req): Verdict {
  return decide(policy, req).decision;
}

describe('policy evaluator agrees with iam-simulate', function () {
  this.timeout(60_000);

  it('on random bucket policies and CloudTrail request contexts', async () => {
    const seen: Record<Verdict, number> = { allow: 0, deny: 0, 'implicit-deny': 0 };
    await fc.assert(
      fc.asyncProperty(policyArb, requestArb, async (policy, req) => {
        const expected = await oracleAnswer(policy, req);
        const actual = decide(policy, req);
        const every = decide(policy, req, true);
        seen[actual.decision]++;
        const where = `policy ${JSON.stringify(policy)}\nrequest ${JSON.stringify(req)}`;
        assert.strictEqual(actual.decision, expected.verdict, where);
        assert.strictEqual(every.decision, expected.verdict, where);
        // With `every`, the statements listed are the ones the oracle found applicable, in naming order.
        const allow = inNamingOrder(policy, expected.allow);
        const deny = inNamingOrder(policy, expected.deny);
        assert.deepEqual(every.allows?.map((s) => s.index), allow, `allow statements: ${where}`);
        assert.deepEqual(every.denies?.map((s) => s.index), deny, `deny statements: ${where}`);
        // The one named is the first of those, with `every` or without.
        for (const d of [actual, every]) {
          assert.strictEqual(d.statement?.index, allow[0], `allow statement: ${where}`);
          assert.strictEqual(d.denyStatement?.index, deny[0], `deny statement: ${where}`);
        }
      }),
      { numRuns: 600 },
    );
    // The generators must exercise every outcome, or agreement proves little.
    for (const v of Object.keys(seen) as Verdict[]) assert.isAbove(seen[v], 20, `too few ${v} verdicts: ${JSON.stringify(seen)}`);
  });

  it('on the policy AWS documents, for the request it is written for', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailWrite20150319',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::ct-logs/AWSLogs/${ACCOUNT}/*`,
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } },
        },
      ],
    };
    const req: Req = {
      action: 's3:PutObject',
      resource: `arn:aws:s3:::ct-logs/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/01/01/x.json.gz`,
      context: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`, 'aws:SourceAccount': ACCOUNT, 's3:x-amz-acl': 'bucket-owner-full-control' },
    };
    assert.strictEqual(await oracle(policy, req), 'allow');
    assert.strictEqual(ours(policy, req), 'allow');
  });
});
