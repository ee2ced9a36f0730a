/**
 * The only way collection reaches AWS: `call` refuses any operation that is not declared in
 * operations.ts (or is not a read), waits for the account-region-service rate limit, sends
 * through the SDK (adaptive retries) and turns failures into data instead of exceptions.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { toFailure, type AwsFailure } from './classify.ts';
import { declaredOperation, type Service } from './operations.ts';
import { TokenBucket } from './ratelimit.ts';
import { commandClass, newClient, type AwsCredentialIdentityProvider, type ClientSettings, type Sdk, type SdkClient } from './sdk.ts';

/** A call's outcome: the SDK output, or why it failed. */
export type Outcome = { ok: true; value: Record<string, unknown> } | { ok: false; failure: AwsFailure };

/** Requests per second and burst for one service, per account and region. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/** Everything one collection shares: the SDK, client settings and rate limits. */
export interface Runtime {
  sdk: Sdk;
  settings: ClientSettings & { httpAgent: HttpAgent; httpsAgent: HttpsAgent };
  rates: Record<Service, Rate>;
  /** The region STS is called in (see stsRegion). */
  stsRegion: string;
  /** Where stsRegion came from (`AWS_REGION`, a profile's region), for messages; none when nothing configured it. */
  stsRegionSource?: string;
}

/** What the clients of a session with an assumed role throw when renewing its credentials failed. */
class RenewalFailed extends Error {
  constructor(readonly failure: AwsFailure) {
    super(failure.message);
  }
}

/** The credentials of one account and the clients and rate limiters that use them. */
export class Session {
  /** Known once GetCallerIdentity has answered. */
  accountId: string | undefined;
  private readonly clients = new Map<string, Promise<SdkClient>>();
  private readonly limiters = new Map<string, TokenBucket>();
  /**
   * The credentials the clients use: for an assumed role, a failure to assume it again (the
   * credentials near their end, and AssumeRole refused) is marked as such, so that the read it
   * stopped is not recorded as refused itself.
   */
  private readonly clientCredentials: AwsCredentialIdentityProvider;

  constructor(
    readonly runtime: Runtime,
    readonly credentials: AwsCredentialIdentityProvider,
    accountId?: string,
    /** The role these credentials are assumed into, for an audited account reached through --role-name. */
    readonly roleArn?: string,
  ) {
    this.accountId = accountId;
    this.clientCredentials =
      roleArn === undefined
        ? credentials
        : async () => {
            try {
              return await credentials();
            } catch (err) {
              throw new RenewalFailed(toFailure(err));
            }
          };
  }

  /** The client for `service` in `region`, created on first use. */
  client(service: Service, region: string): Promise<SdkClient> {
    const key = `${service}\u0000${region}`;
    let c = this.clients.get(key);
    if (!c) {
      const { sdk, settings } = this.runtime;
      c = Promise.all([sdk.module(service), sdk.resolvedSettings(service, settings.profile)]).then(([m, resolved]) => newClient(m, service, region, this.clientCredentials, settings, resolved));
      this.clients.set(key, c);
    }
    return c;
  }

  /** The token bucket for `service` in `region`. */
  limiter(service: Service, region: string): TokenBucket {
    const key = `${service}\u0000${region}`;
    let l = this.limiters.get(key);
    if (!l) {
      const r = this.runtime.rates[service];
      l = new TokenBucket(r.perSecond, r.burst);
      this.limiters.set(key, l);
    }
    return l;
  }
}

/** Calls `service:operation` in `region` with the session's credentials. Throws only for undeclared operations. */
export async function call(session: Session, region: string, service: Service, operation: string, input: Record<string, unknown> = {}): Promise<Outcome> {
  declaredOperation(service, operation);
  const Command = commandClass(await session.runtime.sdk.module(service), service, operation);
  const client = await session.client(service, region);
  await session.limiter(service, region).take();
  try {
    const value = (await client.send(new Command(input))) as Record<string, unknown> | undefined;
    return { ok: true, value: value ?? {} };
  } catch (err) {
    if (err instanceof RenewalFailed) return { ok: false, failure: { ...err.failure, renewal: true } };
    return { ok: false, failure: toFailure(err) };
  }
}

/** How a paginated operation names its list and its tokens. */
export interface Paging {
  /** The list member every page carries. */
  field: string;
  tokenIn?: string;
  tokenOut?: string;
  /**
   * AWS answers the list on every page, empty or not: a page without it is an answer to another
   * question, and its items are unknown, not none.
   */
  required?: boolean;
}

/** Follows a paginated List/Describe operation, collecting `paging.field` from every page. */
export async function callPaged(
  session: Session,
  region: string,
  service: Service,
  operation: string,
  input: Record<string, unknown>,
  { field, tokenIn = 'NextToken', tokenOut = 'NextToken', required = false }: Paging,
): Promise<{ ok: true; items: unknown[] } | { ok: false; failure: AwsFailure }> {
  const items: unknown[] = [];
  let token: string | undefined;
  const sent = new Set<string>();
  for (let page = 0; page < 1000; page++) {
    const out = await call(session, region, service, operation, token === undefined ? input : { ...input, [tokenIn]: token });
    if (!out.ok) return out;
    const list = out.value[field];
    if (list === undefined && required) return { ok: false, failure: { code: 'MalformedResponse', message: `${operation} returned a page without ${field}` } };
    if (list !== undefined && !Array.isArray(list)) return { ok: false, failure: { code: 'MalformedResponse', message: `${operation} returned a ${field} that is not a list` } };
    items.push(...((list as unknown[] | undefined) ?? []));
    const next = out.value[tokenOut];
    if (typeof next !== 'string' || next === '') return { ok: true, items };
    // A token already sent (the one just sent, or an earlier one) asks for a page already read: the
    // listing loops, and says there is more than it will ever give. Taken as the end, the pages
    // after the loop (accounts of the organization, enabled regions) would be left out unsaid.
    if (sent.has(next)) return { ok: false, failure: { code: 'MalformedResponse', message: `${operation} returned a ${tokenOut} it had already returned (a pagination loop)` } };
    sent.add(next);
    token = next;
  }
  return { ok: false, failure: { code: 'MalformedResponse', message: `${operation} returned more than 1000 pages` } };
}
