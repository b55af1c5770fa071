import { spawn } from 'node:child_process';
import { namesHeapFlags, senderNodeOptions } from '../infra/heap.js';
import type { Variant } from './variants';

/**
 * Runs the harness in fresh `node` processes with a Lambda-like
 * environment: no NODE_EXTRA_CA_CERTS (this machine sets it globally and it
 * costs ~80 ms per start; Lambda does not set it), static credentials, the
 * provisioned function environment and the local endpoints.
 */

export interface ColdSample {
  initMs: number;
  firstMs: number;
  firstError?: string;
  peakRssMb: number;
}

export interface WarmSample {
  wallMs: number[];
  cpuMs: number[];
  errors: Record<string, number>;
  rssAt100Mb: number;
  rssAtEndMb: number;
  /** V8's committed young generation at invocation 100 and at the end */
  youngGenAt100Mb: number;
  youngGenAtEndMb: number;
  /**
   * The JS heap still in use after a full garbage collection at invocation
   * 100 (after the RSS sample) and at the end: what the function retains,
   * without the garbage the young generation holds between collections.
   */
  liveHeapAt100Mb: number;
  liveHeapAtEndMb: number;
  peakRssMb: number;
}

export interface StackEndpoints {
  /** moto (KMS, SNS, DynamoDB) */
  readonly endpoint: string;
  /** the End User Messaging SMS stand-in */
  readonly smsVoiceEndpoint: string;
  /** the functions' environment from provisionLocalStack */
  readonly env: Readonly<Record<string, string>>;
}

/** The Lambda function name a variant runs as. */
export function functionNameOf(variant: Variant): string {
  return `cognito-trigger-suite-local-${variant.eventKey}`;
}

/** The memory size the bench gives every function (serverless.yml's). */
const FUNCTION_MEMORY_MB = 256;

/**
 * The environment a child process gets: built from scratch (only PATH is
 * passed on), like a Lambda runtime's.
 *
 * @param variant - what runs (names the function)
 * @param stack - the local endpoints and the provisioned environment
 * @param searchPath - PATH for the child
 */
export function lambdaEnv(
  variant: Variant,
  stack: StackEndpoints,
  searchPath: string,
): Record<string, string> {
  const region = 'eu-central-1';
  return {
    PATH: searchPath,
    TZ: 'UTC',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: 'local',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    // The deployed runtime is Node 22, where the SDK never warns about the
    // Node version; on this machine's Node 20 every SDK client would emit
    // that warning (an Error and a stderr write) during init.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: functionNameOf(variant),
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(FUNCTION_MEMORY_MB),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    ...stack.env,
    KEY_ARN: stack.env.KMS_KEY_ARN ?? '',
    AWS_ENDPOINT_URL: stack.endpoint,
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: stack.smsVoiceEndpoint,
    // The sender's own heap flags, as its serverless.yml environment sets
    // them (infra/heap.js); the naive reference keeps Lambda's.
    ...(variant.kind === 'bundle' && variant.eventKey === 'customSmsSender'
      ? { NODE_OPTIONS: senderNodeOptions(FUNCTION_MEMORY_MB) }
      : {}),
  };
}

/**
 * The V8 heap flags the Lambda Node.js runtime's bootstrap passes for the
 * function's memory size (AWS's base image: new space a tenth of the memory,
 * each semi-space half of that, old space the rest), so that the memory
 * figures are those of the deployed function.
 *
 * @param memoryMb - the function's memory size in MB
 */
export function lambdaNodeArgs(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}

/**
 * The heap flags Lambda's Node.js bootstrap puts on node's command line
 * for a function's environment: none when its NODE_OPTIONS names either
 * flag (the bootstrap then leaves both to the function), else
 * {@link lambdaNodeArgs}.
 *
 * @param env - the function's environment
 */
export function bootstrapNodeArgs(env: Record<string, string>): string[] {
  if (namesHeapFlags(env.NODE_OPTIONS)) return [];
  return lambdaNodeArgs(Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '256'));
}

/** How {@link runHarness} starts the child. */
export interface HarnessOptions {
  /** The node binary (default: the one running the bench). */
  readonly node?: string;
  /** More node flags after Lambda's heap flags. */
  readonly nodeFlags?: readonly string[];
  readonly timeoutMs?: number;
}

/**
 * Runs `node <Lambda's heap flags> harness.cjs <args>` (the flags as
 * {@link bootstrapNodeArgs} decides) and returns the JSON it writes on fd 3.
 *
 * @throws Error with the child's stderr when it fails or times out
 */
export function runHarness<T>(
  harness: string,
  args: string[],
  env: Record<string, string>,
  { node, nodeFlags = [], timeoutMs = 300_000 }: HarnessOptions = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const nodeArgs = [...bootstrapNodeArgs(env), ...nodeFlags];
    const child = spawn(
      node ?? process.execPath,
      [...nodeArgs, harness, ...args],
      {
        env,
        // stdout and stderr are pipes, as for a function in Lambda, whose
        // runtime captures both for CloudWatch: a /dev/null stdout would be a
        // different kind of stream for Node (and Powertools' Console) to set
        // up. The log lines are drained and dropped; results come on fd 3.
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      },
    );
    child.stdout?.resume();
    let result = '';
    let stderr = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      result += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && result.trim()) {
        resolve(JSON.parse(result) as T);
      } else {
        const why = signal ? `signal ${signal}` : `exit code ${code}`;
        reject(new Error(`harness ${args[0]} ${args[1]}: ${why}\n${stderr}`));
      }
    });
  });
}
