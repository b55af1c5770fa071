import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors';
import type { UpdateItemCommandType } from './velocity';

/**
 * Pre Sign-up's DynamoDB client for the velocity counters, created on first
 * use from the bundled SDK in a lazy chunk (./dynamodb.chunk): carrying the
 * client in the bundle itself would cost its compile time at every cold
 * start, while the shipped default has no sign-up limit. Short timeouts and
 * one retry keep a dead endpoint inside the function's 3-second timeout (two
 * attempts of 0.3 s to connect plus 0.8 s to answer, and one back-off).
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

let table: Promise<StateTable> | undefined;

async function create(): Promise<StateTable> {
  const sdk = await import('./dynamodb.chunk');
  const client = new sdk.DynamoDBClient({
    maxAttempts: STATE_CLIENT_OPTIONS.maxAttempts,
    requestHandler: {
      connectionTimeout: STATE_CLIENT_OPTIONS.connectionTimeout,
      requestTimeout: STATE_CLIENT_OPTIONS.requestTimeout,
      // Without it the SDK only warns when requestTimeout passes.
      throwOnRequestTimeout: true,
    },
  });
  return { client, UpdateItemCommand: sdk.UpdateItemCommand };
}

/**
 * Returns the process's state-table client, creating it on first call.
 *
 * @throws {@link DependencyError} (`dynamodb`, not transient) when the
 *   SDK chunk cannot be loaded; the failure mode then decides
 */
export function stateTable(): Promise<StateTable> {
  table ??= create().catch((error: unknown) => {
    table = undefined;
    throw new DependencyError('dynamodb', 'DynamoDB SDK chunk not loaded', {
      cause: error,
      isTransient: false,
    });
  });
  return table;
}
