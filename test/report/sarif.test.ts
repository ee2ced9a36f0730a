import { assert } from 'chai';
import fc from 'fast-check';
import type { Result } from '../../src/engine/result.ts';
import { MAX_READ_NOTIFICATIONS, sarifLog, sarifMessageText, sarifReport } from '../../src/report/sarif.ts';
import { assertValidSarif } from '../helpers/sarif-check.ts';
import { ACCOUNT, HOSTILE_NAME, OTHER_ACCOUNT, result, rule, sampleInput, trail } from './sample.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SARIF is read back as plain JSON
type Any = any;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function render(input = sampleInput()): Any {
  const text = sarifReport(input);
  assertValidSarif(text);
  return JSON.parse(text);
}

describe('sarifReport', () => {
  it('writes a log the OASIS schema and GitHub code scanning accept', () => {
    const log = render();
    assert.strictEqual(log.version, '2.1.0');
    assert.deepEqual(log.runs[0].tool.driver.name, 'trailgate');
    assert.deepEqual(log.runs[0].tool.driver.version, '0.1.0-test');
  });

  it('leaves the category to the upload, so each workflow keeps its own alerts', () => {
    // upload-sarif only fills in automationDetails when the run has none: a fixed id here would
    // silence its `category` input and put every trailgate upload of a repository (a nightly
    // audit, a pull-request gate) in one category, where each upload closes the other's alerts.
    assert.notProperty(render().runs[0], 'automationDetails');
  });

  it('emits violations, unknowns and suppressed violations, never passes or plain skips', () => {
    const input = sampleInput();
    const { results } = render(input).runs[0];
    const expected = input.results.filter((r) => r.status === 'fail' || r.status === 'error' || r.suppression);
    assert.lengthOf(results, expected.length);
    assert.notInclude(results.map((r: Any) => r.properties.status), 'pass');
    assert.isFalse(results.some((r: Any) => r.ruleId === 'region-has-trail'), 'the unsuppressed skip is left out');
    assert.isTrue(results.some((r: Any) => r.properties.status === 'skipped' && r.suppressions.length === 1));
  });

  it('lists every rule that ran, sorted, with ruleIndex pointing at it', () => {
    const input = sampleInput();
    input.rules.reverse();
    const run = render(input).runs[0];
    const ids = run.tool.driver.rules.map((r: Any) => r.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.include(ids, 'region-has-trail', 'a rule with no reported result is still described');
    for (const r of run.results) assert.strictEqual(ids[r.ruleIndex], r.ruleId);
  });

  it('maps severities to levels and security-severity strings', () => {
    const rules = render().runs[0].tool.driver.rules;
    const byId = Object.fromEntries(rules.map((r: Any) => [r.id, r]));
    const expected = {
      'multi-region-trail': ['error', '9.5'],
      'log-file-validation': ['error', '8.0'],
      'kms-encryption': ['warning', '5.5'],
      'region-has-trail': ['note', '2.0'],
      'trail-insights': ['note', '1.0'],
    };
    for (const [id, [level, score]] of Object.entries(expected)) {
      assert.strictEqual(byId[id].defaultConfiguration.level, level, id);
      assert.strictEqual(byId[id].properties['security-severity'], score, id);
    }
  });

  it('gives a fail its severity level and an error kind open with level none', () => {
    const results = render().runs[0].results;
    const fail = results.find((r: Any) => r.ruleId === 'multi-region-trail' && r.properties.status === 'fail');
    assert.strictEqual(fail.level, 'error');
    assert.isUndefined(fail.kind);
    const error = results.find((r: Any) => r.properties.status === 'error');
    assert.strictEqual(error.kind, 'open');
    assert.strictEqual(error.level, 'none');
  });

  it('describes rules within GitHub limits: tags, description, help and helpUri', () => {
    const byId = Object.fromEntries(render().runs[0].tool.driver.rules.map((r: Any) => [r.id, r]));
    const lfv = byId['log-file-validation'];
    assert.lengthOf(lfv.properties.tags, 10, 'compliance tags fill up to the cap and stop');
    assert.strictEqual(lfv.properties.tags[0], 'security');
    assert.include(lfv.properties.tags, 'cis-aws-foundations-v3.0/3.2');
    assert.strictEqual(lfv.helpUri, 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html', 'skips a reference that is not a URL');
    assert.include(lfv.help.markdown, '```sh\naws cloudtrail update-trail --name NAME --enable-log-file-validation\n```');
    assert.strictEqual(lfv.name, 'LogFileValidation');

    const kms = byId['kms-encryption'];
    assert.isAtMost(kms.fullDescription.text.length, 1024);
    assert.isTrue(kms.fullDescription.text.endsWith('…'));
    assert.notMatch(kms.fullDescription.text, LONE_SURROGATE, 'truncation splits no surrogate pair');
    assert.include(kms.help.markdown, '````sh\n', 'a longer fence when the command holds backticks');
    assert.strictEqual(byId['multi-region-trail'].helpUri, 'https://github.com/trailgate/trailgate', 'no reference: the tool URI');
  });

  it('writes remediation prose into help.markdown as text: no tag, entity, emphasis, link or heading of its own', () => {
    // Built-in remediations name placeholders such as <bucket> and patterns such as trail/*:
    // raw, GitHub's Markdown would take <bucket> for an HTML tag and drop it, and * ... * for emphasis.
    const prose =
      'Allow s3:PutObject on arn:aws:s3:::<bucket>/AWSLogs/<account-id>/* and kms:GenerateDataKey* (arn:aws:cloudtrail:*:<account-id>:trail/*).\n' +
      '  See [docs](javascript:alert(1)) <img src=x onerror=alert(1)> &amp; a_b_c `x` ~~y~~ | z\n' +
      '# not a heading\n- not a list\n1. not a list\n> not a quote';
    const cli = 'aws s3api put-bucket-policy --bucket <bucket> --policy file://policy.json';
    const input = { ...sampleInput(), results: [], rules: [rule('user-rule', 'high', { remediation: { text: prose, cli }, builtin: false })] };
    const { help } = render(input).runs[0].tool.driver.rules[0];
    assert.strictEqual(help.text, `${prose}\n\n${cli}`, 'the plain text is unchanged');
    const [text, fence] = help.markdown.split('\n\n');
    assert.strictEqual(fence, '```sh\n' + cli + '\n```', 'the command stays verbatim inside its fence');
    for (const line of text.split('\n')) {
      const unescaped = line.replace(/\\[!-/:-@[-`{-~]/g, '');
      assert.notMatch(unescaped, /[<>&*_`[\]~|]/, `markup left in ${JSON.stringify(line)}`);
      assert.notMatch(line, /^(?:[ \t]|[#>+=-]|\d+[.)])/, `a line that Markdown would read as a block: ${JSON.stringify(line)}`);
    }
    const shown = text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
    assert.strictEqual(shown, prose.replace(/^[ \t]+/gm, ''), 'the escapes show the same characters');
  });

  it('writes a user rule\'s reference as a valid URI: spaces and other raw characters percent-encoded', () => {
    const references = ['https://example.com/a b|c^d`e{f}?q=x y#g h', 'https://example.com/100%', 'https://[::1]/x y', 'https://exämple.com/ü'];
    const input = { ...sampleInput(), results: [], rules: references.map((ref, i) => rule(`user-rule-${i}`, 'low', { references: [ref], builtin: false })) };
    const uris = render(input).runs[0].tool.driver.rules.map((r: Any) => r.helpUri);
    assert.deepEqual(uris, [
      'https://example.com/a%20b%7Cc%5Ed%60e%7Bf%7D?q=x%20y#g%20h',
      'https://example.com/100%25',
      'https://[::1]/x%20y',
      'https://xn--exmple-cua.com/%C3%BC',
    ]);
  });

  it('points every result at a relative, encoded artifact and a resource', () => {
    const results = render().runs[0].results;
    const uris = results.map((r: Any) => r.locations[0].physicalLocation.artifactLocation.uri);
    assert.include(uris, 'inventories/prod%20account.json');
    assert.include(uris, `aws/${ACCOUNT}/global/account/${ACCOUNT}`);
    assert.include(uris, `aws/${OTHER_ACCOUNT}/eu-west-1/trail/%2E%2E`, 'a `..` name cannot climb the path');
    const located = results.find((r: Any) => r.locations[0].physicalLocation.artifactLocation.uri.startsWith('inventories/'));
    assert.deepEqual(located.locations[0].physicalLocation.region, { startLine: 42, startColumn: 7 });
    const hostile = results.find((r: Any) => r.locations[0].logicalLocations[0].name === HOSTILE_NAME);
    assert.strictEqual(hostile.locations[0].logicalLocations[0].fullyQualifiedName, trail(HOSTILE_NAME).arn);
    assert.strictEqual(hostile.locations[0].logicalLocations[0].kind, 'resource');
  });

  // Inside GitHub Actions an inventory outside the repository gets a made-up URI: its line and
  // column showed as "line 57" of a path that does not exist, and moved whenever that inventory
  // was regenerated.
  it('puts a result with no inventory file GitHub can show at line 1 of its resource path, with no column', () => {
    const input = sampleInput();
    input.results = [
      result('kms-encryption', 'fail', trail('outside'), { location: { file: '../outside/org.yaml', line: 57, column: 9 } }),
      result('kms-encryption', 'fail', trail('inside'), { location: { file: 'infra/org.yaml', line: 12, column: 5 } }),
      // A live scan saved nowhere: a position, but no file.
      result('kms-encryption', 'fail', trail('live'), { location: { file: '', line: 30, column: 3 } }),
    ];
    const repositoryPath = (file: string) => (file.startsWith('../') ? undefined : file);
    const text = sarifReport(input, { repositoryPath });
    assertValidSarif(text);
    const where = JSON.parse(text).runs[0].results.map((r: Any) => r.locations[0].physicalLocation);
    assert.deepEqual(where, [
      { artifactLocation: { uri: 'infra/org.yaml' }, region: { startLine: 12, startColumn: 5 } },
      { artifactLocation: { uri: `aws/${ACCOUNT}/us-east-1/trail/live` }, region: { startLine: 1 } },
      { artifactLocation: { uri: `aws/${ACCOUNT}/us-east-1/trail/outside` }, region: { startLine: 1 } },
    ]);
  });

  it('keeps a result valid when its location line is out of range or its file is absolute', () => {
    const input = sampleInput();
    input.results = [
      result('kms-encryption', 'fail', trail('a'), { location: { file: '/abs/dir\\inv file.json', line: 0 } }),
      result('kms-encryption', 'fail', trail('b'), { location: { file: 'c:inv.json', line: Number.NaN } }),
    ];
    const results = render(input).runs[0].results;
    assert.deepEqual(
      results.map((r: Any) => [r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine]),
      // The CLI gives paths with forward slashes already; a backslash left is part of a (POSIX)
      // file name, so it is encoded rather than read as a separator.
      [['abs/dir%5Cinv%20file.json', 1], ['c%3Ainv.json', 1]],
    );
  });

  it('fingerprints results from rule and subject identity only', () => {
    const hashOf = (r: Result): string => render({ ...sampleInput(), results: [r] }).runs[0].results[0].partialFingerprints.primaryLocationLineHash;
    const base = result('kms-encryption', 'fail', trail('prod'));
    const h = hashOf(base);
    assert.match(h, /^[0-9a-f]{32}:1$/);
    assert.strictEqual(hashOf({ ...base, message: 'changed', location: { file: 'x.json', line: 9 } }), h);
    assert.strictEqual(hashOf({ ...base, status: 'error' }), h, 'a result that turns from fail to error stays the same alert');
    assert.notStrictEqual(hashOf({ ...base, subject: trail('other') }), h);
    assert.notStrictEqual(hashOf({ ...base, subject: trail('prod', ACCOUNT, 'eu-west-1') }), h);
    assert.notStrictEqual(hashOf({ ...base, ruleId: 'log-file-validation' }), h);
  });

  it('puts suppressions on every result when one is suppressed, and on none otherwise', () => {
    const results = render().runs[0].results;
    assert.isTrue(results.every((r: Any) => Array.isArray(r.suppressions)));
    const suppressed = results.filter((r: Any) => r.suppressions.length > 0);
    assert.lengthOf(suppressed, 1);
    assert.deepEqual(suppressed[0].suppressions[0], {
      kind: 'external',
      status: 'accepted',
      justification: 'Org trail covers "this" <account>',
      properties: { source: 'suppression', owner: 'secops', expires: '2027-01-31' },
    });

    const input = sampleInput();
    input.results = input.results.filter((r) => !r.suppression);
    assert.isTrue(render(input).runs[0].results.every((r: Any) => r.suppressions === undefined));
  });

  it('reports failed reads as error notifications and marks the run unsuccessful', () => {
    const [invocation] = render().runs[0].invocations;
    assert.isFalse(invocation.executionSuccessful);
    assert.strictEqual(invocation.startTimeUtc, '2026-01-02T03:04:05.678Z');
    const texts = invocation.toolExecutionNotifications.map((n: Any) => `${n.level}: ${n.message.text}`);
    assert.lengthOf(texts, 2);
    assert.match(texts[0], /^error: Read failed: cloudtrail:GetTrail [^]*AccessDeniedException: not authorized\. 1 result could not be evaluated \(log-file-validation\)\.$/);
    assert.match(texts[1], /^error: log-file-validation could not evaluate [^]*Trail details were not collected/);
  });

  it('names a read that failed for many results once', () => {
    const input = sampleInput();
    const read = { operation: 's3:GetBucketPolicy', code: 'AccessDenied' };
    input.results = ['a', 'b', 'c'].map((n) => result('kms-encryption', 'error', trail(n), { failedReads: [{ ...read }] }));
    const notes = render(input).runs[0].invocations[0].toolExecutionNotifications;
    assert.lengthOf(notes, 1);
    assert.include(notes[0].message.text, '3 results could not be evaluated');
  });

  it('writes a suppressed error as a result nobody could judge, and still names its failed read', () => {
    // Suppression makes the result `skipped` in every report; the read that failed is no less failed.
    const input = sampleInput();
    const read = { operation: 'cloudtrail:DescribeTrails', region: 'us-east-1', code: 'AccessDeniedException' };
    const accepted = { kind: 'suppression' as const, reason: 'sandbox account, read-only role pending' };
    input.results = [
      result('kms-encryption', 'skipped', trail('a'), { failedReads: [read], evidence: { suppressedStatus: 'error' }, suppression: accepted }),
      result('log-file-validation', 'skipped', trail('b'), { evidence: { suppressedStatus: 'fail' }, suppression: accepted }),
    ];
    const run = render(input).runs[0];
    const [error, violation] = run.results;
    assert.strictEqual(error.kind, 'open');
    assert.strictEqual(error.level, 'none');
    assert.notProperty(violation, 'kind');
    assert.strictEqual(violation.level, 'warning');
    assert.isFalse(run.invocations[0].executionSuccessful);
    assert.lengthOf(run.invocations[0].toolExecutionNotifications, 1);
    assert.include(run.invocations[0].toolExecutionNotifications[0].message.text, 'Read failed: cloudtrail:DescribeTrails (us-east-1): AccessDeniedException');
  });

  it('lists the same failed read recorded by two accounts as two notifications, each naming its account', () => {
    const input = sampleInput();
    const denied = (accountId: string) => ({ accountId, operation: 'sts:AssumeRole', region: 'us-east-1', code: 'AccessDenied', message: 'cannot assume' });
    input.results = [
      result('kms-encryption', 'error', { kind: 'account', accountId: '111111111111' }, { failedReads: [denied('111111111111')] }),
      result('kms-encryption', 'error', { kind: 'account', accountId: '222222222222' }, { failedReads: [denied('222222222222')] }),
      result('log-file-validation', 'error', { kind: 'account', accountId: '222222222222' }, { failedReads: [denied('222222222222')] }),
    ];
    const texts = render(input).runs[0].invocations[0].toolExecutionNotifications.map((n: Any) => n.message.text);
    assert.deepEqual(texts, [
      'Read failed: sts:AssumeRole (account 111111111111, us-east-1): AccessDenied: cannot assume. 1 result could not be evaluated (kms-encryption).',
      'Read failed: sts:AssumeRole (account 222222222222, us-east-1): AccessDenied: cannot assume. 2 results could not be evaluated (kms-encryption, log-file-validation).',
    ]);
  });

  it('lists at most MAX_READ_NOTIFICATIONS failed reads, then one notification that counts the rest', () => {
    const input = sampleInput();
    const n = MAX_READ_NOTIFICATIONS + 3;
    input.results = Array.from({ length: n }, (_, i) =>
      result('kms-encryption', 'error', trail(`t${String(i).padStart(5, '0')}`), { failedReads: [{ operation: 'GetTrailStatus', resource: `arn-${i}`, code: 'AccessDeniedException' }] }),
    );
    const notes = render(input).runs[0].invocations[0].toolExecutionNotifications;
    assert.lengthOf(notes, MAX_READ_NOTIFICATIONS + 1);
    assert.include(notes[0].message.text, 'arn-0');
    assert.strictEqual(notes[MAX_READ_NOTIFICATIONS].message.text, '3 more failed reads left 3 more results unevaluated; the JSON report names each one.');
  });

  describe('message text (SARIF 2.1.0 §3.11.5 placeholders, §3.11.6 embedded links)', () => {
    /** What a SARIF viewer shows of a plain text message with no arguments: `{{` as `{`, `}}` as `}`. */
    function shown(text: string): string {
      return text.replace(/\{\{|\}\}/g, (pair) => pair[0]);
    }

    it('doubles braces and breaks `](` in result and notification messages, whatever the text holds', () => {
      // The auditor's snapshot: a delivery error and an AWS error message, each with a placeholder and a link.
      const input = sampleInput();
      input.rules = input.rules.map((m) => (m.id === 'kms-encryption' ? { ...m, title: 'Key {0}', description: 'See [the guide](https://docs.aws.amazon.com/) {x}' } : m));
      const read = { operation: 'cloudtrail:GetTrailStatus', resource: 'arn-main', code: 'AccessDenied', message: 'User {1} is not authorized. [Request access](https://evil.example/phish)' };
      input.results = [
        result('log-file-validation', 'fail', trail('main'), { message: 'Rejected {0}: see [AWS console](https://evil.example/signin)' }),
        result('kms-encryption', 'error', trail('main'), { failedReads: [read] }),
        result('kms-encryption', 'error', trail('{x}'), { message: '' }),
      ];
      const run = render(input).runs[0];
      const texts = run.results.map((r: Any) => r.message.text);
      assert.include(texts, 'Rejected {{0}}: see [AWS console]\\(https://evil.example/signin)');
      assert.include(texts, `kms-encryption: could not evaluate ${trail('{x}').arn!.replace(/[{}]/g, '$&$&')}`);
      const [note] = run.invocations[0].toolExecutionNotifications;
      assert.strictEqual(
        note.message.text,
        'Read failed: cloudtrail:GetTrailStatus (arn-main): AccessDenied: User {{1}} is not authorized. [Request access]\\(https://evil.example/phish). 1 result could not be evaluated (kms-encryption).',
      );
      // A rule's descriptions are multiformat strings, not message objects: written as they are.
      const kms = run.tool.driver.rules.find((d: Any) => d.id === 'kms-encryption');
      assert.strictEqual(kms.shortDescription.text, 'Key {0}');
      assert.strictEqual(kms.fullDescription.text, 'See [the guide](https://docs.aws.amazon.com/) {x}');
    });

    it('gives back the original text, but for `](`, with no lone brace and no `](` left', () => {
      const text = fc.string({ unit: fc.constantFrom('{', '}', '{{', '}}', '{0}', '[', ']', '(', ')', '](', '\\', 'a', ' ', 'é', '😀'), maxLength: 30 });
      fc.assert(
        fc.property(fc.oneof(text, fc.string()), (s) => {
          const out = sarifMessageText(s);
          assert.strictEqual(shown(out), s.replaceAll('](', ']\\('));
          assert.notInclude(out, '](');
          // Braces come only in pairs, read left to right as a viewer reads them.
          assert.notMatch(out.replace(/\{\{|\}\}/g, ''), /[{}]/);
        }),
        { numRuns: 500 },
      );
    });
  });

  it('writes C1 controls, bidi overrides, line separators and tag characters in any string as JSON escapes, so the log printed to a terminal obeys none of them', () => {
    const hostile = 'a\u009b2J\u0085b\u2028c\u202ed\u2066e\u{e0041}f';
    const input = sampleInput();
    input.rules = input.rules.map((m) => (m.id === 'kms-encryption' ? { ...m, title: `T ${hostile}`, remediation: { text: `R ${hostile}`, cli: `aws x ${hostile}` } } : m));
    input.results = [result('kms-encryption', 'fail', trail(hostile), { message: `M ${hostile}` })];
    const text = sarifReport(input);
    assert.notMatch(text, /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u{e0000}-\u{e007f}]/u);
    assert.include(text, 'a\\u009b2J\\u0085b\\u2028c\\u202ed\\u2066e\\udb40\\udc41f');
    const run = JSON.parse(text).runs[0];
    assert.strictEqual(run.results[0].message.text, `M ${hostile}`);
    assert.strictEqual(run.tool.driver.rules.find((d: Any) => d.id === 'kms-encryption').shortDescription.text, `T ${hostile}`);
  });

  it('marks a run without errors successful, with no notifications', () => {
    const input = sampleInput();
    input.results = input.results.filter((r) => r.status !== 'error');
    const [invocation] = render(input).runs[0].invocations;
    assert.isTrue(invocation.executionSuccessful);
    assert.isUndefined(invocation.toolExecutionNotifications);
  });

  it('describes a rule once even when the run lists it twice', () => {
    const input = sampleInput();
    input.rules.push(structuredClone(input.rules[0]));
    const ids = render(input).runs[0].tool.driver.rules.map((r: Any) => r.id);
    assert.deepEqual(ids, [...new Set(ids)]);
  });

  it('describes a rule a result names but the run has no metadata for', () => {
    const input = sampleInput();
    input.results.push(result('user-rule', 'fail', trail('prod'), { severity: 'high' }));
    const run = render(input).runs[0];
    const r = run.results.find((x: Any) => x.ruleId === 'user-rule');
    const descriptor = run.tool.driver.rules[r.ruleIndex];
    assert.strictEqual(descriptor.id, 'user-rule');
    assert.strictEqual(descriptor.properties['security-severity'], '8.0');
  });

  it('writes a valid, empty log for a run with no rules and no results', () => {
    const log = render({ ...sampleInput(), rules: [], results: [] });
    assert.deepEqual(log.runs[0].results, []);
    assert.deepEqual(log.runs[0].tool.driver.rules, []);
  });

  it('keeps the most severe results when over the cap, and says how many it left out', () => {
    const input = sampleInput();
    input.rules = [rule('r', 'low')];
    const sev = ['info', 'low', 'medium', 'high', 'critical'] as const;
    input.results = Array.from({ length: 20 }, (_, i) =>
      result('r', i % 4 === 0 ? 'error' : 'fail', trail(`t${String(i).padStart(2, '0')}`), { severity: sev[i % 5] }),
    );
    const run: Any = sarifLog(input, 6).runs;
    const results = run[0].results;
    assert.lengthOf(results, 6);
    const kept = results.map((r: Any) => [r.properties.status, r.properties.severity]);
    assert.deepEqual(kept.filter(([s]: string[]) => s === 'error'), [], 'fails outrank errors');
    assert.sameMembers(kept.map(([, s]: string[]) => s), ['critical', 'critical', 'critical', 'high', 'high', 'high']);
    const names = results.map((r: Any) => r.locations[0].logicalLocations[0].name);
    assert.deepEqual(names, [...names].sort(), 'kept results are in report order');
    const warning = run[0].invocations[0].toolExecutionNotifications.find((n: Any) => n.level === 'warning');
    assert.match(warning.message.text, /^14 of 20 results were left out .* JSON report has them all\.$/);
  });

  it('over the cap, keeps the results that count toward the exit code before baselined or suppressed ones', () => {
    // A baselined violation keeps its status `fail`: ranked by status and severity alone, the
    // critical findings already accepted would push out the one new, low one that fails the run.
    const input = sampleInput();
    input.rules = [rule('r', 'low')];
    const baselined = Array.from({ length: 8 }, (_, i) =>
      result('r', 'fail', trail(`old${i}`), { severity: 'critical', suppression: { kind: 'baseline', reason: 'in baseline b.json' } }),
    );
    const suppressed = result('r', 'skipped', trail('muted'), { severity: 'critical', evidence: { suppressedStatus: 'fail' }, suppression: { kind: 'suppression', reason: 'accepted' } });
    const fresh = result('r', 'fail', trail('new'), { severity: 'low' });
    const unknown = result('r', 'error', trail('unread'), { severity: 'info' });
    input.results = [...baselined, suppressed, fresh, unknown];
    input.failOn = 'low';
    const results = sarifLog(input, 4).runs as Any;
    const kept = results[0].results.map((r: Any) => r.locations[0].logicalLocations[0].name);
    assert.includeMembers(kept, ['new', 'unread'], 'the results that decide the exit code are all kept');
    assert.lengthOf(kept, 4);
  });

  it('over the cap, ranks by --fail-on: the errors that make the run exit 3 outrank violations below it', () => {
    const input = sampleInput();
    input.rules = [rule('r', 'low')];
    input.failOn = 'critical';
    const minor = Array.from({ length: 6 }, (_, i) => result('r', 'fail', trail(`minor${i}`), { severity: 'high' }));
    const unread = result('r', 'error', trail('unread'), { severity: 'info' });
    input.results = [...minor, unread];
    const kept = (sarifLog(input, 3).runs as Any)[0].results.map((r: Any) => r.locations[0].logicalLocations[0].name);
    assert.include(kept, 'unread', 'no violation reaches critical: the error decides the exit code');
  });

  it('over the cap, ranks an accepted result by what it was judged: a suppressed critical violation before a baselined low error', () => {
    const input = sampleInput();
    input.rules = [rule('r', 'low')];
    const muted = result('r', 'skipped', trail('muted'), { severity: 'critical', evidence: { suppressedStatus: 'fail' }, suppression: { kind: 'suppression', reason: 'accepted' } });
    const known = result('r', 'error', trail('known'), { severity: 'low', suppression: { kind: 'baseline', reason: 'in baseline b.json' } });
    input.results = [known, muted];
    const kept = (sarifLog(input, 1).runs as Any)[0].results.map((r: Any) => r.locations[0].logicalLocations[0].name);
    assert.deepEqual(kept, ['muted']);
  });

  it('keeps at most the 5,000 results GitHub code scanning stores per run, and says so', function () {
    // GitHub accepts 25,000 results per run but stores only 5,000 of them and drops the rest
    // itself: between the two, which alerts exist would be GitHub's choice, and nothing in the
    // file would say that any were missing.
    this.timeout(60_000);
    const input = sampleInput();
    input.rules = [rule('r', 'medium')];
    input.results = Array.from({ length: 5_003 }, (_, i): Result => ({
      ruleId: 'r',
      status: 'fail',
      severity: i < 3 ? 'low' : 'high',
      subject: { kind: 'region', accountId: ACCOUNT, region: `r-${i}` },
      message: 'm',
    }));
    const text = sarifReport(input);
    assertValidSarif(text);
    const run = JSON.parse(text).runs[0];
    assert.lengthOf(run.results, 5_000);
    assert.isFalse(run.results.some((r: Any) => r.level === 'note'), 'the three low results are the ones left out');
    const [note] = run.invocations[0].toolExecutionNotifications;
    assert.strictEqual(note.level, 'warning');
    assert.include(note.message.text, '3 of 5003 results were left out');
    assert.include(note.message.text, 'stores at most 5000 results per run');
  });
});

describe('assertValidSarif', () => {
  const mutate = (change: (log: Any) => void): string => {
    const log = JSON.parse(sarifReport(sampleInput()));
    change(log);
    return JSON.stringify(log);
  };

  const broken: Array<[string, (log: Any) => void]> = [
    ['a result without locations', (l) => delete l.runs[0].results[0].locations],
    ['a result with only a logical location', (l) => delete l.runs[0].results[0].locations[0].physicalLocation],
    ['an arn: URI', (l) => (l.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'arn:aws:cloudtrail:x')],
    ['a URI with a space', (l) => (l.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'a b.json')],
    ['startLine 0', (l) => (l.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0)],
    ['a numeric security-severity', (l) => (l.runs[0].tool.driver.rules[0].properties['security-severity'] = 5.5)],
    ['eleven tags', (l) => (l.runs[0].tool.driver.rules[0].properties.tags = ['security', ...'abcdefghij'])],
    ['no security tag', (l) => (l.runs[0].tool.driver.rules[0].properties.tags = ['cloudtrail'])],
    ['a long fullDescription', (l) => (l.runs[0].tool.driver.rules[0].fullDescription.text = 'x'.repeat(1025))],
    ['no fingerprint', (l) => delete l.runs[0].results[0].partialFingerprints],
    ['suppressions on some results only', (l) => delete l.runs[0].results[0].suppressions],
    ['two runs', (l) => l.runs.push(l.runs[0])],
    ['a schema violation', (l) => (l.runs[0].results[0].level = 'fatal')],
  ];
  for (const [name, change] of broken) {
    it(`rejects ${name}`, () => {
      assert.throws(() => assertValidSarif(mutate(change)));
    });
  }
});
