import { assert } from 'chai';
import fc from 'fast-check';
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

  it('agrees with a matcher that tries every split, on random patterns of a, b, * and ?', () => {
    // The reference: dynamic programming over (piece of pattern, place in value), plainly right.
    const reference = (pattern: string, value: string): boolean => {
      const ok = Array.from({ length: pattern.length + 1 }, () => new Array<boolean>(value.length + 1).fill(false));
      ok[pattern.length]![value.length] = true;
      for (let p = pattern.length - 1; p >= 0; p--) {
        for (let i = value.length; i >= 0; i--) {
          const c = pattern[p];
          ok[p]![i] = c === '*' ? ok[p + 1]![i]! || (i < value.length && ok[p]![i + 1]!) : i < value.length && (c === '?' || c === value[i]) && ok[p + 1]![i + 1]!;
        }
      }
      return ok[0]![0]!;
    };
    const text = (chars: string[], max: number) => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((a) => a.join(''));
    fc.assert(fc.property(text(['a', 'b', 'ab', '*', '?'], 8), text(['a', 'b'], 10), (pattern, value) => wildcardMatch(pattern, value) === reference(pattern, value)), { numRuns: 3000 });
  });

  it('compares a number of characters linear in the value and the pattern, not their product', () => {
    // Counted by the characters the string methods it calls may compare: a startsWith at a place
    // the text fits costs its length, an indexOf what it passes over and its text's length.
    // Backtracking to the last `*` and comparing again from each place cost m x m here.
    const { startsWith, indexOf } = String.prototype;
    let compared = 0;
    String.prototype.startsWith = function (this: string, search: string, at = 0) {
      compared += search.length <= this.length - at ? Math.max(search.length, 1) : 1;
      return startsWith.call(this, search, at);
    };
    String.prototype.indexOf = function (this: string, search: string, at = 0) {
      const found = indexOf.call(this, search, at);
      compared += (found === -1 ? this.length : found) - at + search.length;
      return found;
    };
    const m = 4000;
    const work = (pattern: string, value: string, expected: boolean): number => {
      compared = 0;
      assert.strictEqual(wildcardMatch(pattern, value), expected, pattern.slice(0, 20));
      return compared;
    };
    try {
      const cases: [string, string, boolean][] = [
        [`*${'a'.repeat(m)}b`, 'a'.repeat(2 * m), false],
        [`*${'a'.repeat(m)}b*`, 'a'.repeat(2 * m), false],
        [`x*${'a'.repeat(m)}b*y`, `x${'a'.repeat(2 * m)}y`, false],
        [`${'*a'.repeat(m)}*b`, 'a'.repeat(2 * m), false],
        [`${'*a'.repeat(m)}*b`, `${'a'.repeat(2 * m)}b`, true],
        [`*${'a'.repeat(m)}?b`, 'a'.repeat(2 * m), false],
      ];
      for (const [pattern, value, expected] of cases) {
        const n = work(pattern, value, expected);
        assert.isAtMost(n, 4 * (pattern.length + value.length), `${pattern.slice(0, 20)}...: ${n} characters compared`);
      }
    } finally {
      String.prototype.startsWith = startsWith;
      String.prototype.indexOf = indexOf;
    }
  });

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
