/** Speed within AWS's limits: the fake enforces 10 requests per second, trailgate stays below it. */
import { expect } from 'chai';
import { DEFAULTS } from '../../src/collect/options.ts';
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
  it('the token bucket lets a burst through, then lets through only what the clock has refilled', async () => {
    // The bucket reads a clock the test moves: the verdicts are the same however loaded the machine.
    let clock = 0;
    const bucket = new TokenBucket(20, 3, () => clock);
    let served = 0;
    const all = Promise.all(Array.from({ length: 7 }, () => bucket.take().then(() => served++)));
    const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      await settle(0);
      expect(served, 'the burst').to.equal(3);
      await settle(120);
      expect(served, 'no time has passed: nothing refilled').to.equal(3);
      clock += 50; // one token at 20 per second
      await settle(120);
      expect(served, 'after 50 ms').to.equal(4);
      clock += 150; // three more
      await all;
      expect(served).to.equal(7);
    } finally {
      // On a failed expectation, let the waiting calls through, so no timer outlives the test.
      clock += 1e6;
      await all;
    }
  });

  it('the fake endpoint throttles CloudTrail beyond 10 requests per second per account and region', async () => {
    await withFake(
      busyAccount(0),
      async (fake) => {
        const { CloudTrailClient, DescribeTrailsCommand } = await import('@aws-sdk/client-cloudtrail');
        const client = new CloudTrailClient({ region: 'us-east-1', maxAttempts: 1 });
        const results = await Promise.allSettled(Array.from({ length: 25 }, () => client.send(new DescribeTrailsCommand({}))));
        client.destroy();
        // The fake's clock stands still, so nothing refills: exactly the burst of 10 gets through.
        expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(10);
        expect(fake.calls.filter((c) => c.code === 'ThrottlingException')).to.have.length(15);
      },
      { rate: { perSecond: 10, burst: 10 }, now: () => 0 },
    );
  });

  it('a collection with 25 CloudTrail calls in one account-region is never throttled, and is paced', async () => {
    // The pace itself is the token bucket's, tested on a clock the test moves (above); here, that
    // collect's calls go through it at a rate below AWS's: no timing of the run (bench/ measures speed).
    expect(DEFAULTS.requestsPerSecond, 'below CloudTrail\'s 10 per second').to.be.below(10);
    expect(DEFAULTS.burst).to.be.at.most(10);
    const { inventory, fake } = await runCollect(busyAccount(8), {}, { fake: { rate: { perSecond: 10, burst: 10, services: ['cloudtrail'] }, latencyMs: [0, 5] } });
    const cloudtrail = fake.calls.filter((c) => c.service === 'cloudtrail');
    expect(cloudtrail).to.have.length(25);
    expect(fake.calls.filter((c) => c.status === 400 && c.code === 'ThrottlingException')).to.deep.equal([]);
    expect(inventory.errors).to.deep.equal([]);
  });
});
