import { assert } from 'chai';
import fc from 'fast-check';
import type { Result } from '../../src/engine/result.ts';
import { junitReport } from '../../src/report/junit.ts';
import { sarifReport } from '../../src/report/sarif.ts';
import { stripForbidden, xmlEscape } from '../../src/report/xml.ts';
import { assertValidJunit, parseXml } from '../helpers/junit-check.ts';
import { assertValidSarif } from '../helpers/sarif-check.ts';
import { rule, sampleInput, trail } from './sample.ts';

describe('xmlEscape', () => {
  const cases: Array<[string, string, string, string]> = [
    ['markup and quotes', `<a href="x">&'`, '&lt;a href=&quot;x&quot;&gt;&amp;&apos;', '&lt;a href=&quot;x&quot;&gt;&amp;&apos;'],
    ['C0 controls XML forbids', 'a\u0000\u0001\u0008\u000B\u000C\u000E\u001Fb', 'ab', 'ab'],
    ['tab, newline, carriage return', 'a\tb\nc\rd', 'a&#9;b&#10;c&#13;d', 'a\tb\nc&#13;d'],
    ['U+FFFE and U+FFFF', 'a\uFFFE\uFFFFb', 'ab', 'ab'],
    ['a surrogate pair', 'a🚀b', 'a🚀b', 'a🚀b'],
    ['unpaired surrogates', '\uD800a\uDC00b\uDBFF', 'ab', 'ab'],
    ['surrogates in the wrong order', '\uDC00\uD800', '', ''],
    ['a pair after a lone high surrogate', '\uD800\uD83D\uDE80', '🚀', '🚀'],
    // In text, a line that would start with `::` (a workflow command in an Actions log) has its colon as a reference.
    ['a workflow command after a line break', 'x\n::add-mask::y\n  ::error::z', 'x&#10;::add-mask::y&#10;  ::error::z', 'x\n&#58;:add-mask::y\n  &#58;:error::z'],
    // `##[command]` is a workflow command anywhere in a line; `::` also after any Unicode space the runner trims.
    ['an older workflow command anywhere', 'a##[error]b', 'a##&#91;error]b', 'a##&#91;error]b'],
    ['an older workflow command that stripping a forbidden character would form', 't#\u0001#[error]', 't##&#91;error]', 't##&#91;error]'],
    ['a workflow command after Unicode spaces', 'x\n\u00a0\u3000::error::z', 'x&#10;\u00a0\u3000::error::z', 'x\n\u00a0\u3000&#58;:error::z'],
    ['characters XML allows', '\uFDD0\uE000\uFFFD\u00A0', '\uFDD0\uE000\uFFFD\u00A0', '\uFDD0\uE000\uFFFD\u00A0'],
    // Allowed too, but a terminal obeys them (U+009B is CSI) or they reorder or hide text: kept, as references.
    [
      'DEL, C1 controls, separators, bidi, invisible and tag characters',
      'a\u007F\u0085\u009B2J\u2028\u202E\u2066\u200B\u00AD\uFEFF\u{E0041}\uFE0F\u3164\u{E0100}b',
      'a&#x7f;&#x85;&#x9b;2J&#x2028;&#x202e;&#x2066;&#x200b;&#xad;&#xfeff;&#xe0041;&#xfe0f;&#x3164;&#xe0100;b',
      'a&#x7f;&#x85;&#x9b;2J&#x2028;&#x202e;&#x2066;&#x200b;&#xad;&#xfeff;&#xe0041;&#xfe0f;&#x3164;&#xe0100;b',
    ],
  ];
  for (const [name, input, attribute, text] of cases) {
    it(`handles ${name}`, () => {
      assert.strictEqual(xmlEscape(input), attribute, 'attribute');
      assert.strictEqual(xmlEscape(input, 'text'), text, 'text');
    });
  }
});

/** Units that reach the awkward cases often: C0 controls, unpaired surrogates, markup, any code point. */
const hostileUnit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom('\n::', '\n ::set-output::'),
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('<', '>', '&', '"', "'", ']]>', '\r\n', '\uFFFE', '\uFFFF', '🚀', ' '),
);
const hostileString = fc.string({ unit: hostileUnit, maxLength: 40 });

function runWith(name: string, message: string): ReturnType<typeof sampleInput> {
  const input = sampleInput();
  input.rules = [rule('r', 'high')];
  const results: Result[] = [
    { ruleId: 'r', status: 'fail', severity: 'high', subject: trail(name), message },
    { ruleId: 'r', status: 'error', severity: 'high', subject: trail(`${name}-e`), message, failedReads: [{ operation: 'op', code: message }] },
    {
      ruleId: 'r',
      status: 'skipped',
      severity: 'high',
      subject: trail(`${name}-s`),
      message,
      suppression: { kind: 'suppression', reason: message },
    },
  ];
  input.results = results;
  return input;
}

describe('reporters with arbitrary strings', () => {
  it('JUnit parses, and carries each string minus what XML forbids', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (name, message) => {
        const xml = junitReport(runWith(name, message));
        // Written to a GitHub Actions log, no line may be taken for a workflow command.
        assert.isFalse(/^\s*::/m.test(xml), 'a line starts with ::');
        const root = parseXml(xml);
        const [fail, error, skipped] = root.children[0].children.filter((c) => c.name === 'testcase');
        assert.strictEqual(fail.attributes.name, stripForbidden(trail(name).arn!));
        const failure = fail.children[0];
        assert.strictEqual(failure.attributes.message, stripForbidden(message));
        assert.isTrue(failure.text.startsWith(stripForbidden(message) + '\n\nRemediation: '), JSON.stringify(failure.text));
        assert.strictEqual(error.children[0].attributes.type, stripForbidden(message).trim() || 'ReadError');
        assert.strictEqual(skipped.children[0].attributes.message, stripForbidden(message));
      }),
      { numRuns: 200 },
    );
  });

  it('JUnit stays valid against both XSDs', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(hostileString, hostileString, async (name, message) => {
        await assertValidJunit(junitReport(runWith(name, message)));
      }),
      { numRuns: 5 },
    );
  });

  it('SARIF round-trips each string and stays valid', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (name, message) => {
        const text = sarifReport(runWith(name, message));
        assertValidSarif(text);
        const results = JSON.parse(text).runs[0].results;
        const texts = results.map((r: { message: { text: string } }) => r.message.text);
        if (message !== '') assert.deepEqual(texts, [message, message, message]);
        else assert.deepEqual(texts, ['r: violated by ' + trail(name).arn, 'r: could not evaluate ' + trail(`${name}-e`).arn, 'r: violated by ' + trail(`${name}-s`).arn]);
        assert.strictEqual(results[0].locations[0].logicalLocations[0].fullyQualifiedName, trail(name).arn);
      }),
      { numRuns: 200 },
    );
  });
});
