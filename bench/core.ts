import path from 'node:path';
import { build } from 'esbuild';
import { sharedBuildOptions } from '../scripts/build';
import { ROOT } from '../test/support/provision';
import { runHarness } from './runner';
import { percentile, round } from './stats';

/**
 * The "pure core" section of `npm run bench`: the decision logic the
 * issues set warm targets for "excluding the network", timed call by call
 * in a fresh child process per case (bench/core-harness.ts), beside its
 * target.
 */

/** An issue's warm target for one case. */
export interface CoreTarget {
  readonly issue: number;
  /** What is timed, in words (printed, and written to results.json). */
  readonly what: string;
  /** The percentile the target is stated for. */
  readonly percentile: 50 | 99;
  readonly maxMs: number;
  /** `under` the bound (strict) or `at most` it. */
  readonly isStrict: boolean;
}

/** The cases in table order, with the issues' targets. */
export const CORE_TARGETS: Readonly<Record<string, CoreTarget>> = {
  renderMessage: {
    issue: 4,
    what: 'renderMessage: Custom Message sign-up email body (en)',
    percentile: 99,
    maxMs: 0.2,
    isStrict: true,
  },
  renderSms: {
    issue: 4,
    what: 'renderSms: sign-up SMS with encoding and segments',
    percentile: 99,
    maxMs: 0.2,
    isStrict: true,
  },
  decideSignUp: {
    issue: 6,
    what: 'decideSignUp: sign-up fixture, shipped policy',
    percentile: 99,
    maxMs: 0.3,
    isStrict: true,
  },
  decideSignUpPhoneRules: {
    issue: 6,
    what: 'decideSignUp: shipped policy + phone country allow-list',
    percentile: 99,
    maxMs: 0.3,
    isStrict: true,
  },
  verifyTotp: {
    issue: 5,
    what: 'Verify: classify answer, unmarshall + parse record, TOTP over ±window',
    percentile: 99,
    maxMs: 1,
    isStrict: true,
  },
  senderPrepareRender: {
    issue: 3,
    what: 'sender: parse event, prepareSms, unescape, renderSms (no decrypt)',
    percentile: 50,
    maxMs: 3,
    isStrict: false,
  },
  senderWithLocalDecrypt: {
    issue: 3,
    what: 'sender: the same + ESDK decrypt, data key unwrapped locally (no KMS)',
    percentile: 50,
    maxMs: 3,
    isStrict: false,
  },
};

/** What a core child process reports. */
export interface CoreSample {
  readonly samplesMs: readonly number[];
  readonly loopWallMs: number;
  readonly loopCpuMs: number;
}

/** One row of results.json's `core`. */
export interface CoreResult {
  readonly name: string;
  readonly issue: number;
  readonly what: string;
  readonly calls: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** process.cpuUsage() over the timed loop, per call. */
  readonly cpuMeanMs: number;
  readonly target: string;
  readonly meetsTarget: boolean;
}

/** The target in words, e.g. `p99 < 0.2 ms`. */
export function describeTarget(target: CoreTarget): string {
  return `p${target.percentile} ${target.isStrict ? '<' : '≤'} ${target.maxMs} ms`;
}

/**
 * Summarises one case's samples against its target.
 *
 * @throws Error when the case has no target or no samples
 */
export function summarizeCore(name: string, sample: CoreSample): CoreResult {
  const target = CORE_TARGETS[name];
  if (!target) throw new Error(`no core target for ${name}`);
  const p50 = percentile(sample.samplesMs, 50);
  const p99 = percentile(sample.samplesMs, 99);
  const measured = target.percentile === 50 ? p50 : p99;
  return {
    name,
    issue: target.issue,
    what: target.what,
    calls: sample.samplesMs.length,
    p50Ms: round(p50, 4),
    p99Ms: round(p99, 4),
    maxMs: round(Math.max(...sample.samplesMs), 3),
    cpuMeanMs: round(sample.loopCpuMs / sample.samplesMs.length, 4),
    target: describeTarget(target),
    meetsTarget: target.isStrict
      ? measured < target.maxMs
      : measured <= target.maxMs,
  };
}

/** Two decimals from 1 ms, three from 0.1 ms, else four. */
export const msText = (value: number) =>
  value.toFixed(value >= 1 ? 2 : value >= 0.1 ? 3 : 4);

/** The core results as a second Markdown table. */
export function formatCoreTable(results: readonly CoreResult[]): string {
  const header = [
    'pure core',
    'issue',
    'calls',
    'p50 ms',
    'p99 ms',
    'CPU mean ms',
    'target',
    'met',
  ];
  const rows = results.map((r) => [
    r.name,
    `#${r.issue}`,
    String(r.calls),
    msText(r.p50Ms),
    msText(r.p99Ms),
    msText(r.cpuMeanMs),
    r.target,
    r.meetsTarget ? 'yes' : 'NO',
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join(
    '\n',
  );
}

/** Builds the core child process with the functions' esbuild options. */
export async function buildCoreHarness(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'core-harness.cjs');
  await build({
    ...sharedBuildOptions(),
    entryPoints: [path.join(ROOT, 'bench', 'core-harness.ts')],
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

/** Options of {@link runCore}. */
export interface CoreRunOptions {
  readonly harness: string;
  readonly env: Record<string, string>;
  readonly calls: number;
  readonly warmUp: number;
  readonly log: (text: string) => void;
  /** The node binary (default: the one running the bench). */
  readonly node?: string;
}

/** Runs every case in its own fresh child process, one after another. */
export async function runCore(options: CoreRunOptions): Promise<CoreResult[]> {
  const fixtures = path.join(ROOT, 'test', 'fixtures', 'events');
  const results: CoreResult[] = [];
  for (const name of Object.keys(CORE_TARGETS)) {
    options.log(`bench: core ${name} × ${options.calls}`);
    const sample = await runHarness<CoreSample>(
      options.harness,
      [name, String(options.calls), String(options.warmUp), fixtures],
      options.env,
      { node: options.node },
    );
    results.push(summarizeCore(name, sample));
  }
  return results;
}
