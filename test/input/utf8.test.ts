/** Input files are UTF-8: anything else is refused where its first bad byte is, never silently mangled. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { decodeUtf8 } from '../../src/input/utf8.ts';
import type { InputError } from '../../src/errors.ts';
import { inputErrorOf } from '../helpers/input-error.ts';
import { cli, tempDir } from '../helpers/cli.ts';

function refusal(bytes: Buffer): InputError {
  return inputErrorOf(() => decodeUtf8(bytes, 'f.yaml'));
}

describe('UTF-8 input', () => {
  it('decodes any well-formed text unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        expect(decodeUtf8(Buffer.from(s, 'utf8'), 'f.yaml')).to.equal(s);
      }),
    );
  });

  it('refuses a byte that is no UTF-8 character, at its line and column, whether or not the file starts with a BOM', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z :]{0,12}$/), { minLength: 1, maxLength: 6 }), fc.nat(), fc.constantFrom(0xe9, 0xff, 0x80, 0xc3), fc.boolean(), (lines, pick, bad, bom) => {
        const line = pick % lines.length;
        // A byte order mark is not shown by editors, so it takes no column.
        const before = Buffer.from((bom ? '\ufeff' : '') + lines.slice(0, line).map((l) => `${l}\n`).join('') + lines[line], 'utf8');
        // 0xc3 opens a two-byte character; followed by "x" it is cut short, which is just as bad.
        const bytes = Buffer.concat([before, Buffer.from([bad]), Buffer.from('x\nnext\n')]);
        const e = refusal(bytes);
        expect(e.position).to.include({ file: 'f.yaml', line: line + 1, column: lines[line].length + 1 });
        expect(e.message).to.match(/^the file is not UTF-8 text: a byte here is not part of any UTF-8 character/);
      }),
    );
  });

  it('counts a lone CR (classic Mac OS line ends) as a line end, as the parsers do', () => {
    expect(refusal(Buffer.concat([Buffer.from('a: 1\rb: 2\r\nc: '), Buffer.from([0xe9])])).position).to.include({ line: 3, column: 4 });
  });

  it('names UTF-16, the encoding an editor on Windows may have chosen', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('version: 1\n', 'utf16le')]);
    expect(refusal(bytes).message).to.equal('the file is not UTF-8 text: it looks like UTF-16; save it as UTF-8');
  });

  // Without a byte order mark, UTF-16 and UTF-32 text of ASCII is valid UTF-8 full of NUL bytes:
  // it was reported as a JSON syntax error or "not a mapping". UTF-32 with its mark was called UTF-16.
  it('names UTF-16 and UTF-32, with and without a byte order mark, and refuses a NUL byte in UTF-8 text', () => {
    const utf32le = (s: string) => Buffer.concat([...s].map((ch) => { const b = Buffer.alloc(4); b.writeUInt32LE(ch.codePointAt(0)!); return b; }));
    const utf32be = (s: string) => Buffer.concat([...s].map((ch) => { const b = Buffer.alloc(4); b.writeUInt32BE(ch.codePointAt(0)!); return b; }));
    const text = '{"version": 1, "accounts": []}\n';
    const cases: [string, Buffer, string, number, number][] = [
      ['UTF-32LE with its mark', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le(text)]), 'it looks like UTF-32; save it as UTF-8', 1, 1],
      ['UTF-32BE with its mark', Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32be(text)]), 'it looks like UTF-32; save it as UTF-8', 1, 1],
      ['UTF-16LE without a mark', Buffer.from(text, 'utf16le'), 'it looks like UTF-16; save it as UTF-8', 1, 1],
      ['UTF-32BE without a mark', utf32be(text), 'it looks like UTF-32; save it as UTF-8', 1, 1],
      ['one NUL in UTF-8 text', Buffer.from('version: 1\nx: a\0b\n'), 'a NUL byte here, which JSON and YAML text never holds; save the file as UTF-8 text', 2, 5],
    ];
    for (const [name, bytes, why, line, column] of cases) {
      const e = refusal(bytes);
      expect(e.message, name).to.equal(`the file is not UTF-8 text: ${why}`);
      expect(e.position, name).to.include({ line, column });
    }
  });

  it('stops a scan of a Latin-1 inventory with exit 2 at the bad byte', async () => {
    const dir = tempDir();
    const text = 'version: 1\naccounts:\n  - accountId: "111122223333"\n    regions: [us-east-1]\n    trails:\n      - Trail: { Name: caf\u00e9, TrailARN: "arn:aws:cloudtrail:us-east-1:111122223333:trail/t" }\n';
    writeFileSync(join(dir, 'inv.yaml'), Buffer.from(text, 'latin1'));
    const r = await cli(['scan', '--snapshot', 'inv.yaml'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.equal('trailgate: inv.yaml:6:27: the file is not UTF-8 text: a byte here is not part of any UTF-8 character; save the file as UTF-8\n');
    // Standard input is no file to save.
    expect(() => decodeUtf8(Buffer.from('{"a":"\xe9"}', 'latin1'), '<stdin>')).to.throw(
      'standard input is not UTF-8 text: a byte here is not part of any UTF-8 character; convert it to UTF-8 (iconv -t UTF-8) before piping it in',
    );
    expect(() => decodeUtf8(Buffer.from('{"a":"b\0"}'), '<stdin>')).to.throw('standard input is not UTF-8 text: a NUL byte here, which JSON and YAML text never holds; pipe in UTF-8 text');
    expect(() => decodeUtf8(Buffer.from('\ufeff{"a":1}', 'utf16le'), '<stdin>')).to.throw('standard input is not UTF-8 text: it looks like UTF-16; convert it to UTF-8 (iconv -t UTF-8) before piping it in');
  });

  it('places the bad byte in the same column of line 1 with a BOM as without, in JSON and YAML', async () => {
    const dir = tempDir();
    const json = '{"version": 1, "accounts": [], "x": "caf\u00e9"}';
    const yaml = 'x: caf\u00e9\nversion: 1\n';
    for (const [name, text, column] of [['inv.json', json, 41], ['inv.yaml', yaml, 7]] as const) {
      for (const bom of [Buffer.alloc(0), Buffer.from([0xef, 0xbb, 0xbf])]) {
        writeFileSync(join(dir, name), Buffer.concat([bom, Buffer.from(text, 'latin1')]));
        const r = await cli(['scan', '--snapshot', name], { cwd: dir });
        expect(r.stderr, `${name}, BOM ${bom.length > 0}`).to.match(new RegExp(`^trailgate: ${name.replace('.', '\\.')}:1:${column}: the file is not UTF-8 text`));
      }
    }
  });
});
