import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/**
 * moto_server on 127.0.0.1, started and stopped by PID: the local KMS, SNS
 * and DynamoDB for tests, the demo and local invoke.
 */

export const MOTO_INSTALL_HINT =
  'moto_server was not found. The local AWS stack needs moto with its server extra, ' +
  'from the Python that comes with the machine image; install it with: pip install "moto[server]"';

const LAUNCHER = path.join(__dirname, 'moto_server.py');

/** An SMS that moto's SNS recorded. */
export interface RecordedSms {
  readonly phoneNumber: string;
  readonly message: string;
  readonly messageId: string;
  readonly region: string;
}

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the server (by PID) and waits for it to exit. */
  stop(): Promise<void>;
  /** Drops all state, as after a fresh start. */
  reset(): Promise<void>;
  /** Every SMS SNS published, in every region. */
  smsMessages(): Promise<RecordedSms[]>;
}

function canImportMoto(python: string): boolean {
  const probe = spawnSync(python, ['-c', 'import moto.server, flask'], {
    stdio: 'ignore',
  });
  return probe.status === 0;
}

function shebangOf(file: string): string | undefined {
  try {
    const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
    return first.startsWith('#!') && first.includes('python')
      ? first.slice(2).trim().split(/\s+/)[0]
      : undefined;
  } catch {
    return undefined;
  }
}

function resolveOnPath(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], {
    encoding: 'utf8',
  });
  const location = found.stdout.trim();
  return found.status === 0 && location ? location : undefined;
}

/**
 * Finds a Python that can run moto_server: `MOTO_PYTHON`, then the
 * interpreter behind `moto_server` on PATH (pyenv shims included), then
 * `python3`.
 *
 * @throws Error with {@link MOTO_INSTALL_HINT} when there is none
 */
export function findMotoPython(): string {
  const candidates: string[] = [];
  if (process.env.MOTO_PYTHON) candidates.push(process.env.MOTO_PYTHON);
  const motoServer = resolveOnPath('moto_server');
  if (motoServer) {
    const pyenv = spawnSync('pyenv', ['which', 'moto_server'], {
      encoding: 'utf8',
    });
    const real = pyenv.status === 0 ? pyenv.stdout.trim() : motoServer;
    const interpreter = shebangOf(real);
    if (interpreter) candidates.push(interpreter);
  }
  candidates.push('python3', 'python');
  for (const candidate of candidates) {
    if (canImportMoto(candidate)) return candidate;
  }
  throw new Error(MOTO_INSTALL_HINT);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilReady(
  endpoint: string,
  child: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited early (code ${child.exitCode})`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('moto_server did not become ready within 30 s');
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

interface MotoSnsData {
  sns?: { SMS?: Record<string, unknown[]> | unknown[] };
}

function parseSms(data: MotoSnsData): RecordedSms[] {
  const raw = data.sns?.SMS;
  const rows: RecordedSms[] = [];
  const add = (region: string, items: unknown[]) => {
    for (const item of items) {
      const row = item as Record<string, string>;
      rows.push({
        region,
        phoneNumber: row.phone_number ?? '',
        message: row.message ?? '',
        messageId: row.message_id ?? '',
      });
    }
  };
  if (Array.isArray(raw)) add('unknown', raw);
  else if (raw) {
    for (const [key, items] of Object.entries(raw)) {
      if (Array.isArray(items)) add(key, items);
    }
  }
  return rows;
}

/**
 * Starts moto_server on 127.0.0.1 on a free port.
 *
 * @param options.detached - keep running after this process exits (local:start)
 * @throws Error naming the install command when moto is missing
 */
export async function startMoto(
  options: { detached?: boolean } = {},
): Promise<MotoServer> {
  const python = findMotoPython();
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn(
      python,
      [LAUNCHER, '-H', '127.0.0.1', '-p', String(port)],
      {
        stdio: 'ignore',
        detached: options.detached ?? false,
        env: { ...process.env, PYTHONUNBUFFERED: '1' },
      },
    );
    if (options.detached) child.unref();
    try {
      await waitUntilReady(endpoint, child);
    } catch (error) {
      lastError = error;
      await stopChild(child);
      continue;
    }
    const pid = child.pid ?? -1;
    return {
      endpoint,
      port,
      pid,
      stop: () => stopChild(child),
      reset: async () => {
        await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      },
      smsMessages: async () => {
        const response = await fetch(`${endpoint}/moto-api/data.json`);
        return parseSms((await response.json()) as MotoSnsData);
      },
    };
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/**
 * Reads the SMS recorded by an already running moto (e.g. from local:start).
 *
 * @param endpoint - moto's base URL
 */
export async function readRecordedSms(
  endpoint: string,
): Promise<RecordedSms[]> {
  const response = await fetch(`${endpoint}/moto-api/data.json`);
  return parseSms((await response.json()) as MotoSnsData);
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers. */
export interface BlackHole {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts a {@link BlackHole}: an endpoint that is up but never replies, the
 * slow dependency a timeout must turn into a defined outcome.
 */
export async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
