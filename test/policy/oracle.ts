/**
 * The differential-testing oracle: @cloud-copilot/iam-simulate, an independent IAM simulator.
 * It is AGPL-3.0, so it is a devDependency imported only from tests (this file); nothing under
 * src/ may import it, and it is never bundled.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Req } from './arbitraries.ts';

/** A verdict in our vocabulary. */
export type Verdict = 'allow' | 'deny' | 'implicit-deny';

const ORACLE_VERDICT: Record<string, Verdict> = { Allowed: 'allow', ExplicitlyDenied: 'deny', ImplicitlyDenied: 'implicit-deny' };

export interface OracleAnswer {
  verdict: Verdict;
  /** Zero-based indexes of the Allow and Deny statements the oracle found applicable. */
  allow: number[];
  deny: number[];
}

/** The oracle's verdict on one request. */
export async function oracle(policy: object, req: Req): Promise<Verdict> {
  return (await oracleAnswer(policy, req)).verdict;
}

/** The oracle's verdict and the statements it found applicable. */
export async function oracleAnswer(policy: object, req: Req): Promise<OracleAnswer> {
  const r = await runSimulation(
    {
      request: {
        principal: 'cloudtrail.amazonaws.com',
        action: req.action,
        // The bucket lives in an account other than any principal's: no same-account shortcut.
        resource: { resource: req.resource, accountId: '999999999999' },
        contextVariables: req.context,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
    },
    {},
  );
  if (r.resultType !== 'single') throw new Error(`oracle rejected the input: ${JSON.stringify(r)}`);
  const verdict = ORACLE_VERDICT[r.overallResult];
  if (!verdict) throw new Error(`unexpected oracle result ${r.overallResult}`);
  const analysis = r.result.analysis.resourceAnalysis;
  // The oracle numbers statements from 1.
  const indexes = (list: { statement: { index(): number } }[] | undefined): number[] => (list ?? []).map((a) => a.statement.index() - 1);
  return { verdict, allow: indexes(analysis?.allowStatements), deny: indexes(analysis?.denyStatements) };
}
