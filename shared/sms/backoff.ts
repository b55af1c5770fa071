/**
 * Jittered exponential backoff inside a time budget. Pure: the caller
 * passes the random source and the clock reading.
 */

/** Retry settings (the `sms.retry` section). */
export interface BackoffSettings {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * "Full jitter" delay before retry number `attempt` (0 = first retry):
 * uniform in [0, min(max, base·2^attempt)).
 *
 * @param attempt - how many retries came before (0-based)
 * @param settings - base and cap
 * @param random - a number in [0, 1)
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(
  attempt: number,
  settings: BackoffSettings,
  random: number,
): number {
  const ceiling = Math.min(
    settings.maxDelayMs,
    settings.baseDelayMs * 2 ** Math.min(attempt, 30),
  );
  return Math.floor(Math.max(0, Math.min(random, 0.999999)) * ceiling);
}

/**
 * A deadline derived from the Lambda context: what is left of this
 * invocation minus a reserve for bookkeeping (releasing the claim, logs).
 */
export interface Budget {
  /** Milliseconds left before the deadline (≤ 0 when spent). */
  remaining(): number;
}

/**
 * @param remainingMs - `context.getRemainingTimeInMillis()` at the start
 * @param reserveMs - kept back for cleanup
 * @param now - the clock (ms), injectable for tests
 */
export function createBudget(
  remainingMs: number,
  reserveMs: number,
  now: () => number = Date.now,
): Budget {
  const deadline = now() + remainingMs - reserveMs;
  return { remaining: () => deadline - now() };
}
