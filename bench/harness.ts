/**
 * The benchmark's child process (built to a .cjs file by scripts/bench.ts and
 * run with plain `node`, so no loader hook distorts the timings).
 *
 *   node harness.cjs cold <bundle.js> <event.json> <function-name> <seq> [bare|runtime]
 *   node harness.cjs warm <bundle.js> <event.json> <function-name> <n> <budget-ms>
 *
 * cold: times `require()` of the bundle until `handler` is a function (the
 * in-process cold init), then one handler call (the first invocation), as
 * user <seq> of the cold runs. `bare` (the default) loads the bundle into a
 * bare `node`; `runtime` first loads what Lambda's Node.js runtime has
 * loaded before it loads a handler ({@link LAMBDA_RUNTIME_MODULES}).
 * warm: loads the bundle, makes one untimed call, then times up to <n>
 * calls (wall and CPU time each), stopping early once <budget-ms> is spent
 * but never before call 100; samples RSS at call 100 and the last.
 * The result is one JSON line on file descriptor 3; stdout (the function's
 * logs) is the parent's to discard.
 */
// Only `fs` (which Node's module loader has loaded already): anything else
// the harness imported before the bundle would be missing from its init
// (test/unit/bench-runner.test.ts checks it).
import { readFileSync, writeSync } from 'node:fs';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const RESULT_FD = 3;

/**
 * The Node modules Lambda's Node.js runtime (aws-lambda-nodejs-runtime-
 * interface-client, the bootstrap of the managed runtimes) has loaded before
 * it loads the handler: its Runtime API client requires `node:http` (at
 * module load in the current client, `src/client/rapid-client.ts`; in the
 * `RAPIDClient` constructor, run before `UserFunction.load`, in the earlier
 * `src/index.mjs`). `node:http` brings `net`, `stream` and the rest of
 * Node's networking with it, so a function that needs those pays less in
 * Lambda than in a bare `node`. Only what the runtime's source shows is
 * listed; its own modules and anything else it may load are not.
 */
export const LAMBDA_RUNTIME_MODULES = ['node:http'] as const;

type Json = Record<string, unknown>;

let functionName = 'bench';
let requests = 0;

function lambdaContext(): Json {
  const name = functionName;
  requests += 1;
  return {
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId: `00000000-0000-4000-8000-${String(requests).padStart(12, '0')}`,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'bench',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * `value` with the `width` characters before its last `keep` replaced by
 * i (modulo 10^width), zero-padded.
 */
const numbered = (value: string, i: number, width: number, keep = 0) =>
  value.slice(0, value.length - keep - width) +
  String(i % 10 ** width).padStart(width, '0') +
  value.slice(value.length - keep);

/** Cold processes are users 5000, 5001, ...: apart from the warm ones. */
const COLD_USERS = 5000;

/**
 * A fresh copy of the event for call i, as another user each time (user
 * name, sub, phone number): a warm function serves many users, and the
 * sender's per-code idempotency and per-user/phone/prefix velocity limits
 * would otherwise turn the loop into duplicates and refusals. The phone
 * number changes in the three digits before its last four, so each call
 * also has its own prefix (cold processes reuse at most one warm call's
 * number). Nothing leaves the machine: SMS go to moto and the stub.
 */
function eventFor(base: Json, i: number): unknown {
  const event = structuredClone(base);
  if (typeof event.userName === 'string') {
    event.userName = numbered(event.userName, i, 4);
  }
  const request = event.request as Json | undefined;
  const attributes = request?.userAttributes as Json | undefined;
  if (attributes && typeof attributes.sub === 'string') {
    attributes.sub = numbered(attributes.sub, i, 4);
  }
  if (attributes && typeof attributes.phone_number === 'string') {
    attributes.phone_number = numbered(attributes.phone_number, i, 3, 4);
  }
  return event;
}

interface CallOutcome {
  wallMs: number;
  cpuMs: number;
  error?: string;
}

async function call(handler: Handler, event: unknown): Promise<CallOutcome> {
  const context = lambdaContext();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let error: string | undefined;
  try {
    await handler(event, context);
  } catch (caught) {
    error = caught instanceof Error ? caught.name : 'non-Error';
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, error };
}

function load(bundle: string): { handler: Handler; initMs: number } {
  // process.hrtime, not performance.now(): the global `performance` loads
  // Node's perf_hooks modules on first use, which the bundle would then find
  // loaded already.
  const t0 = process.hrtime.bigint();
  const mod = require(bundle) as { handler?: unknown };
  if (typeof mod.handler !== 'function') {
    throw new Error('the bundle does not export a handler function');
  }
  const initMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { handler: mod.handler as Handler, initMs };
}

const mb = (bytes: number) => bytes / (1024 * 1024);
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

/**
 * What V8 has committed for the young generation (new space and its large
 * objects): it grows toward the --max-semi-space-size Lambda sets as the
 * process allocates, which shows in RSS without being a leak.
 */
function youngGenerationMb(): number {
  // Loaded here, after the bundle: node:v8 brings all of node:stream with it.
  const v8 = process.getBuiltinModule('node:v8');
  return mb(
    v8
      .getHeapSpaceStatistics()
      .filter((space) => space.space_name.startsWith('new_'))
      .reduce((sum, space) => sum + space.space_size, 0),
  );
}

async function cold(
  bundle: string,
  event: Json,
  seq: number,
  setting: string | undefined,
) {
  if (setting === 'runtime') {
    for (const name of LAMBDA_RUNTIME_MODULES) process.getBuiltinModule(name);
  } else if (setting !== undefined && setting !== 'bare') {
    throw new Error(`unknown cold setting ${setting}`);
  }
  const { handler, initMs } = load(bundle);
  const first = await call(handler, eventFor(event, COLD_USERS + seq));
  return {
    initMs,
    firstMs: first.wallMs,
    firstError: first.error,
    peakRssMb: peakRssMb(),
  };
}

const MIN_WARM_CALLS = 100;

/**
 * The JS heap in use after a full collection (the warm run is started with
 * --expose-gc for it: the flag only exposes gc()).
 */
function liveHeapMb(): number {
  const { gc } = globalThis as { gc?: () => void };
  if (!gc) throw new Error('the warm harness needs --expose-gc');
  gc();
  return mb(process.memoryUsage().heapUsed);
}

async function warm(bundle: string, event: Json, n: number, budgetMs: number) {
  const { handler } = load(bundle);
  await call(handler, eventFor(event, 0));
  // The instruments' own memory (node:v8 loads node:stream; a first full
  // collection) belongs in both samples, not only in the last one.
  youngGenerationMb();
  liveHeapMb();
  const deadline = performance.now() + budgetMs;
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  const errors: Record<string, number> = {};
  let rssAt100Mb = 0;
  let youngGenAt100Mb = 0;
  let liveHeapAt100Mb = 0;
  for (let i = 1; i <= n; i += 1) {
    const outcome = await call(handler, eventFor(event, i));
    wallMs.push(outcome.wallMs);
    cpuMs.push(outcome.cpuMs);
    if (outcome.error) errors[outcome.error] = (errors[outcome.error] ?? 0) + 1;
    if (i === MIN_WARM_CALLS) {
      rssAt100Mb = mb(process.memoryUsage.rss());
      youngGenAt100Mb = youngGenerationMb();
      liveHeapAt100Mb = liveHeapMb();
    }
    if (i >= MIN_WARM_CALLS && performance.now() > deadline) break;
  }
  const rssAtEndMb = mb(process.memoryUsage.rss());
  const youngGenAtEndMb = youngGenerationMb();
  const peak = peakRssMb();
  return {
    wallMs,
    cpuMs,
    errors,
    rssAt100Mb,
    rssAtEndMb,
    youngGenAt100Mb,
    youngGenAtEndMb,
    liveHeapAt100Mb,
    liveHeapAtEndMb: liveHeapMb(),
    peakRssMb: peak,
  };
}

async function main(): Promise<void> {
  const [mode, bundle, eventFile, name, count, extra] = process.argv.slice(2);
  if (!bundle || !eventFile || !name) {
    throw new Error('usage: harness cold|warm <bundle> <event> <name> ...');
  }
  functionName = name;
  const event = JSON.parse(readFileSync(eventFile, 'utf8')) as Json;
  const result =
    mode === 'warm'
      ? await warm(
          bundle,
          event,
          Number(count ?? 1000),
          Number(extra ?? Number.POSITIVE_INFINITY),
        )
      : await cold(bundle, event, Number(count ?? 0), extra);
  writeSync(RESULT_FD, `${JSON.stringify(result)}\n`);
  // Open SDK sockets must not keep a cold-run process alive.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`harness failed: ${String(error)}\n`);
  process.exit(1);
});
