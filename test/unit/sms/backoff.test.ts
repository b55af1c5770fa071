import { describe, expect, it } from 'vitest';
import { backoffDelay, createBudget } from '../../../shared/sms/backoff';

const settings = { baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoff', () => {
  it.each([
    [0, 0.5, 50],
    [1, 0.5, 100],
    [3, 0.5, 400],
    [10, 0.5, 500],
    [2, 0, 0],
  ])(
    'waits for retry %i with random %d: %i ms',
    (attempt, random, expected) => {
      // Act
      const delay = backoffDelay(attempt, settings, random);

      // Assess
      expect(delay).toBe(expected);
    },
  );

  it('keeps the budget from the Lambda context minus the reserve', () => {
    // Prepare
    let now = 1_000;
    const budget = createBudget(5_000, 1_500, () => now);

    // Act
    const atStart = budget.remaining();
    now += 4_000;
    const late = budget.remaining();

    // Assess
    expect(atStart).toBe(3_500);
    expect(late).toBe(-500);
  });
});
