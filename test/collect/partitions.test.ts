import { expect } from 'chai';
import { InputError } from '../../src/errors.ts';
import { checkOptions } from '../../src/collect/options.ts';
import { unauditedRegion } from '../../src/collect/partitions.ts';

describe('regions of partitions trailgate does not audit', () => {
  it('are named by their partition; regions of the audited ones and unknown prefixes are not', () => {
    const cases: [string, string | undefined][] = [
      ['eusc-de-east-1', 'aws-eusc'],
      ['us-iso-east-1', 'aws-iso'],
      ['us-isob-east-1', 'aws-iso-b'],
      ['eu-isoe-west-1', 'aws-iso-e'],
      ['us-isof-south-1', 'aws-iso-f'],
      ['us-east-1', undefined],
      ['us-gov-west-1', undefined],
      ['cn-north-1', undefined],
      ['mx-central-1', undefined],
      // A partition's prefix is the start of the name, not any part of it.
      ['mx-eusc-1', undefined],
    ];
    for (const [region, partition] of cases) {
      const said = unauditedRegion(region);
      if (partition === undefined) expect(said, region).to.equal(undefined);
      else expect(said, region).to.equal(`"${region}" is a region of the AWS partition ${partition}, which trailgate does not support; it audits aws, aws-us-gov, aws-cn`);
    }
  });

  it('--region refuses one with that reason, before calling it no region name', () => {
    expect(() => checkOptions({ regions: ['us-east-1', 'eusc-de-east-1'] })).to.throw(InputError, /^--region: "eusc-de-east-1" is a region of the AWS partition aws-eusc, which trailgate does not support/);
    expect(() => checkOptions({ regions: ['us-east1'] })).to.throw(InputError, /^--region: "us-east1" is not an AWS region name$/);
    expect(() => checkOptions({ regions: ['us-gov-west-1', 'cn-north-1'] })).not.to.throw();
  });
});
