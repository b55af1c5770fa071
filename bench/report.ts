import type { ColdSample, WarmSample } from './runner';
import {
  type MedianInterval,
  medianInterval,
  pairedRatios,
  percentile,
  round,
  type Summary,
  summarize,
} from './stats';
import type { Variant, VariantKind } from './variants';

/** One variant's row of bench/results.json. */
export interface VariantResult {
  readonly name: string;
  readonly kind: VariantKind;
  readonly event: string;
  readonly coldInitMs: Summary;
  readonly firstInvokeMs: Summary;
  readonly initPlusFirstMs: number;
  readonly firstInvokeErrors: Record<string, number>;
  readonly deltaVsEmptyMs: number;
  readonly ratioVsNaive: number;
  /**
   * Cold init over the naive reference's in the same round (both run in
   * every round, interleaved), the median of those ratios and its 95%
   * interval: drift between rounds cancels out of each ratio.
   */
  readonly pairedVsNaive: MedianInterval;
  /**
   * Cold init after what Lambda's Node.js runtime loads before the handler
   * (bench/harness.ts LAMBDA_RUNTIME_MODULES), against the empty handler
   * and the naive reference measured the same way.
   */
  readonly afterRuntime: {
    readonly coldInitMs: Summary;
    readonly deltaVsEmptyMs: number;
    readonly ratioVsNaive: number;
    readonly pairedVsNaive: MedianInterval;
  };
  readonly sizeBytes: { raw: number; gzip: number };
  readonly warm: {
    readonly invocations: number;
    readonly wallP50Ms: number;
    readonly wallP99Ms: number;
    readonly cpuP50Ms: number;
    readonly cpuP99Ms: number;
    readonly errors: Record<string, number>;
    /** SMS moto's SNS and the stub recorded during the warm run. */
    readonly smsSent: number;
  };
  readonly rssMb: {
    peak: number;
    atInvocation100: number;
    atLast: number;
    /** V8's committed young generation, part of the RSS above */
    youngGenAtInvocation100: number;
    youngGenAtLast: number;
    /** The JS heap in use after a full collection: what is retained */
    liveHeapAtInvocation100: number;
    liveHeapAtLast: number;
  };
}

const roundSummary = (summary: Summary, digits = 1): Summary => ({
  n: summary.n,
  median: round(summary.median, digits),
  p25: round(summary.p25, digits),
  p75: round(summary.p75, digits),
  min: round(summary.min, digits),
  max: round(summary.max, digits),
});

function countErrors(samples: ColdSample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { firstError } of samples) {
    if (firstError) counts[firstError] = (counts[firstError] ?? 0) + 1;
  }
  return counts;
}

/**
 * Turns raw samples into result rows with Δ vs the empty handler and the
 * ratio vs the naive reference (both by cold init median).
 */
export function buildResults(
  variants: readonly Variant[],
  samples: {
    cold: ReadonlyMap<string, ColdSample[]>;
    coldRuntime: ReadonlyMap<string, ColdSample[]>;
    warm: ReadonlyMap<string, WarmSample>;
    size: ReadonlyMap<string, { raw: number; gzip: number }>;
    sms: ReadonlyMap<string, number>;
  },
): VariantResult[] {
  const initOf = (
    cold: ReadonlyMap<string, ColdSample[]>,
    kind: VariantKind,
  ) => {
    const variant = variants.find((v) => v.kind === kind);
    const found = variant ? cold.get(variant.name) : undefined;
    return found ? summarize(found.map((s) => s.initMs)).median : Number.NaN;
  };
  const initsOf = (cold: ReadonlyMap<string, ColdSample[]>, name: string) =>
    (cold.get(name) ?? []).map((sample) => sample.initMs);
  const compare = (cold: ReadonlyMap<string, ColdSample[]>) => {
    const emptyInit = initOf(cold, 'empty');
    const naiveInit = initOf(cold, 'naive');
    const naive = variants.find((v) => v.kind === 'naive');
    const naiveInits = naive ? initsOf(cold, naive.name) : [];
    return (name: string, init: Summary) => {
      const paired = medianInterval(
        pairedRatios(initsOf(cold, name), naiveInits),
      );
      return {
        deltaVsEmptyMs: round(init.median - emptyInit, 2),
        ratioVsNaive: round(init.median / naiveInit, 3),
        pairedVsNaive: {
          median: round(paired.median, 3),
          low: round(paired.low, 3),
          high: round(paired.high, 3),
        },
      };
    };
  };
  const bare = compare(samples.cold);
  const afterRuntime = compare(samples.coldRuntime);
  return variants.map((variant) => {
    const cold = samples.cold.get(variant.name) ?? [];
    const warm = samples.warm.get(variant.name) as WarmSample;
    const init = summarize(cold.map((s) => s.initMs));
    const initAfterRuntime = summarize(
      (samples.coldRuntime.get(variant.name) ?? []).map((s) => s.initMs),
    );
    const first = summarize(cold.map((s) => s.firstMs));
    const total = summarize(cold.map((s) => s.initMs + s.firstMs));
    const coldPeak = Math.max(...cold.map((s) => s.peakRssMb));
    return {
      name: variant.name,
      kind: variant.kind,
      event: variant.eventFile.replace(/^.*test\/fixtures\/events\//, ''),
      coldInitMs: roundSummary(init, 2),
      firstInvokeMs: roundSummary(first, 2),
      initPlusFirstMs: round(total.median, 2),
      firstInvokeErrors: countErrors(cold),
      ...bare(variant.name, init),
      afterRuntime: {
        coldInitMs: roundSummary(initAfterRuntime, 2),
        ...afterRuntime(variant.name, initAfterRuntime),
      },
      sizeBytes: samples.size.get(variant.name) ?? { raw: 0, gzip: 0 },
      warm: {
        invocations: warm.wallMs.length,
        wallP50Ms: round(percentile(warm.wallMs, 50), 3),
        wallP99Ms: round(percentile(warm.wallMs, 99), 3),
        cpuP50Ms: round(percentile(warm.cpuMs, 50), 3),
        cpuP99Ms: round(percentile(warm.cpuMs, 99), 3),
        errors: warm.errors,
        smsSent: samples.sms.get(variant.name) ?? 0,
      },
      rssMb: {
        peak: round(Math.max(coldPeak, warm.peakRssMb)),
        atInvocation100: round(warm.rssAt100Mb),
        atLast: round(warm.rssAtEndMb),
        youngGenAtInvocation100: round(warm.youngGenAt100Mb),
        youngGenAtLast: round(warm.youngGenAtEndMb),
        liveHeapAtInvocation100: round(warm.liveHeapAt100Mb),
        liveHeapAtLast: round(warm.liveHeapAtEndMb),
      },
    };
  });
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const ms = (value: number) =>
  value >= 10 ? value.toFixed(1) : value.toFixed(2);

const interval = ({ median, low, high }: MedianInterval) =>
  `${median.toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)})`;

function errorNote(errors: Record<string, number>): string {
  const parts = Object.entries(errors).map(([name, n]) => `${name}×${n}`);
  return parts.length ? parts.join(' ') : '';
}

/** The results as a Markdown table (printed, and pasted into reports). */
export function formatTable(results: readonly VariantResult[]): string {
  const header = [
    'bundle',
    'cold init ms (med)',
    'Δ vs empty ms',
    '× naive',
    '× naive, paired (95% CI)',
    'after runtime: cold init ms (med)',
    'after runtime: Δ vs empty ms',
    'after runtime: × naive',
    'after runtime: × naive, paired (95% CI)',
    'init+1st ms',
    'size KiB raw / gz',
    'warm n',
    'warm p50 / p99 ms (wall)',
    'warm CPU p50 / p99 ms',
    'peak RSS MB',
    'RSS @100 / @last MB',
    'of it young gen @100 / @last MB',
    'JS heap after GC @100 / @last MB',
    'SMS sent (warm)',
    'errors (warm)',
  ];
  const rows = results.map((r) => [
    r.name,
    `${ms(r.coldInitMs.median)} (${ms(r.coldInitMs.p25)}–${ms(r.coldInitMs.p75)})`,
    r.kind === 'empty' ? '–' : ms(r.deltaVsEmptyMs),
    r.ratioVsNaive.toFixed(2),
    interval(r.pairedVsNaive),
    `${ms(r.afterRuntime.coldInitMs.median)} (${ms(r.afterRuntime.coldInitMs.p25)}–${ms(r.afterRuntime.coldInitMs.p75)})`,
    r.kind === 'empty' ? '–' : ms(r.afterRuntime.deltaVsEmptyMs),
    r.afterRuntime.ratioVsNaive.toFixed(2),
    interval(r.afterRuntime.pairedVsNaive),
    ms(r.initPlusFirstMs),
    `${kib(r.sizeBytes.raw)} / ${kib(r.sizeBytes.gzip)}`,
    String(r.warm.invocations),
    `${ms(r.warm.wallP50Ms)} / ${ms(r.warm.wallP99Ms)}`,
    `${ms(r.warm.cpuP50Ms)} / ${ms(r.warm.cpuP99Ms)}`,
    r.rssMb.peak.toFixed(1),
    `${r.rssMb.atInvocation100.toFixed(1)} / ${r.rssMb.atLast.toFixed(1)}`,
    `${r.rssMb.youngGenAtInvocation100.toFixed(1)} / ${r.rssMb.youngGenAtLast.toFixed(1)}`,
    `${r.rssMb.liveHeapAtInvocation100.toFixed(1)} / ${r.rssMb.liveHeapAtLast.toFixed(1)}`,
    String(r.warm.smsSent),
    errorNote(r.warm.errors),
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join(
    '\n',
  );
}
