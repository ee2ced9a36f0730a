/** STS (query), EC2 DescribeRegions (EC2 query), Account ListRegions (REST-JSON), Organizations (JSON 1.1). */
import { accessDenied, awsError, ec2Ok, jsonOk, queryOk, xml, type Reply } from './protocol.ts';
import type { FakeRequest, World } from './world.ts';

/** Handles one STS request. */
export function sts(world: World, req: FakeRequest): Reply {
  const p = req.params;
  if (req.operation === 'GetCallerIdentity') {
    return queryOk('GetCallerIdentity', { Arn: req.principalArn, UserId: `AIDAFAKE${req.account}`, Account: req.account });
  }
  if (req.operation === 'AssumeRole') {
    const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(String(p.RoleArn ?? ''));
    const target = m ? world.account(m[1]) : undefined;
    const role = target?.roles?.find((r) => r.name === m?.[2]);
    const trusted = role !== undefined && role.trustedAccounts.includes(req.account) && (role.externalId === undefined || role.externalId === p.ExternalId);
    if (!m || !trusted) {
      return awsError('sts', 403, 'AccessDenied', `User: ${req.principalArn} is not authorized to perform: sts:AssumeRole on resource: ${String(p.RoleArn)}`);
    }
    const session = String(p.RoleSessionName ?? 'session');
    const arn = `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${session}`;
    const c = world.issue(m[1], arn);
    return queryOk('AssumeRole', {
      Credentials: { AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken, Expiration: new Date(Date.now() + (world.scenario.roleSessionSeconds ?? 3600) * 1000).toISOString() },
      AssumedRoleUser: { AssumedRoleId: `AROAFAKE:${session}`, Arn: arn },
    });
  }
  return awsError('sts', 400, 'InvalidAction', `${req.operation} is not served by the fake`);
}

/** Handles one EC2 request. */
export function ec2(world: World, req: FakeRequest): Reply {
  if (req.operation !== 'DescribeRegions') return awsError('ec2', 400, 'InvalidAction', `${req.operation} is not served by the fake`);
  const all = req.params.AllRegions === 'true';
  const items = (world.account(req.account)?.regions ?? [])
    .filter((r) => all || r.status !== 'DISABLED')
    .map((r) =>
      xml('item', {
        regionName: r.name,
        regionEndpoint: `ec2.${r.name}.amazonaws.com`,
        optInStatus: r.status === 'ENABLED_BY_DEFAULT' ? 'opt-in-not-required' : r.status === 'ENABLED' ? 'opted-in' : 'not-opted-in',
      }),
    );
  return ec2Ok('DescribeRegions', `<regionInfo>${items.join('')}</regionInfo>`);
}

/** Handles one Account request (ListRegions, paginated by MaxResults: at most 50, default 20). */
export function account(world: World, req: FakeRequest): Reply {
  if (req.operation !== 'ListRegions') return awsError('account', 404, 'ResourceNotFoundException', `${req.operation} is not served by the fake`);
  const wanted = Array.isArray(req.params.RegionOptStatusContains) ? (req.params.RegionOptStatusContains as string[]) : undefined;
  const all = (world.account(req.account)?.regions ?? []).filter((r) => !wanted || wanted.includes(r.status));
  const size = Math.min(50, Number(req.params.MaxResults ?? 20));
  const start = typeof req.params.NextToken === 'string' ? Number(req.params.NextToken) : 0;
  const page = all.slice(start, start + size).map((r) => ({ RegionName: r.name, RegionOptStatus: r.status }));
  const next = start + size < all.length ? String(start + size) : undefined;
  return jsonOk(next ? { Regions: page, NextToken: next } : { Regions: page }, 'rest-json');
}

/** Handles one Organizations request (ListAccounts paginated 20 at a time). */
export function organizations(world: World, req: FakeRequest): Reply {
  const org = world.scenario.organization;
  if (!org || !world.inOrganization(req.account)) {
    return awsError('organizations', 400, 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  }
  const mgmt = org.managementAccountId;
  if (req.operation === 'DescribeOrganization') {
    return jsonOk({
      Organization: {
        Id: org.id,
        Arn: `arn:aws:organizations::${mgmt}:organization/${org.id}`,
        FeatureSet: 'ALL',
        MasterAccountArn: `arn:aws:organizations::${mgmt}:account/${org.id}/${mgmt}`,
        MasterAccountId: mgmt,
        MasterAccountEmail: `root+${mgmt}@example.com`,
        AvailablePolicyTypes: [],
      },
    });
  }
  if (req.operation === 'ListAccounts') {
    if (req.account !== mgmt) return accessDenied('organizations', 'ListAccounts', req.principalArn);
    const start = typeof req.params.NextToken === 'string' ? Number(req.params.NextToken) : 0;
    const size = Math.min(20, Number(req.params.MaxResults ?? 20));
    const accounts = world.scenario.accounts.slice(start, start + size).map((a) => ({
      Id: a.id,
      Arn: `arn:aws:organizations::${mgmt}:account/${org.id}/${a.id}`,
      Email: `aws+${a.id}@example.com`,
      Name: `account-${a.id}`,
      Status: a.status ?? 'ACTIVE',
      State: a.status ?? 'ACTIVE',
      JoinedMethod: a.id === mgmt ? 'CREATED' : 'INVITED',
      JoinedTimestamp: 1704067200,
    }));
    const next = start + size < world.scenario.accounts.length ? String(start + size) : undefined;
    return jsonOk(next ? { Accounts: accounts, NextToken: next } : { Accounts: accounts });
  }
  return awsError('organizations', 400, 'InvalidInputException', `${req.operation} is not served by the fake`);
}
