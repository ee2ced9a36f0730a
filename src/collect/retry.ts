/**
 * How long trailgate waits on an endpoint that does not answer: the SDK retries a timed-out
 * attempt as it retries throttling, up to maxAttempts, and a call is bounded here to a few
 * timeouts instead, every other retry staying the SDK's.
 */

/** The part of a retry token trailgate uses (the SDK's RetryToken). */
export interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/** The SDK's retry strategy (RetryStrategyV2 of @smithy/types): what its retry middleware calls. */
export interface RetryStrategy {
  mode?: string;
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, errorInfo: { error?: unknown; errorType: string }): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
}

/**
 * How many attempts of one call may time out. The SDK retries a timeout as it retries throttling,
 * up to maxAttempts times: an endpoint that accepts the connection and never answers took 8
 * request timeouts of 30 s, four minutes, to become a failed read. Two give a lost answer its
 * second chance; a hung endpoint then costs a minute per read.
 */
export const MAX_TIMED_OUT_ATTEMPTS = 2;

/**
 * Whether an attempt failed for want of an answer: the request or connection timeout, or the
 * system's. The SDK's HTTP handler also names a reset connection or a broken pipe TimeoutError
 * (code ECONNRESET, EPIPE): those were answered at once, and keep the SDK's retries.
 */
function isTimeout(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown } | undefined;
  return e?.code === 'ETIMEDOUT' || (e?.name === 'TimeoutError' && e.code === undefined);
}

/**
 * `strategy`, except that a call stops after MAX_TIMED_OUT_ATTEMPTS attempts that timed out:
 * the retries, their backoff and the adaptive rate stay the SDK's, and so does everything about
 * throttling and the other transient failures (a reset connection, a 5xx), which answer at once.
 */
export function timeoutsBounded(strategy: RetryStrategy, max: number = MAX_TIMED_OUT_ATTEMPTS): RetryStrategy {
  // Each retry gets a new token: the count of a call's timeouts follows its tokens.
  const timedOut = new WeakMap<RetryToken, number>();
  return {
    ...(strategy.mode !== undefined ? { mode: strategy.mode } : {}),
    acquireInitialRetryToken: (scope) => strategy.acquireInitialRetryToken(scope),
    async refreshRetryTokenForRetry(token, errorInfo) {
      const count = (timedOut.get(token) ?? 0) + (isTimeout(errorInfo.error) ? 1 : 0);
      // The SDK's own refusal: the retry middleware then throws the call's last error.
      if (count >= max) throw new Error(`no retry after ${count} attempts that timed out`);
      const next = await strategy.refreshRetryTokenForRetry(token, errorInfo);
      timedOut.set(next, count);
      return next;
    },
    recordSuccess: (token) => strategy.recordSuccess(token),
  };
}
