import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The DynamoDB client of the state table, created on first use: the SDK is
 * loaded only when a velocity limit is switched on, so the shipped default
 * (no sign-up limits) does not pay for it at cold start.
 *
 * Short timeouts and one retry keep a dead endpoint inside the function's
 * 3-second timeout and Cognito's 5-second deadline: at most two attempts of
 * 0.3 s to connect plus 0.8 s to answer, and one back-off.
 */

let client: Promise<DynamoDBClient> | undefined;

/** Timeouts (ms) and attempts of the state-table client. */
export const STATE_CLIENT_OPTIONS = Object.freeze({
  maxAttempts: 2,
  connectionTimeout: 300,
  requestTimeout: 800,
});

/**
 * Returns the process's state-table client, creating it on first call.
 *
 * @returns the shared client (region and endpoint from the environment)
 */
export function stateTableClient(): Promise<DynamoDBClient> {
  client ??= import('@aws-sdk/client-dynamodb').then(
    ({ DynamoDBClient }) =>
      new DynamoDBClient({
        maxAttempts: STATE_CLIENT_OPTIONS.maxAttempts,
        requestHandler: {
          connectionTimeout: STATE_CLIENT_OPTIONS.connectionTimeout,
          requestTimeout: STATE_CLIENT_OPTIONS.requestTimeout,
        },
      }),
  );
  return client;
}
