/** Speed within AWS's limits: the fake enforces 10 requests per second, trailgate stays below it. */
import { expect } from 'chai';
import { TokenBucket } from '../../src/collect/ratelimit.ts';
import { principalFor, type FakeScenario } from '../fake-aws/scenario.ts';
import { runCollect, withFake } from './harness.ts';
import { MGMT } from './world.ts';

function busyAccount(trails: number): FakeScenario {
  return {
    principals: [principalFor(MGMT)],
    accounts: [{ id: MGMT, regions: [{ name: 'us-east-1', status: 'ENABLED_BY_DEFAULT' }] }],
    trails: Array.from({ length: trails }, (_, i) => ({ account: MGMT, name: `t${i}`, homeRegion: 'us-east-1', bucket: 'b' })),
    buckets: [{ name: 'b', account: MGMT, region: 'us-east-1' }],
    keys: [],
  };
}

describe('collect: rate limits', () => {
  it('the token bucket lets a burst through, then paces to the rate', async () => {
    const bucket = new TokenBucket(20, 3);
    const t0 = performance.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 7 }, () => bucket.take().then(() => times.push(performance.now() - t0))));
    times.sort((a, b) => a - b);
    expect(times[2]).to.be.lessThan(30);
    expect(times[6]).to.be.greaterThan(170);
  });

  it('the fake endpoint throttles CloudTrail beyond 10 requests per second per account and region', async () => {
    await withFake(
      busyAccount(0),
      async (fake) => {
        const { CloudTrailClient, DescribeTrailsCommand } = await import('@aws-sdk/client-cloudtrail');
        const client = new CloudTrailClient({ region: 'us-east-1', maxAttempts: 1 });
        const results = await Promise.allSettled(Array.from({ length: 25 }, () => client.send(new DescribeTrailsCommand({}))));
        client.destroy();
        // A burst of 10, plus what refills while the 25 requests arrive.
        const ok = results.filter((r) => r.status === 'fulfilled').length;
        expect(ok).to.be.within(10, 12);
        expect(fake.calls.filter((c) => c.code === 'ThrottlingException')).to.have.length(25 - ok);
      },
      { rate: { perSecond: 10, burst: 10 } },
    );
  });

  it('a collection with 25 CloudTrail calls in one account-region is never throttled, and is paced', async () => {
    const started = performance.now();
    const { inventory, fake } = await runCollect(busyAccount(8), {}, { fake: { rate: { perSecond: 10, burst: 10, services: ['cloudtrail'] }, latencyMs: [0, 5] } });
    const seconds = (performance.now() - started) / 1000;
    const cloudtrail = fake.calls.filter((c) => c.service === 'cloudtrail');
    expect(cloudtrail).to.have.length(25);
    expect(fake.calls.filter((c) => c.status === 400 && c.code === 'ThrottlingException')).to.deep.equal([]);
    expect(inventory.errors).to.deep.equal([]);
    // 25 calls, a burst of 4, then 9 per second: at least 2.3 s.
    expect(seconds).to.be.greaterThan(2.2);
  });
});
