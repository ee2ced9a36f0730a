import { expect } from 'chai';
import { hoursBetween } from '../../src/engine/facts.ts';
import { parseStatusTime, parseTimestamp } from '../../src/input/timestamp.ts';

describe('timestamps', () => {
  let tz: string | undefined;
  // A machine far from UTC: a zoneless time read as local time would be 9 hours off.
  beforeEach(() => {
    tz = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
  });
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  const cases: [string, number | undefined][] = [
    ['2026-11-20T02:00:00Z', Date.UTC(2026, 10, 20, 2)],
    ['2026-11-20T02:00:00', Date.UTC(2026, 10, 20, 2)],
    ['2026-11-20 02:00:00.250', Date.UTC(2026, 10, 20, 2, 0, 0, 250)],
    ['2026-11-20T11:00:00+09:00', Date.UTC(2026, 10, 20, 2)],
    ['2026-11-20', Date.UTC(2026, 10, 20)],
    ['1795658400', Date.UTC(2026, 10, 26, 2)],
    ['2025-02-29T00:00:00Z', undefined],
    // Epoch seconds no date has (JavaScript's dates end at 8.64e15 ms): not a moment far in the future.
    ['100000000000000000000', undefined],
    ['8640000000000', 8.64e15],
    ['8640000000001', undefined],
    ['Nov 20 2026 02:00', undefined],
    // A year and month says nothing of a delivery's age (IAM accepts it in Date conditions only).
    ['2026-11', undefined],
    ['', undefined],
  ];
  for (const [text, ms] of cases) {
    it(`reads ${JSON.stringify(text)} the same on every machine`, () => {
      expect(parseTimestamp(text)).to.equal(ms);
    });
  }

  // Past year 9999 is no time a trail status holds (milliseconds given as seconds); a policy condition keeps it.
  it('reads a status time only up to the end of year 9999', () => {
    expect(parseStatusTime('253402300799')).to.equal(Date.UTC(9999, 11, 31, 23, 59, 59));
    expect(parseStatusTime('253402300800')).to.equal(undefined);
    expect(parseStatusTime('1772366400000')).to.equal(undefined);
    expect(parseTimestamp('1772366400000')).to.equal(1772366400000000);
  });

  it('measures a delivery age in hours between a zoneless delivery time and collectedAt', () => {
    expect(hoursBetween('2026-11-19T02:00:00', '2026-11-20T02:00:00Z')).to.equal(24);
    expect(hoursBetween('2026-11-19T02:00:01', '2026-11-20T02:00:00Z')).to.be.below(24);
    expect(hoursBetween('yesterday', '2026-11-20T02:00:00Z')).to.equal(undefined);
  });
});
