import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors';
import type { UpdateItemCommandType } from './velocity';

/**
 * Pre Sign-up's DynamoDB client for the velocity counters, created on first
 * use from the AWS SDK that the Lambda Node.js runtime ships
 * (`@aws-sdk/client-dynamodb`; locally, node_modules).
 *
 * Why not bundle it: merely carrying the DynamoDB client in the bundle costs
 * about 40 ms of cold init (V8 compiles its ~270 kB even when velocity is
 * off, measured on the preSignUp bundle), while the shipped default has no
 * sign-up limit. The module name is built at run time so esbuild leaves the
 * `require` alone. The client and its command class come from the same SDK
 * copy. Short timeouts and one retry keep a dead endpoint inside the
 * function's 3-second timeout (two attempts of 0.3 s to connect plus 0.8 s
 * to answer, and one back-off).
 */

/** A state-table client and the command class of the same SDK. */
export interface StateTable {
  readonly client: DynamoDBClient;
  readonly UpdateItemCommand: UpdateItemCommandType;
}

/** Timeouts (ms) and attempts of the state-table client. */
export const STATE_CLIENT_OPTIONS = Object.freeze({
  maxAttempts: 2,
  connectionTimeout: 300,
  requestTimeout: 800,
});

const SDK_MODULE = ['@aws-sdk', 'client-dynamodb'].join('/');

let table: Promise<StateTable> | undefined;

type DynamoDbSdk = typeof import('@aws-sdk/client-dynamodb');

/**
 * CommonJS `require` finds the runtime's SDK through NODE_PATH
 * (/var/runtime/node_modules on Lambda), which ESM `import()` ignores; the
 * bundles are CommonJS, so they take that path. The test runner, which has
 * no `require`, imports it.
 */
async function loadSdk(): Promise<DynamoDbSdk> {
  if (typeof require === 'function') return require(SDK_MODULE) as DynamoDbSdk;
  return (await import(/* @vite-ignore */ SDK_MODULE)) as DynamoDbSdk;
}

async function create(): Promise<StateTable> {
  const sdk = await loadSdk();
  const client = new sdk.DynamoDBClient({
    maxAttempts: STATE_CLIENT_OPTIONS.maxAttempts,
    requestHandler: {
      connectionTimeout: STATE_CLIENT_OPTIONS.connectionTimeout,
      requestTimeout: STATE_CLIENT_OPTIONS.requestTimeout,
    },
  });
  return { client, UpdateItemCommand: sdk.UpdateItemCommand };
}

/**
 * Returns the process's state-table client, creating it on first call.
 *
 * @throws {@link DependencyError} (`dynamodb`, not transient) when the
 *   runtime has no AWS SDK; the failure mode then decides
 */
export function stateTable(): Promise<StateTable> {
  table ??= create().catch((error: unknown) => {
    table = undefined;
    throw new DependencyError('dynamodb', 'AWS SDK not available', {
      cause: error,
      isTransient: false,
    });
  });
  return table;
}
