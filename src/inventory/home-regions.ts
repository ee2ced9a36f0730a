/**
 * A trail's HomeRegion and the region its TrailARN names are one: CloudTrail makes a trail's ARN
 * in the region the trail is created in, its home, and DescribeTrails answers both from it. A
 * hand-written inventory can set them apart, and the trail would then be judged and counted in a
 * region its ARN denies: refused at the HomeRegion, as a slip of the file.
 */
import { gathered, InputError, type InputPosition } from '../errors.ts';
import { PROBLEMS_SHOWN } from '../input/schema-errors.ts';
import type { Inventory } from './types.ts';

export function checkHomeRegions(inv: Inventory, at: (pointer: string) => InputPosition): void {
  const problems: InputError[] = [];
  let more = 0;
  inv.accounts.forEach((account, i) =>
    account.trails.forEach((entry, j) => {
      const { HomeRegion: home, TrailARN: arn } = entry.Trail;
      if (home === undefined || sameRegion(arn, home)) return;
      const arnRegion = arn.split(':')[3];
      if (problems.length === PROBLEMS_SHOWN) {
        more++;
        return;
      }
      const message = `invalid inventory: HomeRegion ${home} is not the region of the TrailARN, ${arnRegion ?? ''}: a trail's ARN names the region it was created in, its home region`;
      problems.push(new InputError(message, at(`/accounts/${i}/trails/${j}/Trail/HomeRegion`)));
    }),
  );
  if (problems.length > 0) throw gathered(problems, more);
}

/** Whether the ARN's region (its fourth field) is `region`, without splitting it: this runs for every trail. */
function sameRegion(arn: string, region: string): boolean {
  let at = -1;
  for (let i = 0; i < 3; i++) {
    at = arn.indexOf(':', at + 1);
    if (at < 0) return false;
  }
  return arn.startsWith(region, at + 1) && arn.charCodeAt(at + 1 + region.length) === 58; // ':'
}
