/**
 * The pure-core child process of `npm run bench` (built to a .cjs file with
 * the functions' own esbuild options and run with plain `node`):
 *
 *   node core-harness.cjs <case> <calls> <warm-up calls> <fixtures dir>
 *
 * Sets the case up (bench/core-cases.ts), makes <warm-up calls> untimed
 * calls, then times <calls> calls one by one with process.hrtime.bigint()
 * and the whole timed loop with process.cpuUsage(). Every call's result
 * must be the warm-up's (a call that starts failing or answering otherwise
 * stops the run). The result is one JSON line on file descriptor 3.
 */
import { writeSync } from 'node:fs';
import { CORE_CASES, type CoreCall, type CoreCaseName } from './core-cases';

const RESULT_FD = 3;

const isCaseName = (name: string): name is CoreCaseName =>
  Object.hasOwn(CORE_CASES, name);

async function timedLoop(call: CoreCall, calls: number, expected: unknown) {
  const samplesMs = new Array<number>(calls);
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i += 1) {
    const t0 = process.hrtime.bigint();
    let result = call();
    if (result instanceof Promise) result = await result;
    const t1 = process.hrtime.bigint();
    samplesMs[i] = Number(t1 - t0) / 1e6;
    if (result !== expected) {
      throw new Error(
        `call ${i} answered ${String(result)}, not ${String(expected)}`,
      );
    }
  }
  const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return {
    samplesMs,
    loopWallMs: wallMs,
    loopCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function main(): Promise<void> {
  const [name = '', calls = '10000', warmUp = '1000', fixtures = ''] =
    process.argv.slice(2);
  if (!isCaseName(name) || !fixtures) {
    throw new Error('usage: core-harness <case> <calls> <warm-up> <fixtures>');
  }
  const call = await CORE_CASES[name](fixtures);
  let expected: unknown = await call();
  if (expected === undefined) throw new Error('the call has no result');
  for (let i = 1; i < Number(warmUp); i += 1) expected = await call();
  const loop = await timedLoop(call, Number(calls), expected);
  writeSync(RESULT_FD, `${JSON.stringify({ name, ...loop })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`core harness failed: ${String(error)}\n`);
  process.exit(1);
});
