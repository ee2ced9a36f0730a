/** The fake's state: the scenario plus the credentials it has issued, and the request shape handlers see. */
import type { Reply } from './protocol.ts';
import { trailArn, type FakeAccount, type FakePrincipal, type FakeScenario, type FakeTrail } from './scenario.ts';

/** One decoded request. */
export interface FakeRequest {
  account: string;
  principalArn: string;
  region: string;
  service: string;
  operation: string;
  params: Record<string, unknown>;
  resource?: string;
}

/** A service's request handler. */
export type Handler = (world: World, req: FakeRequest) => Reply;

/** Credentials the fake has issued through AssumeRole. */
export interface IssuedCredentials extends FakePrincipal {
  sessionToken: string;
}

/** Scenario plus issued credentials. */
export class World {
  readonly issued = new Map<string, IssuedCredentials>();
  private counter = 0;

  private readonly accounts: Map<string, FakeAccount>;
  /** Trails by ARN: an organization of hundreds of trails would otherwise make every read a scan. */
  readonly trailsByArn: Map<string, FakeTrail>;

  constructor(readonly scenario: FakeScenario) {
    this.accounts = new Map(scenario.accounts.map((a) => [a.id, a]));
    this.trailsByArn = new Map(scenario.trails.map((t) => [trailArn(t), t]));
  }

  account(id: string): FakeAccount | undefined {
    return this.accounts.get(id);
  }

  /** The principal behind an access key id, long-term or issued. */
  principal(accessKeyId: string): FakePrincipal | IssuedCredentials | undefined {
    return this.issued.get(accessKeyId) ?? this.scenario.principals.find((p) => p.accessKeyId === accessKeyId);
  }

  /** Whether `accountId` belongs to the scenario's organization. */
  inOrganization(accountId: string): boolean {
    return this.scenario.organization !== undefined && this.accounts.has(accountId);
  }

  /** New temporary credentials for `accountId`; the access key encodes the account, as the fake's routing needs. */
  issue(accountId: string, arn: string): IssuedCredentials {
    this.counter++;
    const n = String(this.counter).padStart(6, '0');
    const creds: IssuedCredentials = {
      accessKeyId: `ASIA${accountId}${n}`,
      secretAccessKey: `issued-secret-${accountId}-${n}-do-not-print`,
      sessionToken: `issued-token-${accountId}-${n}-do-not-print`,
      accountId,
      arn,
    };
    this.issued.set(creds.accessKeyId, creds);
    return creds;
  }
}
