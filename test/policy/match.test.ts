import { assert } from 'chai';
import { cidrContains, parseAddress, parseCidr } from '../../src/policy/ip.ts';
import { parsePattern, resolvePieces, splitArnPieces, STAR, wildcardMatch } from '../../src/policy/match.ts';

describe('policy wildcards', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true],
    ['*', 'anything/at/all', true],
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['a*', 'a', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'abbbd', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['*/AWSLogs/*', 'b/AWSLogs/1/x', true],
    ['b/AWSLogs/111111111111/*', 'b/AWSLogs/111111111111/CloudTrail/x.gz', true],
    ['b/AWSLogs/111111111111/*', 'b/prefix/AWSLogs/111111111111/x', false],
    ['*a*a*a', 'aaa', true],
    ['*a*a*a', 'aab', false],
    ['??', 'ab', true],
    ['??', 'abc', false],
    ['a**b', 'ab', true],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(value)}`, () => {
      assert.strictEqual(wildcardMatch(pattern, value), expected);
    });
  }

  it('is case-sensitive unless asked otherwise', () => {
    assert.isFalse(wildcardMatch('s3:Get*', 's3:getbucketacl'));
    assert.isTrue(wildcardMatch('s3:Get*', 's3:getbucketacl', true));
  });

  it('treats ${*}, ${?} and ${$} as literal characters', () => {
    const lookup = (): undefined => undefined;
    const pieces = parsePattern('a${*}b${?}${$}', { wildcards: true, variables: true });
    assert.deepEqual(resolvePieces(pieces, lookup), ['a*b?$']);
  });

  it('resolves variables case-insensitively, with defaults, and fails without a value', () => {
    const ctx = new Map([['aws:sourceaccount', '111111111111']]);
    const lookup = (k: string): string | undefined => ctx.get(k);
    const p = parsePattern('AWSLogs/${AWS:SourceAccount}/*', { wildcards: true, variables: true });
    assert.deepEqual(resolvePieces(p, lookup), ['AWSLogs/', '111111111111', '/', STAR]);
    const d = parsePattern("${aws:PrincipalOrgID, 'o-none'}", { wildcards: true, variables: true });
    assert.deepEqual(resolvePieces(d, lookup), ['o-none']);
    assert.isUndefined(resolvePieces(parsePattern('${aws:PrincipalOrgID}', { wildcards: true, variables: true }), lookup));
  });

  it('leaves ${...} alone when variables are off (policy Version 2008-10-17)', () => {
    assert.deepEqual(parsePattern('${aws:SourceAccount}', { wildcards: false, variables: false }), ['${aws:SourceAccount}']);
  });

  it('splits ARN pieces on colons outside variable names, keeping later colons in the resource', () => {
    const parts = splitArnPieces(parsePattern('arn:aws:cloudtrail:*:${aws:SourceAccount}:trail/a:b', { wildcards: true, variables: true }));
    assert.lengthOf(parts, 6);
    assert.deepEqual(parts[3], [STAR]);
    assert.deepEqual(parts[4], [{ key: 'aws:sourceaccount' }]);
    assert.deepEqual(parts[5], ['trail/a:b']);
  });
});

describe('IP addresses and CIDR blocks', () => {
  const inBlock: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.0.2.7', '192.0.2.7', true],
    ['192.0.2.7/32', '192.0.2.8', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['2001:db8::/32', '2001:db8:1::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::ffff:10.0.0.0/104', '::ffff:10.9.9.9', true],
    ['10.0.0.0/8', '2001:db8::1', false],
  ];
  for (const [block, addr, expected] of inBlock) {
    it(`${addr} is ${expected ? '' : 'not '}in ${block}`, () => {
      assert.strictEqual(cidrContains(parseCidr(block)!, parseAddress(addr)!), expected);
    });
  }
  it('rejects malformed addresses and prefix lengths', () => {
    for (const bad of ['10.0.0', '10.0.0.256', '10.0.0.0/33', 'abc', '1::2::3', '2001:db8::/129', '1.2.3.4/']) {
      assert.isUndefined(parseCidr(bad), bad);
    }
  });
});
