import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearOfWindowEnd } from '../support/velocity-window';

afterEach(() => {
  vi.useRealTimers();
});

describe('clearOfWindowEnd (test support)', () => {
  it('waits into the next window when the current one ends within the margin', async () => {
    // Prepare: 5 s before a 600-second window ends
    vi.useFakeTimers({ now: 1_800_000_000_000 + 595_000 });
    let done = false;

    // Act
    const waiting = clearOfWindowEnd(600).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(4_000);
    const doneEarly = done;
    await vi.advanceTimersByTimeAsync(2_000);
    await waiting;

    // Assess
    expect(doneEarly).toBe(false);
    expect(done).toBe(true);
    expect(Date.now() % 600_000).toBeLessThan(20_000);
  });

  it('returns at once when the window has more than the margin left', async () => {
    // Prepare: 30 s into a 600-second window
    vi.useFakeTimers({ now: 1_800_000_000_000 + 30_000 });
    const before = Date.now();

    // Act
    await clearOfWindowEnd(600);

    // Assess
    expect(Date.now()).toBe(before);
  });
});
