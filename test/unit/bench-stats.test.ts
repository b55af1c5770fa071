import { describe, expect, it } from 'vitest';
import {
  median,
  medianInterval,
  pairedRatios,
  percentile,
  round,
  summarize,
} from '../../bench/stats';

describe('bench statistics', () => {
  it('takes the middle value of an odd-sized sample as its median', () => {
    // Prepare
    const samples = [9, 1, 5, 3, 7];

    // Act
    const result = median(samples);

    // Assess
    expect(result).toBe(5);
  });

  it('averages the two middle values of an even-sized sample', () => {
    // Prepare
    const samples = [4, 1, 3, 2];

    // Act
    const result = median(samples);

    // Assess
    expect(result).toBe(2.5);
  });

  it('interpolates percentiles between the nearest ranks', () => {
    // Prepare
    const samples = Array.from({ length: 1000 }, (_, i) => 1000 - i);

    // Act
    const p99 = percentile(samples, 99);
    const p0 = percentile(samples, 0);
    const p100 = percentile(samples, 100);

    // Assess
    expect(p99).toBeCloseTo(990.01, 6);
    expect(p0).toBe(1);
    expect(p100).toBe(1000);
  });

  it('does not reorder the caller’s samples', () => {
    // Prepare
    const samples = [3, 1, 2];

    // Act
    median(samples);

    // Assess
    expect(samples).toEqual([3, 1, 2]);
  });

  it('summarizes quartiles and extremes', () => {
    // Prepare
    const samples = [10, 20, 30, 40, 50];

    // Act
    const summary = summarize(samples);

    // Assess
    expect(summary).toEqual({
      n: 5,
      median: 30,
      p25: 20,
      p75: 40,
      min: 10,
      max: 50,
    });
  });

  it.each([
    [[], 50],
    [[1, Number.NaN], 50],
    [[1, 2], 101],
    [[1, 2], -1],
  ])('rejects samples %j at percentile %d', (samples, p) => {
    // Act
    const act = () => percentile(samples, p);

    // Assess
    expect(act).toThrow();
  });

  it('rounds to the requested decimals', () => {
    // Act
    const values = [round(1.2345, 2), round(1.25), round(-0.04)];

    // Assess
    expect(values).toEqual([1.23, 1.3, -0]);
  });

  it('bounds the median of 20 samples by their 6th and 15th values', () => {
    // Prepare
    const samples = Array.from({ length: 20 }, (_, i) => 20 - i);

    // Act
    const interval = medianInterval(samples);

    // Assess
    expect(interval).toEqual({ median: 10.5, low: 6, high: 15 });
  });

  it('bounds the median of 15 samples by their 4th and 12th values', () => {
    // Prepare
    const samples = Array.from({ length: 15 }, (_, i) => i + 1);

    // Act
    const interval = medianInterval(samples);

    // Assess
    expect(interval).toEqual({ median: 8, low: 4, high: 12 });
  });

  it('divides paired samples round by round', () => {
    // Prepare
    const bundle = [30, 60, 45];
    const naive = [100, 200, 90];

    // Act
    const ratios = pairedRatios(bundle, naive);

    // Assess
    expect(ratios).toEqual([0.3, 0.3, 0.5]);
    expect(() => pairedRatios([1], [1, 2])).toThrow(/same, non-zero count/);
  });
});
