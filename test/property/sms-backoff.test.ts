import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../shared/sms/backoff';

describe('jittered backoff (property)', () => {
  it('stays within [0, min(max, base·2^attempt)) for any input', () => {
    // Prepare
    const input = fc.record({
      attempt: fc.integer({ min: 0, max: 100 }),
      base: fc.integer({ min: 1, max: 5000 }),
      max: fc.integer({ min: 1, max: 30000 }),
      random: fc.double({ min: 0, max: 1, noNaN: true }),
    });

    // Act / Assess
    fc.assert(
      fc.property(input, ({ attempt, base, max, random }) => {
        const delay = backoffDelay(
          attempt,
          { baseDelayMs: base, maxDelayMs: max },
          random,
        );
        const ceiling = Math.min(max, base * 2 ** attempt);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.max(ceiling, 1));
      }),
    );
  });
});
