import { describe, expect, it } from 'vitest';
import { lambdaNodeArgs } from '../../bench/runner';

describe('bench child processes', () => {
  it.each([
    [128, ['--max-semi-space-size=6', '--max-old-space-size=116']],
    [256, ['--max-semi-space-size=12', '--max-old-space-size=231']],
    [1024, ['--max-semi-space-size=51', '--max-old-space-size=922']],
  ])('get the heap flags Lambda gives a %i MB function', (memoryMb, flags) => {
    // Act
    const args = lambdaNodeArgs(memoryMb);

    // Assess
    expect(args).toEqual(flags);
  });
});
