/**
 * Velocity counters count in windows aligned to the epoch (a window starts
 * at a multiple of its length, as `shared/policy/velocity.ts` keys them). A
 * test whose calls straddle a window's end would see its count split over
 * two counters and fail by chance; this waits for the next window when the
 * current one has less than `marginMs` left.
 *
 * @param windowSeconds - the limit's window, e.g. 3600
 * @param marginMs - how long the test's counted calls may take
 * @example
 * beforeEach(() => clearOfWindowEnd(600));
 */
export async function clearOfWindowEnd(
  windowSeconds: number,
  marginMs = 20_000,
): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) {
    await new Promise((resolve) => setTimeout(resolve, left + 100));
  }
}
