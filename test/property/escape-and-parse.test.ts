/**
 * Property tests for what handles untrusted text: terminal escaping, and the inventory parsers,
 * which must turn any input into either an inventory or a located InputError, never a crash.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { InputError } from '../../src/errors.ts';
import { parseJsonFast, parseYaml } from '../../src/input/document.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { escapeTerminal, jsonWithoutCommands } from '../../src/report/escape.ts';
import { xmlEscape } from '../../src/report/xml.ts';

/** The characters a terminal must never receive raw: what README's "text" report promises to escape. */
// eslint-disable-next-line no-control-regex, no-misleading-character-class -- asserting the absence of control characters
const RAW = /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\u3164\ud800-\udfff\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\ufffe\uffff\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0000}-\u{e0fff}]/u;

/**
 * Strings rich in what breaks terminals: controls, escapes, bidi controls, separators, the
 * invisible characters that make two names print alike, tag characters (astral), and a
 * literal backslash sequence that looks like an escape.
 */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\x1b', '\x1b[2J', '\x9b', '\r', '\n', '\t', '\x00', '\x7f', '\u202e', '\u2066', '\u2028', '\ufeff', '\\', '%', 'a', 'é', '😀', '#', '##[', '['),
    fc.constantFrom('\u00ad', '\u061c', '\u180e', '\u200b', '\u200d', '\u200e', '\u200f', '\u2060', '\u2064', '\u{e0001}', '\u{e0041}', '\u{e007f}', '\\u{e0041}', '\\u200b', '👨\u200d👩', '\ud800', '\udfff', '\ud83d', '\ufffd'),
    fc.constantFrom('\u034f', '\u115f', '\u1160', '\u17b4', '\u3164', '\ufe00', '\ufe0f', '\uffa0', '\u{e0100}', '\u{e01ef}', '❤\ufe0f'),
    fc.string({ unit: 'binary', maxLength: 1 }),
  ),
  maxLength: 40,
});

/** Undoes escapeTerminal as README describes it; exact, because a backslash is escaped too. */
function unescape(out: string): string {
  return out.replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|u\{[0-9a-f]+\}|n|r|t|\\)/g, (_m, e: string) =>
    e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === '\\' ? '\\' : String.fromCodePoint(parseInt(e.replace(/^[xu]\{?|\}$/g, ''), 16)),
  );
}

describe('terminal escaping', () => {
  it('leaves no control, separator or bidi character, and nothing else changes', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = escapeTerminal(s);
        expect(out).to.not.match(RAW);
        // Nor the Actions runner's older workflow-command prefix.
        expect(out).to.not.include('##[');
        // Escaping is reversible, so nothing is lost or forged.
        expect(unescape(out)).to.equal(s);
      }),
      { numRuns: 500 },
    );
  });

  // Each Bidi_Control character and each invisible format character, by its visible escape:
  // BMP characters as \uXXXX (\xXX up to U+00FF), tag characters as \u{XXXXX}.
  const table: [string, string][] = [
    ['\u00ad', '\\xad'], // soft hyphen
    ['\u061c', '\\u061c'], // Arabic letter mark
    ['\u180e', '\\u180e'], // Mongolian vowel separator
    ['\u200b', '\\u200b'], // zero-width space
    ['\u200c', '\\u200c'], // zero-width non-joiner
    ['\u200d', '\\u200d'], // zero-width joiner
    ['\u200e', '\\u200e'], // left-to-right mark
    ['\u200f', '\\u200f'], // right-to-left mark
    ['\u202a', '\\u202a'],
    ['\u202e', '\\u202e'],
    ['\u2060', '\\u2060'], // word joiner
    ['\u2061', '\\u2061'],
    ['\u2062', '\\u2062'],
    ['\u2063', '\\u2063'],
    ['\u2064', '\\u2064'], // invisible plus
    ['\u2066', '\\u2066'],
    ['\u2069', '\\u2069'],
    ['\ufeff', '\\ufeff'],
    // Default-ignorable characters that print as nothing, or as a blank, after a letter.
    ['\u034f', '\\u034f'], // combining grapheme joiner
    ['\u115f', '\\u115f'], // Hangul choseong filler
    ['\u1160', '\\u1160'], // Hangul jungseong filler
    ['\u17b4', '\\u17b4'], // Khmer vowel inherent aq
    ['\u17b5', '\\u17b5'],
    ['\u3164', '\\u3164'], // Hangul filler
    ['\ufe00', '\\ufe00'], // variation selector-1
    ['\ufe0f', '\\ufe0f'], // variation selector-16 (emoji presentation)
    ['\uffa0', '\\uffa0'], // halfwidth Hangul filler
    ['\u{e0100}', '\\u{e0100}'], // variation selector-17
    ['\u{e01ef}', '\\u{e01ef}'], // variation selector-256
    ['\u180b', '\\u180b'], // Mongolian free variation selector one
    ['\u180d', '\\u180d'],
    ['\u180f', '\\u180f'], // Mongolian free variation selector four
    ['\u2065', '\\u2065'], // reserved, default-ignorable
    ['\u206a', '\\u206a'], // inhibit symmetric swapping (deprecated format character)
    ['\u206f', '\\u206f'], // nominal digit shapes
    ['\ufff0', '\\ufff0'], // reserved, default-ignorable
    ['\ufff8', '\\ufff8'],
    ['\ufffe', '\\ufffe'], // a noncharacter, printed as a replacement mark
    ['\uffff', '\\uffff'],
    ['\u{1bca0}', '\\u{1bca0}'], // shorthand format letter overlap
    ['\u{1bca3}', '\\u{1bca3}'], // shorthand format up step
    ['\u{1d173}', '\\u{1d173}'], // musical symbol begin beam
    ['\u{1d17a}', '\\u{1d17a}'], // musical symbol end phrase
    ['\u{e0080}', '\\u{e0080}'], // reserved, default-ignorable
    ['\u{e01f0}', '\\u{e01f0}'],
    ['\u{e0fff}', '\\u{e0fff}'],
    ['\u{e0000}', '\\u{e0000}'],
    ['\u{e0001}', '\\u{e0001}'], // language tag
    ['\u{e0041}', '\\u{e0041}'], // tag latin capital letter A
    ['\u{e007f}', '\\u{e007f}'], // cancel tag
    ['\ud800', '\\ud800'], // a lone high surrogate (an encoder would print U+FFFD)
    ['\udfff', '\\udfff'], // a lone low surrogate
  ];
  it('shows a lone surrogate and U+FFFD differently, and leaves a surrogate pair (an emoji) alone', () => {
    expect(escapeTerminal('a\ud800b')).to.not.equal(escapeTerminal('a\ufffdb'));
    expect(escapeTerminal('a\ufffdb')).to.equal('a\ufffdb');
    expect(escapeTerminal('😀\ud83d')).to.equal('😀\\ud83d');
  });

  for (const [c, shown] of table) {
    it(`shows U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} as ${shown}`, () => {
      expect(escapeTerminal(`pro${c}d`)).to.equal(`pro${shown}d`);
    });
  }

  it('leaves the neighbours of those ranges alone', () => {
    for (const c of ['\u00ac', '\u00ae', '\u034e', '\u0350', '\u061b', '\u061d', '\u115e', '\u1161', '\u17b3', '\u17b6', '\u180a', '\u1810', '\u200a', '\u2010', '\u205f', '\u2070', '\u3163', '\u3165', '\ufdff', '\ufe10', '\ufefe', '\uff9f', '\uffa1', '\ufff9', '\ufffd', '\u{1bc9f}', '\u{1bca4}', '\u{1d172}', '\u{1d17b}', '\u{dffff}', '\u{e1000}', '😀']) {
      expect(escapeTerminal(c), `U+${c.codePointAt(0)!.toString(16)}`).to.equal(c);
    }
  });

  // Unicode's own list of what prints as nothing: with any one left raw, `prod` and `pro<it>d`
  // print alike. The JSON and XML escapes share the list (INVISIBLE_CLASS).
  it('shows every Default_Ignorable_Code_Point, in the terminal, JSON and XML escapes alike', () => {
    const invisible = /\p{Default_Ignorable_Code_Point}/u;
    const raw: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (!invisible.test(c)) continue;
      const s = `pro${c}d`;
      if (escapeTerminal(s) === s || jsonWithoutCommands(JSON.stringify(s)).includes(c) || xmlEscape(s).includes(c)) raw.push(`U+${cp.toString(16).toUpperCase()}`);
    }
    expect(raw).to.deep.equal([]);
  });

  it('keeps plain text as it is', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '/', ':', ' ', 'é') }), (s) => {
      expect(escapeTerminal(s)).to.equal(s);
    }));
  });
});

describe('parsers', () => {
  function onlyInputErrors(run: () => unknown): void {
    try {
      run();
    } catch (e) {
      expect(e, String(e)).to.be.instanceOf(InputError);
      const p = (e as InputError).position;
      expect(p?.file).to.equal('f');
      if (p?.line !== undefined) expect(p.line).to.be.at.least(1);
      if (p?.column !== undefined) expect(p.column).to.be.at.least(1);
    }
  }

  it('any text becomes an inventory or a located InputError', () => {
    const yamlish = fc.string({ unit: fc.constantFrom('version: 1\n', 'accounts:', ' - ', '[', ']', '{', '}', '"', "'", ':', '&a', '*a', '\n', '  ', 'x', '1', '#', '!!str', '\t') });
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string(), fc.json()), (text) => onlyInputErrors(() => parseInventory(text, 'f'))),
      { numRuns: 400 },
    );
  });

  it('JSON and YAML readings of valid JSON agree', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v, null, 1);
        expect(parseJsonFast(text, 'f')).to.deep.equal(JSON.parse(text));
        // YAML reads JSON too (yaml maps -0 to 0 and is otherwise the same).
        expect(JSON.stringify(parseYaml(text === '' ? 'null' : text, 'f').value)).to.equal(JSON.stringify(JSON.parse(text)));
      }),
      { numRuns: 200 },
    );
  });

  it('YAML keys are the text written, however written: the object JSON would give, or a repeated key refused where it repeats', () => {
    // Texts YAML would otherwise read as numbers, booleans or null, beside plain names.
    const text = fc.oneof(fc.constantFrom('123456', '0123', '0x10', '1e3', '1.0', '1', '.inf', 'null', '~', 'true', 'False', 'b1'), fc.string({ unit: fc.constantFrom('0', '1', 'a', 'e', '.', '-'), minLength: 1, maxLength: 4 }));
    const key = fc.record({ text, style: fc.constantFrom('plain', 'single', 'double') });
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 4 }), (keys) => {
        // A plain scalar cannot start with "-" or "." followed by nothing YAML reads as a name; quote those.
        const written = keys.map(({ text: t, style }) => (style === 'double' || (style === 'plain' && /^[-.]/.test(t)) ? JSON.stringify(t) : style === 'single' ? `'${t}'` : t));
        const yaml = written.map((w, i) => `${w}: ${i}\n`).join('');
        const texts = keys.map((k) => k.text);
        const again = texts.findIndex((t, i) => texts.indexOf(t) !== i);
        if (again < 0) {
          expect(parseYaml(yaml, 'f').value).to.deep.equal(Object.fromEntries(texts.map((t, i) => [t, i])));
        } else {
          try {
            parseYaml(yaml, 'f');
            expect.fail(`accepted ${JSON.stringify(yaml)}`);
          } catch (e) {
            expect(e, String(e)).to.be.instanceOf(InputError);
            expect((e as InputError).message).to.match(/^invalid YAML: the key .* is repeated in one mapping/);
            expect((e as InputError).position?.line).to.equal(again + 1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('malformed JSON is located at a real line of the text: for a text cut short, the line it stops on', () => {
    // fc.json() is written on one line, where every line is line 1: indented JSON spans many.
    const written = fc.oneof(fc.json(), fc.jsonValue().map((v) => JSON.stringify(v, null, 1)));
    fc.assert(
      fc.property(written, fc.nat(), (json, cut) => {
        const text = json.slice(0, cut % Math.max(json.length, 1));
        try {
          JSON.parse(text);
          return;
        } catch {
          // the property is about texts JSON.parse rejects
        }
        try {
          parseJsonFast(text, 'f');
          expect.fail('accepted malformed JSON');
        } catch (e) {
          expect(e).to.be.instanceOf(InputError);
          // A prefix of valid JSON goes wrong only where it stops: at its last token, whose line is
          // that of the last character but JSON's white space (or line 1 of an empty text).
          const last = text.replace(/[ \t\n\r]+$/, '').split('\n').length;
          expect((e as InputError).position?.line, JSON.stringify(text)).to.equal(last);
        }
      }),
      { numRuns: 300 },
    );
  });
});
