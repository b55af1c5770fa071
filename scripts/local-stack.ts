/**
 * npm run local:start | npm run local:stop
 *
 * start: launches a detached moto_server on 127.0.0.1 (a free port),
 * provisions it from infra/ and writes `.local/stack.json` ({endpoint, pid,
 * env}); prints `AWS_ENDPOINT_URL=...` and the functions' environment as
 * KEY=VALUE lines (e.g. `set -a; eval "$(npm run --silent local:start)"`).
 * stop: stops that moto_server by its PID and removes the state file.
 * `npm run invoke` uses a running stack instead of starting its own.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { startMoto } from '../test/support/moto';
import {
  LOCAL_REGION,
  provisionLocalStack,
  ROOT,
} from '../test/support/provision';

/** Where `local:start` records the running stack. */
export const STACK_STATE_FILE = path.join(ROOT, '.local', 'stack.json');

/** What `.local/stack.json` holds. */
export interface StackState {
  readonly endpoint: string;
  readonly pid: number;
  readonly env: Record<string, string>;
}

/** Reads the state file, or undefined when there is none or it is unreadable. */
export function readStackState(): StackState | undefined {
  if (!existsSync(STACK_STATE_FILE)) return undefined;
  try {
    const state = JSON.parse(readFileSync(STACK_STATE_FILE, 'utf8'));
    const valid =
      typeof state?.endpoint === 'string' &&
      Number.isInteger(state?.pid) &&
      typeof state?.env === 'object';
    return valid ? (state as StackState) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the PID is alive and (where /proc exists) still a moto_server, so
 * a recycled PID never gets killed.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('moto_server');
  } catch {
    return !existsSync('/proc/self');
  }
}

/**
 * The stack `local:start` left running, if its PID is alive and its
 * endpoint answers; undefined otherwise.
 */
export async function runningStack(): Promise<StackState | undefined> {
  const state = readStackState();
  if (!state || !isAlive(state.pid)) return undefined;
  try {
    const response = await fetch(`${state.endpoint}/moto-api/data.json`, {
      signal: AbortSignal.timeout(3_000),
    });
    return response.ok ? state : undefined;
  } catch {
    return undefined;
  }
}

/** The lines `local:start` prints: the endpoint, region and function env. */
export function envLines(state: StackState): string[] {
  return [
    `AWS_ENDPOINT_URL=${state.endpoint}`,
    `AWS_REGION=${LOCAL_REGION}`,
    'AWS_ACCESS_KEY_ID=local',
    'AWS_SECRET_ACCESS_KEY=local',
    ...Object.entries(state.env).map(([key, value]) => `${key}=${value}`),
  ];
}

async function start(): Promise<void> {
  const existing = await runningStack();
  if (existing) {
    process.stderr.write(
      `local stack already running (pid ${existing.pid}); npm run local:stop stops it\n`,
    );
    process.stdout.write(`${envLines(existing).join('\n')}\n`);
    return;
  }
  const moto = await startMoto({ detached: true });
  try {
    const { env } = await provisionLocalStack({ endpoint: moto.endpoint });
    const state: StackState = { endpoint: moto.endpoint, pid: moto.pid, env };
    mkdirSync(path.dirname(STACK_STATE_FILE), { recursive: true });
    writeFileSync(STACK_STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
    process.stderr.write(
      `local stack running: moto pid ${moto.pid} on ${moto.endpoint}\n`,
    );
    process.stdout.write(`${envLines(state).join('\n')}\n`);
  } catch (error) {
    await moto.stop();
    throw error;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

async function stop(): Promise<void> {
  const state = readStackState();
  if (!state) {
    process.stderr.write('no local stack recorded in .local/stack.json\n');
    return;
  }
  if (isAlive(state.pid)) {
    process.kill(state.pid, 'SIGTERM');
    if (!(await waitForExit(state.pid, 5_000))) {
      process.kill(state.pid, 'SIGKILL');
      await waitForExit(state.pid, 2_000);
    }
    process.stderr.write(`stopped moto pid ${state.pid}\n`);
  } else {
    process.stderr.write(`moto pid ${state.pid} was no longer running\n`);
  }
  rmSync(STACK_STATE_FILE, { force: true });
}

if (require.main === module) {
  const command = process.argv[2];
  const run = command === 'start' ? start : command === 'stop' ? stop : null;
  if (!run) {
    process.stderr.write('usage: tsx scripts/local-stack.ts start|stop\n');
    process.exit(2);
  }
  run().catch((error: unknown) => {
    process.stderr.write(
      `local:${command} failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
