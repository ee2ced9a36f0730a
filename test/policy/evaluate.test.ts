import { assert } from 'chai';
import { describeStatement, evaluate, parsePolicy, type Decision, type PolicyRequest } from '../../src/policy/index.ts';

const CT = { Service: 'cloudtrail.amazonaws.com' };

function request(over: Partial<PolicyRequest> = {}): PolicyRequest {
  return {
    principal: CT,
    action: 's3:PutObject',
    resource: 'arn:aws:s3:::logs/AWSLogs/111111111111/CloudTrail/us-east-1/x.json.gz',
    context: { 'aws:SourceAccount': '111111111111' },
    ...over,
  };
}

function decide(statements: unknown[], req = request(), version = '2012-10-17'): Decision {
  const parsed = parsePolicy(JSON.stringify({ Version: version, Statement: statements }));
  if (!parsed.ok) throw new Error(parsed.problem);
  return evaluate(parsed.policy, req);
}

const allow = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: 'arn:aws:s3:::logs/AWSLogs/111111111111/*',
  ...over,
});

describe('evaluate', () => {
  it('allows and names the statement by Sid', () => {
    const d = decide([allow({ Sid: 'Write' })]);
    assert.deepEqual(d, { decision: 'allow', statement: { index: 0, sid: 'Write' } });
    assert.strictEqual(describeStatement(d.statement!), '"Write"');
  });

  it('names a statement without Sid by its index', () => {
    const d = decide([allow({ Resource: 'arn:aws:s3:::other/*' }), allow()]);
    assert.deepEqual(d.statement, { index: 1 });
    assert.strictEqual(describeStatement(d.statement!), 'Statement[1]');
  });

  it('lets an explicit Deny win and reports both statements', () => {
    const d = decide([allow({ Sid: 'A' }), { Sid: 'D', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }]);
    assert.deepEqual(d, { decision: 'deny', statement: { index: 0, sid: 'A' }, denyStatement: { index: 1, sid: 'D' } });
  });

  it('denies implicitly when nothing applies', () => {
    assert.deepEqual(decide([allow({ Action: 's3:GetBucketAcl' })]), { decision: 'implicit-deny' });
  });

  describe('principals', () => {
    const cases: [string, unknown, boolean][] = [
      ['"*"', '*', true],
      ['{"AWS": "*"}', { AWS: '*' }, true],
      ['service as a string', { Service: 'cloudtrail.amazonaws.com' }, true],
      ['service in a list', { Service: ['config.amazonaws.com', 'cloudtrail.amazonaws.com'] }, true],
      ['another service', { Service: 'config.amazonaws.com' }, false],
      ['an account id', { AWS: '111111111111' }, false],
      ['an account root ARN', { AWS: 'arn:aws:iam::111111111111:root' }, false],
      ['a role ARN', { AWS: 'arn:aws:iam::111111111111:role/r' }, false],
      // AWS shows a deleted role's unique id where its ARN was; the policy stays valid.
      ['beside a deleted role\'s unique id', { AWS: 'AROAJQABLZS4A3QDU576Q', Service: 'cloudtrail.amazonaws.com' }, true],
    ];
    for (const [name, principal, expected] of cases) {
      it(`Principal ${name} ${expected ? 'includes' : 'excludes'} CloudTrail`, () => {
        assert.strictEqual(decide([allow({ Principal: principal })]).decision, expected ? 'allow' : 'implicit-deny');
      });
    }

    it('matches AWS principals by account, root ARN and exact ARN', () => {
      const role = 'arn:aws:iam::222222222222:role/Reader';
      const req = request({ principal: { AWS: role } });
      assert.strictEqual(decide([allow({ Principal: { AWS: '222222222222' } })], req).decision, 'allow');
      assert.strictEqual(decide([allow({ Principal: { AWS: 'arn:aws:iam::222222222222:root' } })], req).decision, 'allow');
      assert.strictEqual(decide([allow({ Principal: { AWS: role } })], req).decision, 'allow');
      assert.strictEqual(decide([allow({ Principal: { AWS: 'arn:aws:iam::222222222222:role/Writer' } })], req).decision, 'implicit-deny');
      assert.strictEqual(decide([allow({ Principal: { AWS: '333333333333' } })], req).decision, 'implicit-deny');
    });

    it('NotPrincipal in a Deny denies CloudTrail unless it names CloudTrail', () => {
      const deny = (np: unknown): Record<string, unknown> => ({ Sid: 'NP', Effect: 'Deny', NotPrincipal: np, Action: '*', Resource: '*' });
      assert.strictEqual(decide([allow(), deny({ AWS: 'arn:aws:iam::111111111111:root' })]).decision, 'deny');
      assert.strictEqual(decide([allow(), deny({ Service: 'cloudtrail.amazonaws.com' })]).decision, 'allow');
      assert.strictEqual(decide([allow(), deny({ AWS: 'AIDAJQABLZS4A3QDU576Q' })]).decision, 'deny');
    });

    it('NotPrincipal naming an account does not exempt that account\'s roles', () => {
      const role = 'arn:aws:iam::222222222222:role/Reader';
      const deny = { Effect: 'Deny', NotPrincipal: { AWS: '222222222222' }, Action: '*', Resource: '*' };
      const d = decide([allow({ Principal: '*' }), deny], request({ principal: { AWS: role } }));
      assert.strictEqual(d.decision, 'deny');
      const root = decide([allow({ Principal: '*' }), deny], request({ principal: { AWS: 'arn:aws:iam::222222222222:root' } }));
      assert.strictEqual(root.decision, 'allow');
    });
  });

  describe('actions and resources', () => {
    const cases: [string, Record<string, unknown>, boolean][] = [
      ['Action is case-insensitive', { Action: 'S3:putobject' }, true],
      ['Action wildcard *', { Action: 's3:*' }, true],
      ['Action wildcard ?', { Action: 's3:PutObjec?' }, true],
      ['Action "*"', { Action: '*' }, true],
      ['Action list', { Action: ['s3:GetObject', 's3:PutObject'] }, true],
      ['NotAction excluding PutObject', { Action: undefined, NotAction: 's3:PutObject' }, false],
      ['NotAction excluding others', { Action: undefined, NotAction: ['s3:Delete*'] }, true],
      ['Resource is case-sensitive', { Resource: 'arn:aws:s3:::logs/awslogs/111111111111/*' }, false],
      ['Resource "*"', { Resource: '*' }, true],
      ['Resource with ?', { Resource: 'arn:aws:s3:::log?/AWSLogs/111111111111/*' }, true],
      ['Resource bucket only', { Resource: 'arn:aws:s3:::logs' }, false],
      ['Resource with a variable', { Resource: 'arn:aws:s3:::logs/AWSLogs/${aws:SourceAccount}/*' }, true],
      ['Resource with a variable that has no value', { Resource: 'arn:aws:s3:::logs/AWSLogs/${aws:PrincipalOrgID}/*' }, false],
      ['NotResource with a variable that has no value applies', { Resource: undefined, NotResource: 'arn:aws:s3:::logs/${aws:PrincipalOrgID}/*' }, true],
      ['NotResource excluding the object', { Resource: undefined, NotResource: 'arn:aws:s3:::logs/*' }, false],
      ['NotResource excluding another bucket', { Resource: undefined, NotResource: 'arn:aws:s3:::other/*' }, true],
      ['Resource parts are case-sensitive too (the oracle disagrees)', { Resource: 'arn:AWS:S3:::logs/AWSLogs/111111111111/*' }, false],
      ['Resource in another partition', { Resource: 'arn:aws-cn:s3:::logs/*' }, false],
      ['short ARN with a wildcard covers the rest', { Resource: 'arn:aws:s3:*' }, true],
      ['short ARN without a wildcard names nothing', { Resource: 'arn:aws:s3' }, false],
    ];
    for (const [name, over, expected] of cases) {
      it(`${name}`, () => assert.strictEqual(decide([allow(over)]).decision, expected ? 'allow' : 'implicit-deny'));
    }
  });

  it('does not substitute variables under Version 2008-10-17 (IAM treats them as text)', () => {
    const s = allow({ Resource: 'arn:aws:s3:::logs/AWSLogs/${aws:SourceAccount}/*' });
    assert.strictEqual(decide([s], request(), '2008-10-17').decision, 'implicit-deny');
    const literal = request({ resource: 'arn:aws:s3:::logs/AWSLogs/${aws:SourceAccount}/x' });
    assert.strictEqual(decide([s], literal, '2008-10-17').decision, 'allow');
  });

  it('accepts a policy as a string or an object, and caches by string', () => {
    const doc = { Version: '2012-10-17', Statement: allow() };
    const a = parsePolicy(JSON.stringify(doc));
    const b = parsePolicy(JSON.stringify(doc));
    assert.isTrue(a.ok);
    assert.strictEqual(a, b);
    assert.isTrue(parsePolicy(doc).ok);
  });

  describe('malformed policies are problems', () => {
    const bad: [string, unknown, RegExp][] = [
      ['invalid JSON', '{"Statement": [', /not valid JSON/],
      [
        'a key repeated in a statement (JSON.parse would keep the last Effect)',
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Effect":"Deny"}]}',
        /repeats a key within one object/,
      ],
      ['not an object', '[1]', /not a JSON object/],
      ['no Statement', { Version: '2012-10-17' }, /no Statement/],
      ['an unknown Version', { Version: '2020-01-01', Statement: [] }, /unknown policy Version/],
      ['an unknown element', { Statement: [], Foo: 1 }, /unknown policy element "Foo"/],
      ['a lower-case Effect', { Statement: [allow({ Effect: 'allow' })] }, /Statement\[0\]: Effect must be/],
      ['no Effect (was "Effect must be ..., not undefined")', { Statement: [allow({ Effect: undefined })] }, /^Statement\[0\]: needs an Effect, "Allow" or "Deny"$/],
      ['no Principal', { Statement: [allow({ Principal: undefined })] }, /needs Principal or NotPrincipal/],
      ['Principal and NotPrincipal', { Statement: [allow({ NotPrincipal: '*' })] }, /both Principal and NotPrincipal/],
      ['a bad principal string', { Statement: [allow({ Principal: 'cloudtrail' })] }, /must be "\*" or an object/],
      ['an unknown principal type', { Statement: [allow({ Principal: { Robot: 'x' } })] }, /unknown principal type "Robot"/],
      ['a bad AWS principal', { Statement: [allow({ Principal: { AWS: 'someone' } })] }, /not an account id or an IAM ARN/],
      ['no Action', { Statement: [allow({ Action: undefined })] }, /needs Action or NotAction/],
      ['a malformed action', { Statement: [allow({ Action: 'PutObject' })] }, /not "\*" or "service:action"/],
      ['no Resource', { Statement: [allow({ Resource: undefined })] }, /needs Resource or NotResource/],
      ['a resource that is not an ARN', { Statement: [allow({ Resource: 'logs/*' })] }, /Resource "logs\/\*" is not "\*" or an ARN/],
      ['an empty Action list', { Statement: [allow({ Action: [] })] }, /Action is empty/],
      ['an unknown statement element', { Statement: [allow({ Principals: '*' })] }, /unknown statement element "Principals"/],
      ['a Condition that is a list', { Statement: [allow({ Condition: [] })] }, /Condition must be a JSON object/],
      ['an unknown operator', { Statement: [allow({ Condition: { StringEqualsX: { a: 'b' } } })] }, /unknown condition operator/],
      ['a bad statement named by its Sid too', { Statement: [allow({}), allow({ Sid: 'DenyOutsideOrg', Effect: 'deny' })] }, /^Statement\[1\] \("DenyOutsideOrg"\): Effect must be/],
    ];
    for (const [name, doc, re] of bad) {
      it(`reports ${name}`, () => {
        const r = parsePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc));
        assert.isFalse(r.ok);
        if (!r.ok) assert.match(r.problem, re);
      });
    }
  });
});
