/** Writing reports: whole or not at all, in order, and bad targets named. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { batched, writeAtomically, writeStreamAtomically } from '../../src/cli/formats.ts';
import { InputError } from '../../src/errors.ts';
import { tempDir } from '../helpers/cli.ts';

function* failingAfter(first: string[]): Generator<string> {
  yield* first;
  throw new Error('the report broke half-way');
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('report files', () => {
  it('streams chunks to the file in order, byte for byte (any text)', async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 20 }), async (chunks) => {
        await writeStreamAtomically(dir, 'r.json', chunks);
        expect(readFileSync(join(dir, 'r.json'), 'utf8')).to.equal(Buffer.from(chunks.join(''), 'utf8').toString('utf8'));
      }),
      { numRuns: 60 },
    );
    expect(readdirSync(dir)).to.deep.equal(['r.json']);
  });

  it('writes chunks larger than one write at a time completely', async () => {
    const dir = tempDir();
    const big = ['a'.repeat(3 << 20), 'é'.repeat(1 << 20), 'z'];
    await writeStreamAtomically(dir, 'big.txt', big);
    expect(readFileSync(join(dir, 'big.txt'), 'utf8')).to.equal(big.join(''));
  });

  it('creates missing directories', async () => {
    const dir = tempDir();
    await writeStreamAtomically(dir, 'a/b/r.xml', ['<x/>']);
    writeAtomically(dir, 'c/d/r.xml', '<y/>');
    expect(readFileSync(join(dir, 'a/b/r.xml'), 'utf8')).to.equal('<x/>');
    expect(readFileSync(join(dir, 'c/d/r.xml'), 'utf8')).to.equal('<y/>');
  });

  it('keeps the previous report, and leaves no temporary file, when making the new one fails', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'r.sarif'), 'previous');
    const streamed = await rejection(writeStreamAtomically(dir, 'r.sarif', failingAfter(['new', 'er'])));
    expect(streamed).to.be.instanceOf(InputError);
    expect((streamed as Error).message).to.contain('the report broke half-way');
    expect(() => writeAtomically(dir, 'r.sarif', failingAfter(['new']))).to.throw(InputError, 'half-way');
    expect(readFileSync(join(dir, 'r.sarif'), 'utf8')).to.equal('previous');
    expect(readdirSync(dir)).to.deep.equal(['r.sarif']);
  });

  it('names the file it cannot write, with the system error code', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'taken.json'));
    const streamed = await rejection(writeStreamAtomically(dir, 'taken.json', ['{}']));
    expect(streamed).to.be.instanceOf(InputError);
    expect((streamed as InputError).message).to.match(/cannot write the report: E[A-Z]+/);
    expect((streamed as InputError).describe()).to.match(/^taken\.json: cannot write the report/);
    expect(() => writeAtomically(dir, 'taken.json', '{}')).to.throw(InputError, /cannot write the report: E[A-Z]+/);
    expect(readdirSync(dir)).to.deep.equal(['taken.json']);
  });
});

describe('batched', () => {
  it('joins chunks into writes of about the given size without losing or reordering text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 50 })), fc.integer({ min: 1, max: 200 }), (chunks, size) => {
        const out = [...batched(chunks, size)];
        expect(out.join('')).to.equal(chunks.join(''));
        // Every batch but the last reached the size; none is empty.
        for (const b of out.slice(0, -1)) expect(b.length).to.be.at.least(size);
        if (out.length > 0) expect(out[out.length - 1].length).to.be.greaterThan(0);
      }),
    );
  });
});
