/** DescribeTrails entries held to the inventory format's own shape of a trail (schemas/inventory.schema.json). */
import { expect } from 'chai';
import { trailShapeProblem } from '../../src/collect/shapes.ts';

const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main';

describe('trailShapeProblem', () => {
  const cases: [string, Record<string, unknown>, string | undefined][] = [
    ['a trail as AWS answers it', { Name: 'main', TrailARN: ARN, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, KmsKeyId: 'alias/x' }, undefined],
    ['a field the schema does not name', { TrailARN: ARN, SomethingNew: [1, 2] }, undefined],
    ['a HomeRegion that is no region name', { TrailARN: ARN, HomeRegion: 'evil.example#' }, 'a trail whose HomeRegion is not of the form the inventory format gives it'],
    ['a TrailARN of another service', { TrailARN: 'arn:aws:s3:::bucket' }, 'a trail whose TrailARN is not of the form the inventory format gives it'],
    ['a flag that is text', { TrailARN: ARN, IsMultiRegionTrail: 'true' }, 'a trail whose IsMultiRegionTrail is not a boolean'],
    ['a name that is a number', { TrailARN: ARN, Name: 7 }, 'a trail whose Name is not a string'],
  ];
  for (const [name, trail, problem] of cases) {
    it(`${problem === undefined ? 'takes' : 'refuses'} ${name}`, () => {
      expect(trailShapeProblem(trail as never)).to.equal(problem);
    });
  }

  it('never quotes the value (an endpoint\'s text may quote the request)', () => {
    expect(trailShapeProblem({ TrailARN: ARN, HomeRegion: 'x-amz-security-token SECRET' })).to.not.include('SECRET');
  });
});
