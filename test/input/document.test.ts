/**
 * What YAML means beyond the data JSON holds is refused at its position, never read quietly as
 * something else: keys that are no plain name, merge keys, tags, YAML 1.1.
 */
import { expect } from 'chai';
import { parseYaml } from '../../src/input/document.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

/** `line:column: message` of the InputError parsing `text` throws. */
function refusal(text: string): string {
  const e = inputErrorOf(() => parseYaml(text, 'f.yaml'));
  expect(e.position?.file).to.equal('f.yaml');
  return `${e.position?.line}:${e.position?.column}: ${e.message}`;
}

describe('YAML documents', () => {
  describe('keys are the text written, as in JSON', () => {
    it('a number key and the same digits quoted are one key, repeated, whichever comes first', () => {
      const number = 'buckets:\n  123456: {Region: us-east-1, RequestPayer: Requester}\n  "123456": {Region: us-east-1, RequestPayer: BucketOwner, Policy: null}\n';
      expect(refusal(number)).to.equal('3:3: invalid YAML: the key "123456" is repeated in one mapping (as 123456 and as "123456": keys are read as text)');
      const quoted = "buckets:\n  '123456': {}\n  123456: {}\n";
      expect(refusal(quoted)).to.equal("3:3: invalid YAML: the key \"123456\" is repeated in one mapping (as '123456' and as 123456: keys are read as text)");
    });

    it('a key repeated as written is named without the note', () => {
      expect(refusal('version: 1\nversion: 1\n')).to.equal('2:1: invalid YAML: the key "version" is repeated in one mapping');
    });

    it('null, ~, true and numbers in other notations keep their spelling, as the same keys quoted in JSON would', () => {
      const yaml = parseYaml('null: 1\n~: 2\ntrue: 3\nfalse: 4\n0x10: 5\n012: 6\n1e3: 7\n1.0: 8\n1: 9\n', 'f.yaml').value;
      expect(yaml).to.deep.equal({ null: 1, '~': 2, true: 3, false: 4, '0x10': 5, '012': 6, '1e3': 7, '1.0': 8, '1': 9 });
      expect(yaml).to.deep.equal(parseYaml('{"null": 1, "~": 2, "true": 3, "false": 4, "0x10": 5, "012": 6, "1e3": 7, "1.0": 8, "1": 9}', 'f.json').value);
      // `null:` and `"null":` are then one key, as in JSON.
      expect(refusal('null: 1\n"null": 2\n')).to.match(/^2:1: invalid YAML: the key "null" is repeated in one mapping/);
    });

    it('a key that is a list, a mapping, an alias or a tagged number is refused at the key', () => {
      expect(refusal('a: 1\n? [a, b]\n: 1\n')).to.equal('2:3: invalid YAML: a mapping key must be a name, not a list');
      expect(refusal('a: 1\n? {x: 1}\n: 2\n')).to.equal('2:3: invalid YAML: a mapping key must be a name, not a mapping');
      expect(refusal('a: {[x]: 1}\n')).to.equal('1:5: invalid YAML: a mapping key must be a name, not a list');
      expect(refusal('a: &k b\n*k : 2\n')).to.equal('2:1: invalid YAML: a mapping key is an alias here; write the key out');
      expect(refusal('a: 1\n!!int 2: b\n')).to.equal('2:1: invalid YAML: a mapping key is read as text, and cannot be tagged !!int');
      // !!str says what every key is anyway.
      expect(parseYaml('!!str 2: b\n', 'f.yaml').value).to.deep.equal({ 2: 'b' });
    });
  });

  describe('merge keys', () => {
    it('<< is refused at its position, not kept as an unknown key beside fields it failed to merge', () => {
      const text = 'base: &t {IsMultiRegionTrail: true, LogFileValidationEnabled: true}\ntrail:\n  Name: t\n  <<: *t\n';
      expect(refusal(text)).to.equal('4:3: invalid YAML: merge keys (<<) are not supported; write the fields out in each mapping');
      expect(refusal('a: &t {x: 1}\nb: {<<: [*t]}\n')).to.match(/^2:5: invalid YAML: merge keys/);
    });

    it('a merge-based alias bomb is refused at its first merge', () => {
      const lines = ['a0: &a0 {x: [x, x]}'];
      for (let i = 1; i <= 30; i++) lines.push(`a${i}: &a${i} {p: {<<: *a${i - 1}}, q: {<<: *a${i - 1}}}`);
      expect(refusal(`${lines.join('\n')}\n`)).to.match(/^2:14: invalid YAML: merge keys/);
    });

    it('a quoted "<<" is an ordinary key, as in JSON', () => {
      expect(parseYaml('a: {"<<": 1}\n', 'f.yaml').value).to.deep.equal({ a: { '<<': 1 } });
      expect(parseYaml('{"a": {"<<": 1}}', 'f.json').value).to.deep.equal({ a: { '<<': 1 } });
    });
  });

  describe('tags', () => {
    it('an unknown tag is refused at the tag, not dropped for the bare value', () => {
      expect(refusal('S3BucketName: !Ref b1\n')).to.equal(
        '1:15: invalid YAML: the tag !Ref is not supported: trailgate reads plain strings, numbers, booleans, null, lists and mappings, and resolves no tags (write the value itself)',
      );
      expect(refusal('version: !custom 1\n')).to.match(/^1:10: invalid YAML: the tag !custom is not supported/);
      expect(refusal('Trail: !Sub {Name: t}\n')).to.match(/^1:8: invalid YAML: the tag !Sub is not supported/);
      expect(refusal('x: !<tag:example.com,2000:x> 1\n')).to.match(/^1:4: invalid YAML: the tag !<tag:example.com,2000:x> is not supported/);
    });

    it('YAML types JSON has no value for are refused: bytes, sets, ordered maps, dates', () => {
      for (const [text, tag] of [
        ['x: !!binary aGVsbG8=\n', '!!binary'],
        ['x: !!set {a, b}\n', '!!set'],
        ['x: !!omap [a: 1]\n', '!!omap'],
        ['x: !!pairs [a: 1]\n', '!!pairs'],
        ['x: !!timestamp 2026-01-01\n', '!!timestamp'],
      ]) {
        expect(refusal(text)).to.match(new RegExp(`^1:4: invalid YAML: the tag ${tag} is not supported`));
      }
    });

    it('a JSON type tag on a value not of that type is refused, not read as text', () => {
      expect(refusal('version: !!float 1\n')).to.equal('1:10: invalid YAML: the tag !!float does not fit its value; write the value without a tag');
      expect(refusal('x: !!int abc\n')).to.match(/^1:4: invalid YAML: the tag !!int does not fit/);
      expect(refusal('x: !!str {a: 1}\n')).to.match(/^1:4: invalid YAML: the tag !!str does not fit/);
    });

    it('a JSON type tag that fits its value says it explicitly, and is read', () => {
      expect(parseYaml('a: !!str 1\nb: !!int 1\nc: !!float 1.5\nd: !!bool true\ne: !!null ~\nf: !!seq [1]\ng: !!map {x: 1}\nh: ! 1\n', 'f.yaml').value).to.deep.equal({
        a: '1',
        b: 1,
        c: 1.5,
        d: true,
        e: null,
        f: [1],
        g: { x: 1 },
        h: '1',
      });
    });
  });

  it('a number written with a leading zero is refused at it, not read without the zero', () => {
    // A policy condition takes numbers as text: aws:SourceAccount 011122223333 became "11122223333",
    // and CloudTrail was judged unable to deliver to a bucket whose policy allows it.
    const policy = 'Condition:\n  StringEquals: {aws:SourceAccount: 011122223333}\n';
    expect(refusal(policy)).to.equal(
      '2:37: invalid YAML: 011122223333 is read as the number 11122223333, without its leading zero: quote it ("011122223333") if it is text, such as an account id, or write it without the zero if it is a number',
    );
    expect(refusal('maxAgeHours: 012\n')).to.match(/^1:14: invalid YAML: 012 is read as the number 12, without its leading zero/);
    expect(refusal('a: [1, -007]\n')).to.match(/^1:8: invalid YAML: -007 is read as the number -7/);
    expect(refusal('a: 00.5\n')).to.match(/^1:4: invalid YAML: 00\.5 is read as the number 0\.5/);
    // Quoted, tagged as a number, a key, or no decimal number with a leading zero: read as written.
    expect(parseYaml('a: "011122223333"\nb: !!int 012\n012: 0\nc: [0, 0.5, -0, 0x1F, 0o17, 0e1]\n', 'f.yaml').value).to.deep.equal({ a: '011122223333', b: 12, '012': 0, c: [0, 0.5, -0, 31, 15, 0] });
  });

  describe('text YAML takes for syntax is told to be quoted, at the token', () => {
    it('a * pattern (rule: "*") is an alias to YAML', () => {
      expect(refusal('suppressions:\n  - rule: *\n    resource: "1"\n')).to.equal('2:11: invalid YAML: a * alone starts an alias that names nothing; to write text that begins with *, quote the whole value (rule: "*")');
      // More text after it: the whole value is quoted, not the * alone.
      expect(refusal('reason: * see SEC-12\n')).to.match(/^1:9: invalid YAML: a \* alone starts an alias that names nothing; to write text that begins with \*, quote the whole value/);
      expect(refusal('resource: *dev*\n')).to.equal(
        '1:11: invalid YAML: the alias *dev* names no anchor before it; an alias repeats a value marked &dev* earlier in the file (text that begins with *, such as a pattern, is quoted: "*dev*")',
      );
    });

    it('text after a {...}, a [...], a quoted text or an alias that begins the value', () => {
      const quote = "; to write the line's value as text, quote the whole value";
      expect(refusal('message:\n  fail: {Trail.Name} is not logging\n')).to.equal(`2:22: invalid YAML: more text follows the {...} before it, which YAML reads as a mapping${quote}`);
      expect(refusal('message:\n  fail: [x] y\n')).to.equal(`2:13: invalid YAML: more text follows the [...] before it, which YAML reads as a list${quote}`);
      expect(refusal('reason: "accepted" by ops\n')).to.equal(`1:20: invalid YAML: more text follows the quoted text before it${quote}`);
      expect(refusal("reason: 'a' b\n")).to.equal(`1:13: invalid YAML: more text follows the quoted text before it${quote}`);
      expect(refusal('a: &x 1\nfail: *x is not\n')).to.equal(`2:10: invalid YAML: more text follows the alias before it (a value that begins with * repeats an anchored value)${quote}`);
    });

    it('a colon and a space inside a plain value, and a value that begins with @ or `', () => {
      expect(refusal('reason: accepted: see SEC-12\n')).to.equal('1:9: invalid YAML: the value holds ": " (a colon and a space), which would start a mapping inside it; to write it as text, quote the whole value');
      expect(refusal('reason: @ops said so\n')).to.equal('1:9: invalid YAML: a value cannot begin with @ unquoted; quote the whole value');
      expect(refusal('reason: `x`\n')).to.equal('1:9: invalid YAML: a value cannot begin with ` unquoted; quote the whole value');
      // Quoted, each is the text written.
      expect(parseYaml('a: "*"\nb: "{x} y"\nc: "accepted: see SEC-12"\nd: "@ops"\n', 'f.yaml').value).to.deep.equal({ a: '*', b: '{x} y', c: 'accepted: see SEC-12', d: '@ops' });
    });
  });

  it('a lone CR (classic Mac OS line ends) is a line break, as YAML 1.2 says, for values and positions', () => {
    const lf = 'a:\n  b: "x\n    y"\n  c: |\n    one\n    two\nd: [1,\n  2]\n';
    expect(parseYaml(lf.replace(/\n/g, '\r'), 'f.yaml').value).to.deep.equal(parseYaml(lf, 'f.yaml').value);
    expect(parseYaml(lf.replace(/\n/g, '\r'), 'f.yaml').locate('/d/1')).to.deep.equal({ line: 8, column: 3 });
    expect(refusal('a: 1\rb: [\r')).to.match(/^3:1: invalid YAML/);
  });

  it('a second document is refused where it starts, after the marker that ended the first (--- or ...)', () => {
    expect(refusal('a: 1\n---\nb: 2\n')).to.equal('2:1: invalid YAML: a second document starts here (after "---"); a file holds one document');
    expect(refusal('a: 1\n...\nb: 2\n')).to.equal('3:1: invalid YAML: a second document starts here (after the end marker "..."); a file holds one document');
  });

  it('a document that declares YAML 1.1 is refused at the directive', () => {
    expect(refusal('# old\n%YAML 1.1\n---\nIsLogging: yes\n')).to.match(/^2:1: invalid YAML: the document declares %YAML 1\.1; trailgate reads YAML 1\.2/);
  });

  it('so is any other version but 1.2, which the parser would only warn about', () => {
    for (const v of ['1.0', '1.3', '2.0']) expect(refusal(`%YAML ${v}\n---\nIsLogging: true\n`), v).to.equal(`1:1: invalid YAML: the document declares %YAML ${v}; trailgate reads YAML 1.2 (remove the %YAML line)`);
    expect(parseYaml('%YAML 1.2\n---\nIsLogging: true\n', 'f.yaml').value).to.deep.equal({ IsLogging: true });
  });

  it('the alias budget still stops a bomb of plain aliases, at the alias that passes it', () => {
    const lines = ['a0: &a0 [x, x]'];
    for (let i = 1; i <= 30; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
    expect(refusal(`${lines.join('\n')}\n`)).to.match(/^18:18: invalid YAML: at the alias \*a16 the document's aliases expand it past/);
  });
});
