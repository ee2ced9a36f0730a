/**
 * The log paths of bucket-delivery beyond the owner's: an organization trail's member folders
 * (`AWSLogs/<org-id>/<account>/`) and a multi-region trail's other regions. Judged only once the
 * owner's requests are allowed, as a group: the first refused request is named, and the count.
 */
import type { TrailSubject } from '../engine/subjects.ts';
import { requestsInRegion, someOf, tellsRegionsApart, type DeliveryRequest, type DeliveryRequests } from './delivery-requests.ts';
import { denial, requestEvidence, type DeliveryFindings, type RequestEvidence } from './delivery-findings.ts';
import { describeStatement, evaluate } from './evaluate.ts';
import type { Policy } from './parse.ts';
import type { Undecided } from './undecided-requests.ts';
import type { Bounds } from './unknown-keys.ts';
import { hangsOn } from './hangs.ts';

/** Whether the bucket policy allows the log paths beyond the owner's, once the owner's are: each member's folder, each other region's logs. */
export function judgeOtherLogPaths(t: TrailSubject, policy: Policy, bounds: Bounds | undefined, built: DeliveryRequests, bucket: string, seen: RequestEvidence[], undecided: Undecided[], found: DeliveryFindings): void {
  const { evidence, reasons, passes } = found;
  if (reasons.length === 0 && built.members && built.members.length > 0 && built.memberRequest) {
    const { members, memberRequest } = built;
    const group = groupPolicy(policy, bounds, () => members.map((m) => memberRequest(m)));
    if ('policy' in group) {
      const policy = group.policy;
      // An organization trail delivers every member's logs under `AWSLogs/<org-id>/<account>/`:
      // a policy that allows only some of those folders loses the others' logs.
      const { refused, allowedBy } = judgeGroup(policy, members, (m) => [memberRequest(m)], bucket, seen, reasons);
      const n = members.length;
      evidence.organizationMembers = { checked: n, refused };
      if (refused > 1) reasons.push(`${someOf(refused, n, 'member accounts')} in the inventory are refused`);
      if (refused === 0) passes.push(`PutObject (organization path) for ${n === 1 ? 'the 1 member account' : `all ${n} member accounts`} in the inventory allowed by ${allowedBy.join(', ')}`);
    } else undecided.push(group.undecided);
  }
  if (reasons.length === 0 && t.otherRegions && namesRegion(policy)) {
    const regions = t.otherRegions;
    // An organization trail writes its members' logs of every region too, each in its folder.
    const { members, memberRequest } = built;
    const inRegion = (r: string): DeliveryRequest[] => requestsInRegion(r, built.regionRequests, members, memberRequest);
    const group = groupPolicy(policy, bounds, () => regions.flatMap(inRegion));
    if ('policy' in group) {
      const policy = group.policy;
      // A multi-region trail writes each region's logs under `.../CloudTrail/<region>/`: a policy
      // that allows only the home region's folder loses the others'.
      const { refused } = judgeGroup(policy, regions, inRegion, bucket, seen, reasons);
      const n = regions.length;
      evidence.otherRegions = { checked: n, refused };
      if (refused > 1) reasons.push(`the logs of ${someOf(refused, n, 'other regions')} the trail covers are refused`);
      if (refused === 0) passes.push(`PutObject for the logs of ${n === 1 ? 'the 1 other region' : `all ${n} other regions`} the trail covers allowed`);
    } else undecided.push(group.undecided);
  }
}

/**
 * Checks the requests of each item of a group (member accounts, other regions) until one is
 * refused; the first refused request is named in the evidence and the reasons. The caller says
 * what the count means. Returns how many items were refused, and the statements that allowed.
 */
function judgeGroup<T>(
  policy: Policy,
  items: readonly T[],
  requestsOf: (item: T) => DeliveryRequest[],
  bucket: string,
  seen: RequestEvidence[],
  reasons: string[],
): { refused: number; allowedBy: string[] } {
  let refused = 0;
  const allowedBy = new Set<string>();
  for (const item of items) {
    for (const r of requestsOf(item)) {
      const d = evaluate(policy, r.request);
      if (d.decision === 'allow') {
        allowedBy.add(describeStatement(d.statement!));
        continue;
      }
      if (refused++ === 0) {
        // The evidence names every statement that applies, so the one refused request is judged again for them.
        seen.push(requestEvidence(r, evaluate(policy, r.request, true)));
        reasons.push(denial(bucket, r, d));
      }
      break;
    }
  }
  return { refused, allowedBy: [...allowedBy].sort() };
}

const regionNamed = new WeakMap<Policy, boolean>();

/**
 * Whether some Resource or NotResource of the policy is region-specific. Only then can the
 * policy answer one region's PutObject differently from another's (the request context is the
 * same for every region), so only then are the other regions of a multi-region trail checked:
 * most policies grant `AWSLogs/<account>/*`, and an organization of 10,000 accounts would pay 16
 * more evaluations per trail for nothing. Once per parsed policy.
 */
function namesRegion(policy: Policy): boolean {
  let named = regionNamed.get(policy);
  if (named === undefined) {
    named = policy.statements.some((st) => st.resourceText.some(tellsRegionsApart));
    regionNamed.set(policy, named);
  }
  return named;
}

/**
 * The policy to judge a group of PutObject requests (the members' folders, the other regions')
 * on. With no value unknown, the policy itself. Otherwise: refused whatever the values, judged on
 * the most they could allow; allowed whatever they are, on the least; else the first request
 * whose decision hangs on them, and the statements it hangs on.
 */
function groupPolicy(policy: Policy, bounds: Bounds | undefined, requests: () => DeliveryRequest[]): { policy: Policy } | { undecided: Undecided } {
  if (!bounds) return { policy };
  const all = requests();
  if (all.some((r) => evaluate(bounds.most, r.request).decision !== 'allow')) return { policy: bounds.most };
  const r = all.find((x) => evaluate(bounds.least, x.request).decision !== 'allow');
  return r === undefined ? { policy: bounds.least } : { undecided: { r, hangs: hangsOn(bounds, r.request) } };
}
