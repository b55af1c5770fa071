import { describe, expect, it } from 'vitest';
import {
  CORE_TARGETS,
  type CoreSample,
  describeTarget,
  formatCoreTable,
  msText,
  summarizeCore,
} from '../../bench/core';
import { CORE_CASES } from '../../bench/core-cases';

/** 100 calls of 0.01, 0.02, ... 1.00 ms. */
const ramp = (): CoreSample => ({
  samplesMs: Array.from({ length: 100 }, (_, i) => (i + 1) / 100),
  loopWallMs: 60,
  loopCpuMs: 50,
});

describe('bench pure core', () => {
  it('has a target for every case and a case for every target', () => {
    // Prepare
    const targets = Object.keys(CORE_TARGETS);
    // Act
    const cases = Object.keys(CORE_CASES);
    // Assess
    expect(cases).toEqual(targets);
  });

  it('reports p50, p99 and the CPU mean per call', () => {
    // Prepare
    const sample = ramp();
    // Act
    const result = summarizeCore('verifyTotp', sample);
    // Assess
    expect(result).toMatchObject({
      issue: 5,
      calls: 100,
      p50Ms: 0.505,
      p99Ms: 0.9901,
      maxMs: 1,
      cpuMeanMs: 0.5,
      target: 'p99 < 1 ms',
    });
  });

  it('judges a p99 target strictly', () => {
    // Prepare
    const atBound = { ...ramp(), samplesMs: new Array(100).fill(1) };
    // Act
    const result = summarizeCore('verifyTotp', atBound);
    // Assess
    expect(result.meetsTarget).toBe(false);
  });

  it('judges a p50 "at most" target inclusively, on the median', () => {
    // Prepare
    const slowTail = {
      ...ramp(),
      samplesMs: [...new Array(51).fill(3), ...new Array(49).fill(90)],
    };
    const slowMedian = { ...ramp(), samplesMs: new Array(100).fill(3.01) };
    // Act
    const met = summarizeCore('senderWithLocalDecrypt', slowTail);
    const missed = summarizeCore('senderWithLocalDecrypt', slowMedian);
    // Assess
    expect(met.meetsTarget).toBe(true);
    expect(missed.meetsTarget).toBe(false);
  });

  it('refuses a case without a target', () => {
    // Prepare
    const sample = ramp();
    // Act
    const act = () => summarizeCore('nope', sample);
    // Assess
    expect(act).toThrow('no core target for nope');
  });

  it('words targets with their percentile and comparison', () => {
    // Prepare
    const { renderSms, senderPrepareRender } = CORE_TARGETS;
    // Act
    const words = [renderSms, senderPrepareRender].map((t) =>
      describeTarget(t as NonNullable<typeof t>),
    );
    // Assess
    expect(words).toEqual(['p99 < 0.2 ms', 'p50 ≤ 3 ms']);
  });

  it('prints one row per case and flags a missed target', () => {
    // Prepare
    const results = [
      summarizeCore('renderSms', ramp()),
      summarizeCore('decideSignUp', {
        ...ramp(),
        samplesMs: [0.0012, 0.0012, 0.0012],
      }),
    ];
    // Act
    const table = formatCoreTable(results).split('\n');
    // Assess
    expect(table).toHaveLength(4);
    expect(table[2]).toBe(
      '| renderSms | #4 | 100 | 0.505 | 0.990 | 0.500 | p99 < 0.2 ms | NO |',
    );
    expect(table[3]).toContain('| decideSignUp | #6 | 3 | 0.0012 | 0.0012 |');
    expect(table[3]).toMatch(/\| yes \|$/);
  });

  it('keeps small times readable', () => {
    // Prepare
    const values = [12.345, 0.12345, 0.0012345];
    // Act
    const texts = values.map(msText);
    // Assess
    expect(texts).toEqual(['12.35', '0.123', '0.0012']);
  });
});
