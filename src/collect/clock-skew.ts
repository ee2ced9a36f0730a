/**
 * Clock skew and the SDK's retries: which answers are AWS refusing the signing time, and the
 * middleware that keeps the SDK from retrying every other refusal once the clock is off.
 */

/**
 * The codes AWS answers only when a request's signing time is too far from its own (S3's
 * RequestTimeTooSkewed, EC2's RequestExpired): part of the SDK's list of clock skew errors
 * (CLOCK_SKEW_ERROR_CODES in @smithy/core's retry).
 */
const CLOCK_SKEW_CODES: ReadonlySet<string> = new Set(['RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed']);

/**
 * The rest of that list: codes AWS answers for a skewed clock (STS's SignatureDoesNotMatch and
 * the JSON services' InvalidSignatureException, 'Signature expired: ...') and for other refusals
 * alike (a wrong secret key, a missing permission, credentials EC2 cannot validate). Only their
 * message tells the clock apart.
 */
const SIGNATURE_CODES: ReadonlySet<string> = new Set(['AccessDeniedException', 'AuthFailure', 'InvalidSignatureException', 'SignatureDoesNotMatch']);

/** What such an answer says when it is about the signing time. */
const SKEW_MESSAGE = /signature (?:expired|not yet current)|time too skewed|clock skew/i;

/** Whether an error answer is AWS refusing the signing time, not the request. */
function isClockSkewAnswer(error: { name?: string; Code?: string; message?: string }): boolean {
  const code = typeof error.Code === 'string' && error.Code !== '' ? error.Code : error.name;
  if (code === undefined) return false;
  if (CLOCK_SKEW_CODES.has(code)) return true;
  return SIGNATURE_CODES.has(code) && SKEW_MESSAGE.test(error.message ?? '');
}

/**
 * Once the clock is 4 minutes or more off AWS's, the SDK's signer marks *every* error answer as
 * clock-skew-corrected (its new offset, re-measured at each answer, always differs from the
 * last by some milliseconds), and the retry strategy retries every such answer: each AccessDenied
 * was asked up to maxAttempts times. Between the retries and the signer, the mark is left only on
 * the answers that are about the clock, which the SDK must retry with the corrected time.
 */
const skewOnlyMiddleware =
  (next: (args: unknown) => Promise<unknown>) =>
  async (args: unknown): Promise<unknown> => {
    try {
      return await next(args);
    } catch (err) {
      const e = err as { name?: string; Code?: string; message?: string; $metadata?: { clockSkewCorrected?: boolean } } | undefined;
      if (e?.$metadata?.clockSkewCorrected && !isClockSkewAnswer(e)) delete e.$metadata.clockSkewCorrected;
      throw err;
    }
  };

/** Adds skewOnlyMiddleware to a client's stack (again, as the assume-role provider does on each refresh, replacing it). */
export const SKEW_ONLY_PLUGIN = {
  applyToStack(stack: { addRelativeTo(middleware: unknown, options: { name: string; relation: 'before' | 'after'; toMiddleware: string; override?: boolean }): void }): void {
    stack.addRelativeTo(skewOnlyMiddleware, { name: 'trailgateSkewOnly', relation: 'before', toMiddleware: 'httpSigningMiddleware', override: true });
  },
};
