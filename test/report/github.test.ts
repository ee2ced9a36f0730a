import { assert } from 'chai';
import fc from 'fast-check';
import type { Result, Severity, Subject } from '../../src/engine/result.ts';
import { escapeTerminal } from '../../src/report/escape.ts';
import { ANNOTATIONS_PER_KIND, escapeData, escapeMarkdown, escapeProperty, githubReport, githubSummary, SUMMARY_BYTES, SUMMARY_CELL_CHARS, SUMMARY_NOTE_BYTES, SUMMARY_NOTES, SUMMARY_ROWS } from '../../src/report/github.ts';
import type { ReportInput } from '../../src/report/types.ts';
import type { RuleMeta } from '../../src/rules/types.ts';

const subject = (name: string, account = '111122223333'): Subject => ({ kind: 'trail', accountId: account, region: 'us-east-1', arn: `arn:aws:cloudtrail:us-east-1:${account}:trail/${name}`, name });
const result = (ruleId: string, status: Result['status'], severity: Severity, overrides: Partial<Result> = {}): Result => ({
  ruleId,
  status,
  severity,
  subject: subject('main'),
  message: `${ruleId} ${status}`,
  ...overrides,
});
const meta = (id: string, severity: Severity): RuleMeta => ({
  id,
  title: id,
  severity,
  scope: 'trail',
  description: id,
  remediation: { text: 'fix' },
  references: [],
  compliance: {},
  tags: [],
  source: `rules/${id}.yaml`,
  builtin: true,
});
const input = (results: Result[], overrides: Partial<ReportInput> = {}): ReportInput => ({
  tool: { name: 'trailgate', version: '0.0.0', informationUri: 'https://example.invalid' },
  rules: [],
  results,
  startTime: '2026-11-21T00:00:00Z',
  inputs: [],
  failOn: 'low',
  exitCode: 1,
  ...overrides,
});

/** Reads back the text report's visible escapes (README): `\\` is a backslash, `\x1b` an ESC. */
const unescapeTerminal = (s: string): string =>
  s.replace(/\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4}|u\{[0-9a-f]+\})/g, (_, e: string) =>
    e === '\\' ? '\\' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : String.fromCodePoint(parseInt(e.replace(/^[xu]\{?|\}$/g, ''), 16)),
  );

/** Reverses GitHub's escaping, as the runner does when it reads a command. */
const unescape = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

const COMMAND = /^::(error|warning|notice) ((?:[a-z]+=[^,:]*)(?:,[a-z]+=[^,:]*)*)::([\s\S]*)$/;

describe('github report', () => {
  it('annotates violations by severity and errors as errors, with file, line and title', () => {
    const located = { file: 'inv/org.yaml', line: 52, column: 9 };
    const text = githubReport(
      input([
        result('a-critical', 'fail', 'critical', { location: located }),
        result('b-high', 'fail', 'high'),
        result('c-medium', 'fail', 'medium'),
        result('d-low', 'fail', 'low'),
        result('e-info', 'fail', 'info'),
        result('f-error', 'error', 'low'),
        result('g-pass', 'pass', 'critical'),
        result('h-skipped', 'skipped', 'critical'),
        result('i-suppressed', 'skipped', 'critical', { suppression: { kind: 'suppression', reason: 'ok' } }),
        result('j-baselined', 'fail', 'critical', { suppression: { kind: 'baseline', reason: 'in baseline b.json' } }),
      ]),
    );
    assert.deepEqual(text.trimEnd().split('\n'), [
      '::error file=inv/org.yaml,line=52,col=9,title=a-critical (critical)::arn:aws:cloudtrail:us-east-1:111122223333:trail/main: a-critical fail',
      '::error title=b-high (high)::arn:aws:cloudtrail:us-east-1:111122223333:trail/main: b-high fail',
      '::error title=f-error (could not evaluate)::arn:aws:cloudtrail:us-east-1:111122223333:trail/main: f-error error',
      '::warning title=c-medium (medium)::arn:aws:cloudtrail:us-east-1:111122223333:trail/main: c-medium fail',
      '::notice title=d-low (low)::arn:aws:cloudtrail:us-east-1:111122223333:trail/main: d-low fail',
      '::notice title=e-info (info)::arn:aws:cloudtrail:us-east-1:111122223333:trail/main: e-info fail',
    ]);
  });

  it('writes at most 10 annotations of each kind, the most severe first, then says how many were left out', () => {
    const many = [
      ...Array.from({ length: 60 }, (_, i) => result('r-high', 'fail', 'high', { subject: subject(`t${String(i).padStart(2, '0')}`) })),
      ...Array.from({ length: 3 }, (_, i) => result('r-critical', 'fail', 'critical', { subject: subject(`c${i}`) })),
      ...Array.from({ length: 51 }, (_, i) => result('r-low', 'fail', 'low', { subject: subject(`l${String(i).padStart(2, '0')}`) })),
      result('r-medium', 'fail', 'medium'),
    ];
    const lines = githubReport(input(many)).trimEnd().split('\n');
    const errors = lines.filter((l) => l.startsWith('::error '));
    assert.lengthOf(errors, ANNOTATIONS_PER_KIND);
    assert.isTrue(errors.slice(0, 3).every((l) => l.includes('r-critical')), 'critical ones are kept first');
    assert.lengthOf(lines.filter((l) => l.startsWith('::warning ')), 1);
    assert.lengthOf(lines.filter((l) => l.startsWith('::notice ')), ANNOTATIONS_PER_KIND);
    assert.include(lines, 'trailgate: 53 more error annotations not shown (GitHub shows at most 10 of each kind per step); a JSON report (--format json, or the json input of the Action) lists them all');
    assert.include(lines, 'trailgate: 41 more notice annotations not shown (GitHub shows at most 10 of each kind per step); a JSON report (--format json, or the json input of the Action) lists them all');
    assert.strictEqual(ANNOTATIONS_PER_KIND, 10);
    assert.lengthOf(lines, 10 + 1 + 1 + 10 + 1);
    // A caller that may add its own error annotation (the Action's) gets a slot kept for it.
    const reserved = githubReport(input(many), { reservedErrors: 1 }).trimEnd().split('\n');
    assert.lengthOf(reserved.filter((l) => l.startsWith('::error ')), ANNOTATIONS_PER_KIND - 1);
    assert.include(reserved, 'trailgate: 54 more error annotations not shown (GitHub shows at most 10 of each kind per step); a JSON report (--format json, or the json input of the Action) lists them all');
    assert.lengthOf(reserved.filter((l) => l.startsWith('::notice ')), ANNOTATIONS_PER_KIND);
  });

  it('keeps first what counts toward the exit code: under --fail-on critical, the errors that make it 3 before high violations', () => {
    const many = [
      ...Array.from({ length: 12 }, (_, i) => result('r-high', 'fail', 'high', { subject: subject(`t${String(i).padStart(2, '0')}`) })),
      result('r-read', 'error', 'medium', { subject: subject('unread'), message: 'could not read' }),
    ];
    const annotated = (failOn: string) => githubReport(input(many, { failOn, exitCode: failOn === 'critical' ? 3 : 1 })).split('\n').filter((l) => l.startsWith('::error '));
    // Under --fail-on critical the high violations change nothing; the error is why the run exits 3.
    assert.include(annotated('critical')[0], 'r-read (could not evaluate)');
    // Under --fail-on low both count: violations come before errors, and the error is left out.
    assert.isFalse(annotated('low').some((l) => l.includes('r-read')));
    const summary = (failOn: string) => githubSummary(input(many, { failOn, exitCode: 3 })).split('\n').filter((l) => /^\| (fail|error) \| /.test(l));
    assert.match(summary('critical')[0], /^\| error \| medium \| r-read /);
    assert.match(summary('low')[12], /^\| error \| medium \| r-read /);
  });

  it('shows a trail named with an ESC and one named with a literal backslash-x1b differently', () => {
    // The auditor's pair: `a<ESC>[2Jb` and `a\x1b[2Jb`.
    const text = githubReport(input([result('r', 'fail', 'high', { subject: subject('a\x1b[2Jb') }), result('r', 'fail', 'high', { subject: subject('a\\x1b[2Jb') })]));
    const [esc, literal] = text.split('\n');
    assert.match(esc, /::arn:aws:cloudtrail:us-east-1:111122223333:trail\/a\\x1b\[2Jb: r fail$/);
    assert.match(literal, /::arn:aws:cloudtrail:us-east-1:111122223333:trail\/a\\\\x1b\[2Jb: r fail$/);
  });

  it('names a file as it is, backslash and all, and no file at all when its name could not reach the log raw', () => {
    const at = (file: string) => githubReport(input([result('r', 'fail', 'high', { location: { file, line: 4, column: 2 } })]));
    assert.match(at('a\\x1b.json'), /^::error file=a\\x1b\.json,line=4,col=2,title=/);
    assert.match(at('a\x1b.json'), /^::error title=r \(high\)::/);
    assert.match(at('pro\u200bd.json'), /^::error title=/);
    assert.match(at('x##[error]y.json'), /^::error title=/);
  });

  it('escapes data and properties the way the runner unescapes them', () => {
    assert.strictEqual(escapeData('100%\r\nnext'), '100%25%0D%0Anext');
    assert.strictEqual(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  });

  it('property: no message, name or path can end a command early, start another one, or reach the log as a control character', () => {
    const hostile = fc.string({ unit: fc.constantFrom('a', ':', ',', '%', '\r', '\n', '=', ' ', '::', 'stop-commands', '::add-mask::', '%0A', '%25', '\u2028', 'é', '\x1b[31m', '\x07', '\u202e', '\\', '\\x1b', '\\u202e') , maxLength: 40 });
    fc.assert(
      fc.property(hostile, hostile, hostile, fc.constantFrom<Severity>('critical', 'high', 'medium', 'low', 'info'), (message, name, file, severity) => {
        const r = result('rule-x', 'fail', severity, { message, subject: subject(name), location: { file, line: 3 } });
        const lines = githubReport(input([r])).split('\n');
        assert.lengthOf(lines, 2, 'one annotation line and the final newline');
        assert.strictEqual(lines[1], '');
        const m = COMMAND.exec(lines[0]);
        assert.isNotNull(m, lines[0]);
        const props = Object.fromEntries(m![2].split(',').map((p) => [p.slice(0, p.indexOf('=')), unescape(p.slice(p.indexOf('=') + 1))]));
        // The file is a path GitHub resolves: written as it is, or, when the log could not carry
        // it raw, left out with its line, never escaped into the name of another file.
        if (escapeTerminal(file) === file.replaceAll('\\', '\\\\')) {
          assert.strictEqual(props.file, file);
          assert.strictEqual(props.line, '3');
        } else assert.deepEqual([props.file, props.line], [undefined, undefined]);
        // What the runner shows is the text with its control characters made visible and its
        // backslashes doubled, as in the text report: it reads back exactly, nothing lost or forged.
        assert.strictEqual(unescape(m![3]), escapeTerminal(`${subject(name).arn}: ${message}`));
        assert.strictEqual(unescapeTerminal(unescape(m![3])), `${subject(name).arn}: ${message}`);
        // eslint-disable-next-line no-control-regex -- the point of the assertion
        assert.notMatch(lines[0], /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('github step summary', () => {
  it('counts, then a table of open violations and errors, suppressed and baselined ones counted apart', () => {
    const md = githubSummary(
      input(
        [
          result('a', 'fail', 'high', { location: { file: 'org.yaml', line: 4 } }),
          result('b', 'error', 'low'),
          result('c', 'pass', 'low'),
          result('d', 'skipped', 'low', { suppression: { kind: 'suppression', reason: 'ok' } }),
          result('e', 'fail', 'low', { suppression: { kind: 'baseline', reason: 'in baseline' } }),
        ],
        { rules: [meta('a', 'high')] },
      ),
    );
    assert.include(md, '| 1 | 2 | 1 | 1 | 1 | 1 |');
    assert.include(md, '| fail | high | a | arn:aws:cloudtrail:us-east-1:111122223333:trail/main | a fail | org.yaml:4 |');
    assert.include(md, '| error | low | b |');
    assert.notInclude(md, '| e |');
    assert.include(md, 'exit 1: violations at or above low');
  });

  it('lists expired and stale suppressions to review', () => {
    const md = githubSummary(
      input([], {
        exitCode: 0,
        suppressionNotes: {
          expired: [{ entry: { rule: 'kms-encryption', resource: '1', reason: 'r', expires: '2026-01-01', source: { file: '.trailgate.yml', line: 3, column: 5 } }, matched: 1, stillSuppressed: 0, inBaseline: 0, judged: true }],
          stale: [{ rule: 'x', resource: '2', reason: 'r' }],
        },
      }),
    );
    assert.include(md, '### Suppressions to review');
    assert.include(md, '- suppression expired on 2026-01-01 (.trailgate.yml:3:5): rule kms-encryption, resource 1; 1 result counts again');
    assert.include(md, '- stale suppression: rule x, resource 2 matches no violation or error; remove it');
    assert.include(md, 'No open violations or errors.');
  });

  it('names the config file of a suppression to review from the repository root, as the table names inventories', () => {
    const notes = { expired: [], stale: [{ rule: 'x', resource: '2', reason: 'r', source: { file: '.trailgate.yml', line: 2, column: 5 } }] };
    const md = githubSummary(input([], { exitCode: 0, suppressionNotes: notes }), { repositoryPath: (f) => (f === '.trailgate.yml' ? 'sub/.trailgate.yml' : undefined) });
    assert.include(md, '- stale suppression (sub/.trailgate.yml:2:5): rule x, resource 2');
    // A config outside the repository keeps the name it has from the working directory.
    const outside = githubSummary(input([], { exitCode: 0, suppressionNotes: notes }), { repositoryPath: () => undefined });
    assert.include(outside, '- stale suppression (.trailgate.yml:2:5): rule x, resource 2');
  });

  it('names the config file that set failOn: never as its suppression notes do, from the repository root', () => {
    const notes = { expired: [], stale: [{ rule: 'x', resource: '2', reason: 'r', source: { file: '.trailgate.yml', line: 2, column: 5 } }] };
    const md = githubSummary(input([], { exitCode: 0, failOn: 'never', failOnSource: '.trailgate.yml', suppressionNotes: notes }), {
      repositoryPath: (f) => (f === '.trailgate.yml' ? 'sub/.trailgate.yml' : undefined),
    });
    assert.include(md, 'exit 0: violations never fail this run (failOn: never in sub/.trailgate.yml)');
    assert.include(md, '- stale suppression (sub/.trailgate.yml:2:5)');
    const outside = githubSummary(input([], { exitCode: 0, failOn: 'never', failOnSource: '.trailgate.yml' }), { repositoryPath: () => undefined });
    assert.include(outside, '(failOn: never in .trailgate.yml)');
  });

  it('keeps names that differ only in their line breaks apart (a\\rb, a\\nb, a\\r\\nb)', () => {
    const cells = ['a\rb', 'a\nb', 'a\r\nb'].map(escapeMarkdown);
    assert.deepEqual(cells, ['a\\\\rb', 'a<br>b', 'a\\\\r<br>b']);
  });

  it('escapes Markdown and HTML in cells', () => {
    assert.strictEqual(escapeMarkdown('a|b `c` <img src=x> *d* [l](u) \\ &amp;\nnext'), 'a\\|b \\`c\\` &lt;img src=x&gt; \\*d\\* \\[l\\](u) \\\\\\\\ &amp;amp;<br>next');
  });

  it('doubles a backslash before adding Markdown escapes, so an ESC and a literal `\\x1b` render differently', () => {
    // Rendered, the first reads `a\x1bb` and the second `a\\x1bb`, as in the text report.
    assert.strictEqual(escapeMarkdown('a\x1bb'), 'a\\\\x1bb');
    assert.strictEqual(escapeMarkdown('a\\x1bb'), 'a\\\\\\\\x1bb');
    const md = githubSummary(input([result('r', 'fail', 'high', { subject: subject('a\x1b[2Jb') }), result('r', 'fail', 'high', { subject: subject('a\\x1b[2Jb') })]));
    const rows = md.split('\n').filter((l) => l.startsWith('| fail '));
    assert.lengthOf(rows, 2);
    assert.notStrictEqual(rows[0], rows[1]);
  });

  it('property: a cell reads back as the text it escapes (line feeds as <br>, a carriage return as \\r), whatever the text', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '|', '\\', '\\x1b', '\\u202e', '\\n', '\\r', '`', '<', '>', '&', '&lt;', '<br>', '\n', '\r\n', '\r', '*', '[', ']', '_', '~', '#', '##[', '\u001b', '\u200b', '\u{e0041}'), maxLength: 30 });
    /** What GitHub renders of a cell: Markdown's backslash escapes and the HTML entities read, then the terminal escapes. */
    const rendered = (cell: string): string =>
      cell
        .split('<br>')
        .map((line) => unescapeTerminal(line.replace(/\\([\\`*_[\]|~])|&lt;|&gt;|&amp;/g, (m, c: string | undefined) => c ?? (m === '&lt;' ? '<' : m === '&gt;' ? '>' : '&'))))
        .join('\n');
    fc.assert(
      fc.property(text, (s) => {
        assert.strictEqual(rendered(escapeMarkdown(s)), s);
      }),
      { numRuns: 500 },
    );
  });

  describe('size: GitHub refuses a step summary over 1 MiB', () => {
    const MiB = 1024 * 1024;
    const rowsOf = (md: string) => md.split('\n').filter((l) => /^\| (fail|error) \|/.test(l));
    /** The auditor's shape: 40 trails with 2,000-character names, each failing several rules whose messages repeat the name. */
    const longNames = (unit: string) =>
      Array.from({ length: 40 }, (_, t) => `t${t}-${unit.repeat(2000)}`).flatMap((name) =>
        ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'].map((id) =>
          result(id, 'fail', 'high', { subject: subject(name), message: `trail ${name} is not ${id}: ${name}`, location: { file: 'long.json', line: 1 } }),
        ),
      );

    it('cuts a cell past SUMMARY_CELL_CHARS characters, with an ellipsis and how many more there were', () => {
      const md = githubSummary(input([result('r', 'fail', 'high', { message: 'm'.repeat(SUMMARY_CELL_CHARS + 1000) }), result('s', 'fail', 'high', { message: 'k'.repeat(SUMMARY_CELL_CHARS) })]));
      assert.include(md, `| ${'m'.repeat(SUMMARY_CELL_CHARS)}… (1000 more characters) |`);
      assert.include(md, `| ${'k'.repeat(SUMMARY_CELL_CHARS)} |`, 'a cell of exactly the limit is whole');
      // Characters, not UTF-16 units: a surrogate pair is never split.
      const emoji = githubSummary(input([result('r', 'fail', 'high', { message: '😀'.repeat(SUMMARY_CELL_CHARS + 1) })]));
      assert.include(emoji, `| ${'😀'.repeat(SUMMARY_CELL_CHARS)}… (1 more character) |`);
    });

    it('keeps every row of 40 trails with 2,000-character names, each cell cut, under 1 MiB', () => {
      const results = longNames('x');
      const md = githubSummary(input(results));
      assert.isBelow(Buffer.byteLength(md, 'utf8'), MiB);
      assert.lengthOf(rowsOf(md), results.length);
      for (const row of rowsOf(md)) assert.match(row, /^\| fail \| high \| r\d \| arn:[^|]*… \(\d+ more characters\) \| trail [^|]*… \(\d+ more characters\) \| long\.json:1 \|$/);
      assert.notInclude(md, 'more not shown');
    });

    it('stops adding rows before SUMMARY_BYTES, and says how many it left out, when escaping makes the rows longer', () => {
      // Names of ESC, each shown as `\x1b` (five bytes in Markdown): the rows outgrow the budget long before 500.
      for (const unit of ['\u001b', '\u{e0041}', '😀']) {
        const results = longNames(unit);
        const md = githubSummary(input(results));
        assert.isAtMost(Buffer.byteLength(md, 'utf8'), SUMMARY_BYTES);
        const shown = rowsOf(md).length;
        assert.isAbove(shown, 0);
        assert.isBelow(shown, results.length);
        assert.include(md, `\n${results.length - shown} more not shown (a step summary must stay under 1 MiB); a JSON report (--format json, or the json input of the Action) lists them all.\n`);
      }
    });

    describe('suppressions to review are capped, and leave the table its share', () => {
      const stale = (count: number, resource: (i: number) => string) => Array.from({ length: count }, (_, i) => ({ rule: 'kms-encryption', resource: resource(i), reason: 'r', source: { file: '.trailgate.yml', line: i + 2, column: 5 } }));
      const violations = Array.from({ length: SUMMARY_ROWS + 100 }, (_, i) => result('r', 'fail', 'high', { subject: subject(`t${String(i).padStart(4, '0')}`) }));

      it('2,500 stale suppressions: a count, the first SUMMARY_NOTES, how many more, and every row of the table', () => {
        // The auditor's config: 2,500 stale entries made a 1.69 MB summary, with no violation row left.
        const md = githubSummary(input(violations, { suppressionNotes: { expired: [], stale: stale(2500, (i) => `arn:aws:cloudtrail:us-east-1:111122223333:trail/${'n'.repeat(500)}${i}`) } }));
        assert.isAtMost(Buffer.byteLength(md, 'utf8'), SUMMARY_BYTES);
        assert.include(md, '### Suppressions to review (2500)\n');
        assert.lengthOf(md.split('\n').filter((l) => l.startsWith('- stale suppression')), SUMMARY_NOTES);
        assert.include(md, `\n- ${2500 - SUMMARY_NOTES} more not shown; the text report and the run's warnings name every one.\n`);
        assert.lengthOf(rowsOf(md), SUMMARY_ROWS);
      });

      it('notes that escaping makes long stop at SUMMARY_NOTE_BYTES, and the table still gets the rest of the budget', () => {
        for (const unit of ['\u001b', '\u{e0041}', 'x']) {
          const md = githubSummary(input(longNames(unit), { suppressionNotes: { expired: [], stale: stale(2500, (i) => `${unit.repeat(5000)}${i}`) } }));
          assert.isAtMost(Buffer.byteLength(md, 'utf8'), SUMMARY_BYTES, JSON.stringify(unit));
          const notes = md.slice(md.indexOf('### Suppressions to review'), md.indexOf('### Violations and errors'));
          assert.isAtMost(Buffer.byteLength(notes, 'utf8'), SUMMARY_NOTE_BYTES + 200);
          assert.isAbove(rowsOf(md).length, 0);
          assert.match(notes, /\n- \d+ more not shown; /);
        }
      });
    });

    it('still stops at SUMMARY_ROWS rows when they are short, and says so', () => {
      const results = Array.from({ length: SUMMARY_ROWS + 7 }, (_, i) => result('r', 'fail', 'high', { subject: subject(`t${String(i).padStart(4, '0')}`) }));
      const md = githubSummary(input(results));
      assert.lengthOf(rowsOf(md), SUMMARY_ROWS);
      assert.include(md, `\n7 more not shown (the table shows at most ${SUMMARY_ROWS} rows); a JSON report (--format json, or the json input of the Action) lists them all.\n`);
    });
  });

  it('property: a hostile message stays inside its row and its cell', () => {
    const hostile = fc.string({ unit: fc.constantFrom('a', '|', '\\', '`', '<', '>', '\n', '\r', '*', '[', ']', '&', ' ', '\u001b'), maxLength: 30 });
    fc.assert(
      fc.property(hostile, (message) => {
        const md = githubSummary(input([result('rule-x', 'fail', 'high', { message })]));
        const rows = md.split('\n').filter((l) => l.startsWith('| fail '));
        assert.lengthOf(rows, 1);
        // Unescaped pipes delimit cells: six cells, seven pipes.
        const pipes = rows[0].replace(/\\\\/g, '').match(/(?<!\\)\|/g) ?? [];
        assert.lengthOf(pipes, 7, rows[0]);
        assert.notMatch(rows[0], /<(?!br>)/, 'no raw HTML but line breaks');
        assert.notInclude(rows[0], '\u001b');
      }),
      { numRuns: 300 },
    );
  });
});
