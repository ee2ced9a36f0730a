/**
 * Bounds over condition keys whose values the inventory cannot give: a key AWS always sends
 * (the time) has its Null conditions decided, one it may not send at all (kms:ViaService) has
 * them bounded like any other; a name ending in `/` covers every key under it; and statements
 * that cannot apply to the caller's actions call for no bounds.
 */
import { assert } from 'chai';
import { parsePolicy, type Policy, type PolicyRequest } from '../../src/policy/index.ts';
import { bounded, hangsOn, keyBounds } from '../../src/policy/unknown-keys.ts';

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

  it('need none when only statements for other actions condition on the keys', () => {
    const p = policy(deny('DecryptInAccount', { StringNotEquals: { 'kms:CallerAccount': '111111111111' } }, 'kms:Decrypt'));
    assert.isUndefined(keyBounds(p, [], { mayBeAbsent: ['kms:CallerAccount'], actions: ['kms:GenerateDataKey', 'kms:DescribeKey'] }));
    assert.isDefined(keyBounds(p, [], { mayBeAbsent: ['kms:CallerAccount'] }));
    // A NotAction that leaves GenerateDataKey in still applies to it.
    const not = policy({ ...deny('AllButDecrypt', { StringNotEquals: { 'kms:CallerAccount': '111111111111' } }), Action: undefined, NotAction: 'kms:Decrypt' });
    assert.isDefined(keyBounds(not, [], { mayBeAbsent: ['kms:CallerAccount'], actions: ['kms:GenerateDataKey'] }));
  });
});
