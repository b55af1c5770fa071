import { type ChildProcess, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { freePort } from './moto';
import {
  LOCAL_REGION,
  LOCAL_STAGE,
  ROOT,
  readServerlessConfig,
} from './provision';

/**
 * A Cognito stand-in for end-to-end tests: cognito-local (a user-pool API)
 * calling the suite's built bundles (dist/, `npm run build`) through
 * serverless-offline's Lambda endpoint, as tooling.md §2 describes.
 *
 * - Both servers run in one temporary directory (cognito-local keeps its
 *   state in `./.cognito` under its cwd; serverless-offline gets a generated
 *   serverless.yml whose handlers are the bundles, so the repository tree is
 *   never touched and no esbuild runs).
 * - Each listens on a free 127.0.0.1 port, is started without npx (so the
 *   child's PID is the server's) and is stopped by that PID.
 * - PreSignUp and CustomMessage are wired; cognito-local supports no other
 *   trigger of this suite (not CustomSMSSender, not custom auth).
 */

export interface CognitoLocalOptions {
  /** The functions' environment (e.g. from provisionLocalStack) and extras. */
  readonly env: Record<string, string>;
  /** moto endpoint, for cognito-local's KMS config and the functions' SDKs. */
  readonly awsEndpoint: string;
  /** Triggers to wire (default: PreSignUp and CustomMessage). */
  readonly triggers?: ReadonlyArray<'PreSignUp' | 'CustomMessage'>;
}

export interface CognitoLocal {
  /** cognito-local's endpoint, for the Cognito SDK client. */
  readonly endpoint: string;
  /** serverless-offline's Lambda endpoint. */
  readonly lambdaEndpoint: string;
  /** A Cognito client pointed at cognito-local. */
  readonly client: CognitoIdentityProviderClient;
  /** Both servers' output so far (cognito-local prints the messages). */
  output(): string;
  /** Resolves once the output matches (e.g. a trigger's invocation line). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Stops both servers by PID and removes the temporary directory. */
  stop(): Promise<void>;
}

const FUNCTION_KEYS = {
  PreSignUp: 'preSignUp',
  CustomMessage: 'customMessage',
};
const READY_TIMEOUT_MS = 45_000;
const STOP_TIMEOUT_MS = 5_000;
const BIN = {
  osls: path.join(ROOT, 'node_modules', '.bin', 'osls'),
  cognitoLocal: path.join(ROOT, 'node_modules/cognito-local/lib/bin/start.js'),
};

interface Server {
  readonly child: ChildProcess;
  readonly output: string[];
}

function serviceName(): string {
  return String(readServerlessConfig().service);
}

function offlineConfig(options: CognitoLocalOptions, ports: number[]): object {
  const [lambdaPort, httpPort, websocketPort, albPort] = ports;
  const triggers = options.triggers ?? ['PreSignUp', 'CustomMessage'];
  const functions = Object.fromEntries(
    triggers.map((trigger) => {
      const key = FUNCTION_KEYS[trigger];
      return [key, { handler: `dist/${key}/index.handler`, timeout: 5 }];
    }),
  );
  return {
    service: serviceName(),
    frameworkVersion: '*',
    provider: {
      name: 'aws',
      runtime: 'nodejs22.x',
      region: LOCAL_REGION,
      stage: LOCAL_STAGE,
      environment: {
        ...options.env,
        STAGE: LOCAL_STAGE,
        AWS_ENDPOINT_URL: options.awsEndpoint,
      },
    },
    plugins: ['serverless-offline'],
    custom: {
      'serverless-offline': {
        host: '127.0.0.1',
        lambdaPort,
        httpPort,
        websocketPort,
        albPort,
        noPrependStageInUrl: true,
      },
    },
    functions,
  };
}

function cognitoConfig(
  options: CognitoLocalOptions,
  lambdaPort: number,
  port: number,
): object {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const prefix = `${serviceName()}-${LOCAL_STAGE}`;
  const triggers = options.triggers ?? ['PreSignUp', 'CustomMessage'];
  return {
    LambdaClient: {
      endpoint: `http://127.0.0.1:${lambdaPort}`,
      region: LOCAL_REGION,
      credentials,
    },
    TriggerFunctions: Object.fromEntries(
      triggers.map((trigger) => [
        trigger,
        `${prefix}-${FUNCTION_KEYS[trigger]}`,
      ]),
    ),
    // moto's KMS, with the pool's code key: what cognito-local encrypts
    // codes with for a custom sender trigger (none of ours runs there yet).
    ...(options.env.KMS_KEY_ARN
      ? {
          KMSConfig: {
            KMSKeyId: options.env.KMS_KEY_ARN,
            KMSKeyAlias: options.env.KMS_KEY_ARN,
            endpoint: options.awsEndpoint,
            region: LOCAL_REGION,
            credentials,
          },
        }
      : {}),
    ServerConfig: { hostname: '127.0.0.1', port },
  };
}

function launch(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Server {
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { child, output };
}

async function waitFor(server: Server, ready: RegExp, name: string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!ready.test(server.output.join(''))) {
    if (server.child.exitCode !== null || Date.now() > deadline)
      throw new Error(
        `${name} did not start:\n${server.output.join('').slice(-2000)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopServer(server: Server | undefined): Promise<void> {
  const child = server?.child;
  if (!child?.pid || child.exitCode !== null || child.signalCode) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.pid)
      process.kill(child.pid, 'SIGKILL');
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function prepareDirectory(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cognito-local-'));
  symlinkSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  mkdirSync(path.join(dir, '.cognito'));
  return dir;
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // NODE_OPTIONS may carry a test runner's loader hooks; the servers must
  // run as plain Node.
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  return {
    ...inherited,
    ...extra,
    SLS_TELEMETRY_DISABLED: '1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
}

/**
 * Starts serverless-offline (the bundles) and cognito-local in front of it.
 *
 * @param options - the functions' environment, moto's endpoint, triggers
 * @returns the running pair; call `stop()` in `afterAll`
 */
export async function startCognitoLocal(
  options: CognitoLocalOptions,
): Promise<CognitoLocal> {
  const dir = prepareDirectory();
  const ports = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
  const [lambdaPort, , , , port] = ports as [
    number,
    number,
    number,
    number,
    number,
  ];
  const servers: Server[] = [];
  const stop = async () => {
    await Promise.all(servers.map(stopServer));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    writeFileSync(
      path.join(dir, 'serverless.yml'),
      JSON.stringify(offlineConfig(options, ports)),
    );
    writeFileSync(
      path.join(dir, '.cognito', 'config.json'),
      JSON.stringify(cognitoConfig(options, lambdaPort, port)),
    );
    const offline = launch(BIN.osls, ['offline', 'start'], dir, childEnv({}));
    servers.push(offline);
    await waitFor(
      offline,
      /listening on http:\/\/127\.0\.0\.1:\d+/,
      'serverless-offline',
    );
    const cognito = launch(
      process.execPath,
      [BIN.cognitoLocal],
      dir,
      childEnv({ HOST: '127.0.0.1', PORT: String(port) }),
    );
    servers.push(cognito);
    await waitFor(cognito, /Cognito Local running on/, 'cognito-local');
  } catch (error) {
    await stop();
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const output = () => servers.flatMap((server) => server.output).join('');
  return {
    endpoint,
    lambdaEndpoint: `http://127.0.0.1:${lambdaPort}`,
    client: new CognitoIdentityProviderClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    output,
    waitForOutput: async (pattern, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output())) {
        if (Date.now() > deadline)
          throw new Error(
            `no output matching ${pattern} within ${timeoutMs} ms`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return output();
    },
    stop,
  };
}

/**
 * The functions' own log lines (Powertools JSON) in cognito-local's output,
 * without cognito-local's delivery box (which shows the codes it "sent").
 *
 * @param output - cognito-local's output so far
 */
export function handlerLogLines(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('{"level"'));
}
