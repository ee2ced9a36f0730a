/**
 * A fake AWS endpoint on 127.0.0.1: one HTTP server for every service, telling them apart by
 * the SigV4 credential scope, and the caller's account by the access key. It logs every call,
 * enforces a per account/region/service request rate, and injects the faults a test asks for.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cloudtrail } from './cloudtrail.ts';
import { account, ec2, organizations, sts } from './identity.ts';
import { kms } from './kms.ts';
import { awsError, jsonOk, malformedReply, PROTOCOL, regionNotEnabled, s3Ok, throttled, type Reply } from './protocol.ts';
import { s3, s3Operation } from './s3.ts';
import type { FakeScenario } from './scenario.ts';
import { World, type FakeRequest, type Handler } from './world.ts';

/** One request as the fake saw it. */
export interface LoggedCall {
  account: string;
  region: string;
  service: string;
  operation: string;
  resource?: string;
  status: number;
  code?: string;
  at: number;
}

/** What a fault matches; every given field must match. */
export interface FaultMatch {
  account?: string;
  region?: string;
  service?: string;
  operation?: string;
  resource?: string;
}

/** A fault to inject: for the first `times` matching calls (every one when omitted), after letting `after` of them through. */
export type Fault = FaultMatch & { times?: number; after?: number } & (
    | { kind: 'latency'; ms: number }
    | { kind: 'throttle' }
    | { kind: 'error'; status: number; code: string; message?: string }
    | { kind: 'accessDenied' }
    | { kind: 'malformed' }
    /** A well-formed 200 that answers another question: moto's bucket listing for an S3 subresource it does not implement. */
    | { kind: 'bucketListing' }
    | { kind: 'regionNotEnabled' }
    /** A 200 whose JSON body is `value` (JSON and REST-JSON services): an answer the test writes whole. */
    | { kind: 'answer'; value: Record<string, unknown> }
    /** An error status with an empty body: no AWS error code at all, as a proxy or a load balancer may answer. */
    | { kind: 'bare'; status: number }
    /** The connection closed without an answer. */
    | { kind: 'reset' }
    /** A 200 whose headers are sent and whose body never comes: the connection stays open, silent. */
    | { kind: 'stall' }
    /**
     * The real answer cut after `bytes` bytes of its body: with `reset`, the headers announce the
     * whole body and the connection closes mid-answer; without, the Content-Length says the cut
     * length (a proxy that truncated the answer and counted what it kept).
     */
    | { kind: 'truncate'; bytes: number; reset?: boolean }
  );

/** Options of the fake endpoint. */
export interface FakeOptions {
  /** Latency added to every call, uniformly in [min, max] ms. */
  latencyMs?: [number, number];
  /** Requests per second (and burst) allowed per account, region and service; others are throttled. */
  rate?: { perSecond: number; burst: number; services?: string[] };
  faults?: Fault[];
  /** The clock the rate limit reads (ms); a test that freezes it gets the same verdicts however slow the machine. */
  now?: () => number;
  /** How far the Date header of every answer is from this machine's clock (ms): a client whose clock is off by minus that. */
  clockOffsetMs?: number;
}

/** The reply that closes the connection instead of answering. */
const RESET: Reply = { status: 0, headers: {}, body: '' };
/** The reply that sends its headers and never its body. */
const STALL: Reply = { status: 200, headers: {}, body: '' };

const HANDLERS: Record<string, Handler> = { cloudtrail, kms, s3, sts, ec2, account, organizations };

/** A running fake endpoint. */
export class FakeAws {
  readonly calls: LoggedCall[] = [];
  readonly world: World;
  private server: Server | undefined;
  private readonly buckets = new Map<string, { tokens: number; last: number }>();
  private readonly faultUses = new Map<Fault, number>();
  private readonly faultSeen = new Map<Fault, number>();
  url = '';

  constructor(
    scenario: FakeScenario,
    readonly options: FakeOptions = {},
  ) {
    this.world = new World(scenario);
  }

  /** Starts listening on an ephemeral port of 127.0.0.1. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        (reply) => {
          if (reply === RESET) return void req.socket.destroy();
          if (reply === STALL) return void res.writeHead(200, { 'content-length': 1_000 }).write('<');
          if (reply.cutAt !== undefined) {
            const whole = Buffer.from(reply.body);
            res.writeHead(reply.status, { ...reply.headers, 'content-length': whole.length });
            return void res.write(whole.subarray(0, reply.cutAt), () => req.socket.destroy());
          }
          const date = this.options.clockOffsetMs !== undefined ? { date: new Date(Date.now() + this.options.clockOffsetMs).toUTCString() } : {};
          res.writeHead(reply.status, { ...reply.headers, ...date, 'content-length': Buffer.byteLength(reply.body) });
          res.end(reply.body);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      );
    });
    this.server.keepAliveTimeout = 30_000;
    // A deep accept queue: a whole organization opens hundreds of connections at once, and a
    // dropped SYN costs the client a 1 s retransmit that real AWS (many hosts) would not impose.
    await new Promise<void>((resolve) => this.server!.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops the server and drops its connections. */
  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
    this.server = undefined;
  }

  /** Adds a fault while running. */
  inject(fault: Fault): void {
    (this.options.faults ??= []).push(fault);
  }

  private async handle(req: IncomingMessage): Promise<Reply> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const at = (this.options.now ?? performance.now.bind(performance))();
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
    if (!scope) return awsError('sts', 403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    const [, accessKeyId, region, service] = scope;
    const decoded = decode(service, req, body);
    const principal = this.world.principal(accessKeyId);
    const log: LoggedCall = { account: principal?.accountId ?? `unknown:${accessKeyId}`, region, service, operation: decoded.operation, status: 0, at };
    if (decoded.resource !== undefined) log.resource = decoded.resource;
    this.calls.push(log);
    const reply = await this.answer(log, decoded, principal, req.headers['x-amz-security-token']);
    log.status = reply.status;
    if (reply.code !== undefined) log.code = reply.code;
    return reply;
  }

  private async answer(
    log: LoggedCall,
    decoded: { operation: string; params: Record<string, unknown>; resource?: string },
    principal: ReturnType<World['principal']>,
    token: string | string[] | undefined,
  ): Promise<Reply> {
    const { service, region } = log;
    if (!principal || ('sessionToken' in principal && principal.sessionToken !== token)) {
      return service === 's3' ? awsError('s3', 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.') : regionNotEnabled(service);
    }
    const overRate = !this.admit(log);
    let delay = this.latency();
    let injected: Reply | undefined;
    let truncate: { bytes: number; reset?: boolean } | undefined;
    for (const f of this.options.faults ?? []) {
      if (!this.matches(f, log)) continue;
      if (f.kind === 'latency') delay += f.ms;
      else if (f.kind === 'truncate') truncate ??= f;
      else injected ??= faultReply(f, service, principal.arn, log.operation);
    }
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (overRate) return throttled(service);
    if (injected) return injected;
    const acct = this.world.account(principal.accountId);
    const r = acct?.regions.find((x) => x.name === region);
    if (!HANDLERS[service]) return awsError('sts', 400, 'UnknownService', `${service} is not served by the fake`);
    if (!r || r.status === 'DISABLED') return regionNotEnabled(service);
    const request: FakeRequest = { account: principal.accountId, principalArn: principal.arn, region, service, ...decoded };
    const reply = HANDLERS[service](this.world, request);
    if (truncate === undefined) return reply;
    if (truncate.reset) return { ...reply, cutAt: truncate.bytes };
    return { ...reply, body: Buffer.from(reply.body).subarray(0, truncate.bytes).toString('utf8') };
  }

  private latency(): number {
    const [min, max] = this.options.latencyMs ?? [0, 0];
    return min + Math.random() * (max - min);
  }

  /** Token bucket per account, region and service, as AWS meters its API rates. */
  private admit(log: LoggedCall): boolean {
    const rate = this.options.rate;
    if (!rate || (rate.services && !rate.services.includes(log.service))) return true;
    const key = `${log.account}|${log.region}|${log.service}`;
    const now = log.at;
    const b = this.buckets.get(key) ?? { tokens: rate.burst, last: now };
    b.tokens = Math.min(rate.burst, b.tokens + ((now - b.last) / 1000) * rate.perSecond);
    b.last = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private matches(f: Fault, log: LoggedCall): boolean {
    if (f.account !== undefined && f.account !== log.account) return false;
    if (f.region !== undefined && f.region !== log.region) return false;
    if (f.service !== undefined && f.service !== log.service) return false;
    if (f.operation !== undefined && f.operation !== log.operation) return false;
    if (f.resource !== undefined && f.resource !== log.resource) return false;
    if (f.after !== undefined) {
      const seen = (this.faultSeen.get(f) ?? 0) + 1;
      this.faultSeen.set(f, seen);
      if (seen <= f.after) return false;
    }
    if (f.times !== undefined) {
      const used = this.faultUses.get(f) ?? 0;
      if (used >= f.times) return false;
      this.faultUses.set(f, used + 1);
    }
    return true;
  }
}

function faultReply(f: Fault, service: string, principalArn: string, operation: string): Reply {
  switch (f.kind) {
    case 'throttle':
      return throttled(service);
    case 'error':
      return awsError(service, f.status, f.code, f.message ?? `injected ${f.code}`);
    case 'accessDenied':
      return awsError(service, service === 's3' || service === 'sts' || service === 'ec2' ? 403 : 400, deniedCode(service), `User: ${principalArn} is not authorized to perform: ${service}:${operation}`);
    case 'malformed':
      return malformedReply(service);
    case 'bucketListing':
      return s3Ok('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>false</IsTruncated><Name>bucket</Name><MaxKeys>1000</MaxKeys></ListBucketResult>');
    case 'regionNotEnabled':
      return regionNotEnabled(service);
    case 'answer':
      return jsonOk(f.value, PROTOCOL[service]);
    case 'bare':
      return { status: f.status, headers: {}, body: '' };
    case 'reset':
      return RESET;
    case 'stall':
      return STALL;
    default:
      return awsError(service, 500, 'InternalFailure', 'unexpected fault');
  }
}

function deniedCode(service: string): string {
  if (service === 's3' || service === 'sts') return 'AccessDenied';
  if (service === 'ec2') return 'UnauthorizedOperation';
  return 'AccessDeniedException';
}

function decode(service: string, req: IncomingMessage, body: string): { operation: string; params: Record<string, unknown>; resource?: string } {
  const url = new URL(req.url ?? '/', 'http://fake');
  const protocol = PROTOCOL[service];
  if (protocol === 'json') {
    const target = String(req.headers['x-amz-target'] ?? '');
    const params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const name = params.Name ?? params.TrailName ?? params.KeyId;
    return { operation: target.slice(target.lastIndexOf('.') + 1), params, resource: typeof name === 'string' ? name : undefined };
  }
  if (protocol === 'rest-json') {
    const op = url.pathname.replace(/^\//, '');
    return { operation: op.charAt(0).toUpperCase() + op.slice(1), params: body ? (JSON.parse(body) as Record<string, unknown>) : {} };
  }
  if (protocol === 'query' || protocol === 'ec2') {
    const form = new URLSearchParams(body);
    return { operation: form.get('Action') ?? '', params: Object.fromEntries(form) };
  }
  const { operation, bucket } = s3Operation(req.method ?? 'GET', url.pathname, url.searchParams);
  return { operation, params: {}, resource: bucket };
}

/** Starts a fake endpoint for `scenario`. */
export async function startFakeAws(scenario: FakeScenario, options: FakeOptions = {}): Promise<FakeAws> {
  return new FakeAws(scenario, options).start();
}
