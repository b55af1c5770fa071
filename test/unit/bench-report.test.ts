import { describe, expect, it } from 'vitest';
import { buildResults, formatTable } from '../../bench/report';
import type { ColdSample, WarmSample } from '../../bench/runner';
import type { Variant } from '../../bench/variants';

const variant = (name: string, kind: Variant['kind']): Variant => ({
  name,
  kind,
  file: `/tmp/${name}/index.js`,
  eventFile: '/repo/test/fixtures/events/customSmsSender/sign-up.json',
  eventKey: 'customSmsSender',
});

const cold = (...initMs: number[]): ColdSample[] =>
  initMs.map((ms) => ({ initMs: ms, firstMs: 10, peakRssMb: 50 }));

const warm = (wallMs: number[]): WarmSample => ({
  wallMs,
  cpuMs: wallMs.map((ms) => ms / 2),
  errors: {},
  rssAt100Mb: 60,
  rssAtEndMb: 61,
  youngGenAt100Mb: 8,
  youngGenAtEndMb: 16,
  liveHeapAt100Mb: 12,
  liveHeapAtEndMb: 13,
  peakRssMb: 70,
});

function samplesFor(variants: Variant[]) {
  return {
    cold: new Map([
      ['sender', cold(30, 31, 29)],
      ['(empty)', cold(1, 1, 1)],
      ['(naive)', cold(150, 150, 150)],
    ]),
    coldRuntime: new Map([
      ['sender', cold(20, 21, 19)],
      ['(empty)', cold(1, 1, 1)],
      ['(naive)', cold(100, 100, 100)],
    ]),
    warm: new Map(variants.map((v) => [v.name, warm([1, 2, 3, 4])])),
    size: new Map(variants.map((v) => [v.name, { raw: 2048, gzip: 1024 }])),
    sms: new Map([['sender', 4]]),
  };
}

describe('bench report', () => {
  it('compares each cold init median with the empty and naive ones', () => {
    // Prepare
    const variants = [
      variant('sender', 'bundle'),
      variant('(empty)', 'empty'),
      variant('(naive)', 'naive'),
    ];

    // Act
    const [sender] = buildResults(variants, samplesFor(variants));

    // Assess
    expect(sender?.coldInitMs.median).toBe(30);
    expect(sender?.deltaVsEmptyMs).toBe(29);
    expect(sender?.ratioVsNaive).toBe(0.2);
    expect(sender?.afterRuntime).toMatchObject({
      coldInitMs: { median: 20 },
      deltaVsEmptyMs: 19,
      ratioVsNaive: 0.2,
    });
    expect(sender?.initPlusFirstMs).toBe(40);
    expect(sender?.warm).toMatchObject({
      invocations: 4,
      wallP50Ms: 2.5,
      smsSent: 4,
    });
    expect(sender?.rssMb).toMatchObject({
      peak: 70,
      atInvocation100: 60,
      youngGenAtInvocation100: 8,
      youngGenAtLast: 16,
      liveHeapAtInvocation100: 12,
      liveHeapAtLast: 13,
    });
    expect(sender?.event).toBe('customSmsSender/sign-up.json');
  });

  it('prints one table row per variant', () => {
    // Prepare
    const variants = [
      variant('sender', 'bundle'),
      variant('(empty)', 'empty'),
      variant('(naive)', 'naive'),
    ];
    const results = buildResults(variants, samplesFor(variants));

    // Act
    const table = formatTable(results).split('\n');

    // Assess
    expect(table).toHaveLength(2 + variants.length);
    expect(table[2]).toMatch(
      /^\| sender \| 30\.0 \(29\.5–30\.5\) \| 29\.0 \| 0\.20 \| 0\.20 \(0\.19–0\.21\) \| 20\.0 \(19\.5–20\.5\) \| 19\.0 \| 0\.20 \| 0\.20 \(0\.19–0\.21\) \|/,
    );
  });

  it('pairs each cold init with the naive reference of the same round', () => {
    // Prepare
    const variants = [
      variant('sender', 'bundle'),
      variant('(empty)', 'empty'),
      variant('(naive)', 'naive'),
    ];
    const drifting = {
      ...samplesFor(variants),
      cold: new Map([
        ['sender', cold(10, 40, 30)],
        ['(empty)', cold(1, 1, 1)],
        ['(naive)', cold(100, 200, 50)],
      ]),
    };

    // Act
    const [sender] = buildResults(variants, drifting);

    // Assess
    expect(sender?.ratioVsNaive).toBe(0.3);
    expect(sender?.pairedVsNaive).toEqual({ median: 0.2, low: 0.1, high: 0.6 });
    expect(sender?.afterRuntime.pairedVsNaive).toEqual({
      median: 0.2,
      low: 0.19,
      high: 0.21,
    });
  });
});
