/**
 * Bounds over condition keys whose values the inventory cannot give: a key AWS always sends
 * (the time) has its Null conditions decided, one it may not send at all (kms:ViaService) has
 * them bounded like any other; a name ending in `/` covers every key under it; statements
 * that cannot apply to the caller's actions call for no bounds; and a policy variable of an
 * unknown key, in a condition's values or in Resource/NotResource, is bounded as the key is.
 */
import { assert } from 'chai';
import { parsePolicy, type Policy, type PolicyRequest } from '../../src/policy/index.ts';
import { bounded, keyBounds, mayAlsoDeny, settleWithin } from '../../src/policy/unknown-keys.ts';
import { hangsOn, statementsOn } from '../../src/policy/hangs.ts';

const KEY = 'arn:aws:kms:us-east-1:111111111111:key/k';
const GENERATE: PolicyRequest = { principal: { Service: 'cloudtrail.amazonaws.com' }, action: 'kms:GenerateDataKey', resource: KEY, context: {} };

function policy(...statements: Record<string, unknown>[]): Policy {
  const parsed = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Encrypt', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*' }, ...statements] }));
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.policy;
}

const deny = (sid: string, condition: Record<string, unknown>, action: string = 'kms:*') => ({ Sid: sid, Effect: 'Deny', Principal: '*', Action: action, Resource: '*', Condition: condition });

describe('bounds over unknown condition keys', () => {
  it('decide a Null condition on a key AWS always sends as for a present key', () => {
    const p = policy(deny('WithoutTime', { Null: { 'aws:CurrentTime': 'true' } }));
    const bounds = keyBounds(p, ['aws:CurrentTime'])!;
    assert.equal(bounded(bounds, GENERATE)?.decision, 'allow');
  });

  it('bound a Null condition on a key AWS may not send, both ways, and name the statement', () => {
    const p = policy(deny('NotThroughAService', { Null: { 'kms:ViaService': 'false' } }));
    const bounds = keyBounds(p, [], { mayBeAbsent: ['kms:ViaService'] })!;
    assert.isUndefined(bounded(bounds, GENERATE));
    assert.deepEqual(hangsOn(bounds, GENERATE), [{ statement: '"NotThroughAService"', keys: ['kms:ViaService'] }]);
  });

  it('take a name ending in / for every key under it', () => {
    const p = policy(deny('OnlyProduction', { StringNotEquals: { 'aws:ResourceTag/Environment': 'production' } }));
    const bounds = keyBounds(p, [], { mayBeAbsent: ['aws:ResourceTag/'] })!;
    assert.isUndefined(bounded(bounds, GENERATE));
    assert.deepEqual(hangsOn(bounds, GENERATE), [{ statement: '"OnlyProduction"', keys: ['aws:ResourceTag/Environment'] }]);
  });

  it('name, in a refusal whatever the values, the Deny on them that may refuse too', () => {
    const p = policy({ ...deny('OnlyThisAccount', { StringNotEquals: { 'kms:CallerAccount': '111111111111' } }), Action: 'kms:*' });
    const bounds = keyBounds(p, [], { mayBeAbsent: ['kms:CallerAccount'] })!;
    const describe = bounded(bounds, { ...GENERATE, action: 'kms:DescribeKey' })!;
    assert.strictEqual(describe.decision, 'implicit-deny');
    assert.deepEqual(describe.mayDeny, [{ statement: '"OnlyThisAccount"', keys: ['kms:CallerAccount'] }]);
    assert.strictEqual(mayAlsoDeny(describe), ', and the Deny in statement "OnlyThisAccount" may apply too, depending on kms:CallerAccount');
    // Allowed in the most the values allow: nothing to add.
    assert.isUndefined(bounded(bounds, GENERATE));
  });

  // Every trail on one bucket asks for the bounds of its one policy: built once, the same object
  // each time, so thousands of trails on a long policy do not rebuild them thousands of times.
  it('are built once per policy and keys, and settling a policy once per key and values', () => {
    const p = policy(deny('OnlyTls13', { NumericLessThan: { 's3:TlsVersion': '1.3' } }), deny('WithoutTime', { Null: { 'aws:CurrentTime': 'true' } }));
    const first = keyBounds(p, ['aws:CurrentTime'], { mayBeAbsent: ['kms:ViaService'] });
    assert.isDefined(first);
    assert.strictEqual(keyBounds(p, ['aws:CurrentTime'], { mayBeAbsent: ['kms:ViaService'] }), first);
    // Asked with other keys or options, the bounds are others.
    assert.notStrictEqual(keyBounds(p, ['aws:CurrentTime']), first);
    assert.notStrictEqual(keyBounds(p, ['aws:CurrentTime'], { mayBeAbsent: ['kms:ViaService'], actions: ['kms:Decrypt'] }), first);
    const settled = settleWithin(p, 's3:TlsVersion', ['1.2', '1.3']);
    assert.notStrictEqual(settled, p);
    assert.strictEqual(settleWithin(p, 's3:TlsVersion', ['1.2', '1.3']), settled);
    assert.notStrictEqual(settleWithin(p, 's3:TlsVersion', ['1.3']), settled);
  });

  it('need none when only statements for other actions condition on the keys', () => {
    const p = policy(deny('DecryptInAccount', { StringNotEquals: { 'kms:CallerAccount': '111111111111' } }, 'kms:Decrypt'));
    assert.isUndefined(keyBounds(p, [], { mayBeAbsent: ['kms:CallerAccount'], actions: ['kms:GenerateDataKey', 'kms:DescribeKey'] }));
    assert.isDefined(keyBounds(p, [], { mayBeAbsent: ['kms:CallerAccount'] }));
    // A NotAction that leaves GenerateDataKey in still applies to it.
    const not = policy({ ...deny('AllButDecrypt', { StringNotEquals: { 'kms:CallerAccount': '111111111111' } }), Action: undefined, NotAction: 'kms:Decrypt' });
    assert.isDefined(keyBounds(not, [], { mayBeAbsent: ['kms:CallerAccount'], actions: ['kms:GenerateDataKey'] }));
  });

  describe('a policy variable of an unknown key', () => {
    const BUCKET = 'arn:aws:s3:::logs';
    const LOG = `${BUCKET}/AWSLogs/111111111111/CloudTrail/us-east-1/2026/01/01/x.json.gz`;
    const acl: PolicyRequest = { principal: { Service: 'cloudtrail.amazonaws.com' }, action: 's3:GetBucketAcl', resource: BUCKET, context: { 'aws:SourceAccount': '111111111111' } };
    const put: PolicyRequest = { ...acl, action: 's3:PutObject', resource: LOG };
    const allowAcl = { Sid: 'Acl', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: BUCKET };
    const write = (resource: unknown) => ({ Sid: 'Write', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: resource });
    const bucketPolicy = (version: string, ...statements: Record<string, unknown>[]): Policy => {
      const parsed = parsePolicy(JSON.stringify({ Version: version, Statement: [allowAcl, ...statements] }));
      if (!parsed.ok) throw new Error(parsed.problem);
      return parsed.policy;
    };
    const confusedDeputy = { Sid: 'ConfusedDeputy', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [BUCKET, `${BUCKET}/*`], Condition: { StringNotEqualsIfExists: { 'aws:SourceAccount': '${aws:ResourceAccount}' } } };

    it('in a condition value makes the statement depend on the key, as a condition on it does', () => {
      const bounds = keyBounds(bucketPolicy('2012-10-17', confusedDeputy), ['aws:ResourceAccount'])!;
      assert.isDefined(bounds);
      assert.isUndefined(bounded(bounds, acl));
      assert.deepEqual(hangsOn(bounds, acl), [{ statement: '"ConfusedDeputy"', keys: ['aws:ResourceAccount'], variables: ['aws:ResourceAccount'] }]);
      assert.strictEqual(statementsOn(hangsOn(bounds, acl), () => true), 'statement "ConfusedDeputy" uses ${aws:ResourceAccount}');
    });

    it('in a Resource matches what any value could make it match, and nothing for sure', () => {
      const bounds = keyBounds(bucketPolicy('2012-10-17', write(`${BUCKET}/AWSLogs/111111111111/CloudTrail/\${aws:RequestedRegion}/*`)), ['aws:RequestedRegion'])!;
      assert.isUndefined(bounded(bounds, put));
      assert.deepEqual(hangsOn(bounds, put), [{ statement: '"Write"', keys: ['aws:RequestedRegion'], variables: ['aws:RequestedRegion'] }]);
      // No value puts the log file of another account under it: refused whatever the region.
      assert.strictEqual(bounded(bounds, { ...put, resource: LOG.replace('/111111111111/', '/222222222222/') })?.decision, 'implicit-deny');
      // Another entry of the same Resource that matches on its own decides.
      const both = keyBounds(bucketPolicy('2012-10-17', write([`${BUCKET}/x/\${aws:RequestedRegion}/*`, `${BUCKET}/AWSLogs/*`])), ['aws:RequestedRegion'])!;
      assert.strictEqual(bounded(both, put)?.decision, 'allow');
    });

    it('in a NotResource may exclude anything or nothing', () => {
      const deny = { Sid: 'OnlyRegionFolder', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', NotResource: `${BUCKET}/AWSLogs/*/CloudTrail/\${aws:RequestedRegion}/*` };
      const bounds = keyBounds(bucketPolicy('2012-10-17', write(`${BUCKET}/*`), deny), ['aws:RequestedRegion'])!;
      assert.isUndefined(bounded(bounds, put));
      assert.deepEqual(hangsOn(bounds, put), [{ statement: '"OnlyRegionFolder"', keys: ['aws:RequestedRegion'], variables: ['aws:RequestedRegion'] }]);
      // An object outside every region folder is denied whatever the region.
      assert.strictEqual(bounded(bounds, { ...put, resource: `${BUCKET}/other.txt` })?.decision, 'deny');
    });

    it('in a condition on a key the request does not carry decides nothing: the operator alone does, as IAM judges it', () => {
      // CloudTrail, a service principal, sends no aws:PrincipalOrgID or aws:PrincipalAccount: the
      // negated or IfExists test holds whatever the variable's value, so the perimeter Deny applies.
      const perimeter = { Sid: 'Perimeter', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [BUCKET, `${BUCKET}/*`], Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': '${aws:ResourceOrgID}' } } };
      const ownAccount = { ...perimeter, Sid: 'OwnAccount', Condition: { StringNotEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } } };
      for (const statement of [perimeter, ownAccount]) {
        const bounds = keyBounds(bucketPolicy('2012-10-17', write(`${BUCKET}/*`), statement), ['aws:ResourceAccount'], { mayBeAbsent: ['aws:ResourceOrgID'] })!;
        assert.strictEqual(bounded(bounds, acl)?.decision, 'deny', statement.Sid);
        assert.strictEqual(bounded(bounds, put)?.decision, 'deny', statement.Sid);
      }
      // A plain operator on the absent key never holds: an Allow that needs it surely allows nothing.
      const sameOrg = { ...write(`${BUCKET}/*`), Condition: { StringEquals: { 'aws:PrincipalOrgID': '${aws:ResourceOrgID}' } } };
      const allow = keyBounds(bucketPolicy('2012-10-17', sameOrg), [], { mayBeAbsent: ['aws:ResourceOrgID'] })!;
      const refused = bounded(allow, put)!;
      assert.strictEqual(refused.decision, 'implicit-deny');
      assert.isUndefined(refused.mayDeny);
      // ForAllValues holds for an absent key though it is not negated: conditionHolds decides, not a rule of thumb.
      const inPaths = { ...perimeter, Sid: 'InPaths', Condition: { 'ForAllValues:StringNotLike': { 'aws:PrincipalOrgPaths': '${aws:ResourceOrgID}/*' } } };
      const paths = keyBounds(bucketPolicy('2012-10-17', write(`${BUCKET}/*`), inPaths), [], { mayBeAbsent: ['aws:ResourceOrgID'] })!;
      assert.strictEqual(bounded(paths, put)?.decision, 'deny');
    });

    it('in a condition on a key the request carries is bounded, and named only there', () => {
      const perimeter = { Sid: 'Perimeter', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [BUCKET, `${BUCKET}/*`], Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': '${aws:ResourceOrgID}' } } };
      const bounds = keyBounds(bucketPolicy('2012-10-17', write(`${BUCKET}/*`), perimeter), [], { mayBeAbsent: ['aws:ResourceOrgID'] })!;
      const member = { ...put, context: { ...put.context, 'aws:PrincipalOrgID': 'o-abc1234567' } };
      assert.isUndefined(bounded(bounds, member));
      assert.deepEqual(hangsOn(bounds, member), [{ statement: '"Perimeter"', keys: ['aws:ResourceOrgID'], variables: ['aws:ResourceOrgID'] }]);
      // A Deny that may apply for other reasons names the variable only where the request carries its condition's key.
      const both = { ...perimeter, Sid: 'Both', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': '${aws:ResourceOrgID}' }, StringEquals: { 's3:ResourceAccount': '111111111111' } } };
      const refusing = keyBounds(bucketPolicy('2012-10-17', both), ['s3:ResourceAccount'], { mayBeAbsent: ['aws:ResourceOrgID'] })!;
      assert.deepEqual(bounded(refusing, put)?.mayDeny, [{ statement: '"Both"', keys: ['s3:ResourceAccount'] }]);
      assert.deepEqual(bounded(refusing, member)?.mayDeny, [{ statement: '"Both"', keys: ['s3:ResourceAccount', 'aws:ResourceOrgID'], variables: ['aws:ResourceOrgID'] }]);
    });

    it('is named as the policy writes it, under a name that covers every key below it too', () => {
      const tagged = deny('OwnerTagged', { StringNotEquals: { 'aws:SourceAccount': '${aws:ResourceTag/OwnerAccount}' } });
      const bounds = keyBounds(policy(tagged), [], { mayBeAbsent: ['aws:ResourceTag/'] })!;
      assert.deepEqual(hangsOn(bounds, { ...GENERATE, context: { 'aws:SourceAccount': '111111111111' } }), [{ statement: '"OwnerTagged"', keys: ['aws:ResourceTag/OwnerAccount'], variables: ['aws:ResourceTag/OwnerAccount'] }]);
      // An IgnoreCase value is compiled lower-cased, a default follows the key, and a Resource names it too: each is quoted as written.
      const ignoreCase = deny('SameOwner', { StringNotEqualsIgnoreCase: { 'aws:SourceAccount': "${AWS:ResourceTag/Owner, 'none'}" } });
      const named = keyBounds(policy(ignoreCase), [], { mayBeAbsent: ['aws:ResourceTag/'] })!;
      assert.deepEqual(hangsOn(named, { ...GENERATE, context: { 'aws:SourceAccount': '111111111111' } })[0].variables, ['AWS:ResourceTag/Owner']);
      const inResource = keyBounds(bucketPolicy('2012-10-17', write(`${BUCKET}/AWSLogs/111111111111/CloudTrail/\${AWS:requestedRegion}/*`)), ['aws:RequestedRegion'])!;
      assert.deepEqual(hangsOn(inResource, put)[0].variables, ['AWS:requestedRegion']);
    });

    it('of a key that is known, or under Version 2008-10-17 (where it is literal text), calls for no bounds', () => {
      assert.isUndefined(keyBounds(bucketPolicy('2012-10-17', confusedDeputy), ['aws:CurrentTime']));
      const literal = bucketPolicy('2008-10-17', confusedDeputy, write(`${BUCKET}/AWSLogs/111111111111/CloudTrail/\${aws:RequestedRegion}/*`));
      assert.isUndefined(keyBounds(literal, ['aws:ResourceAccount', 'aws:RequestedRegion']));
    });
  });
});
