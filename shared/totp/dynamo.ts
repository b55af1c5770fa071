import {
  ConditionalCheckFailedException,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors';

/** The suite's DynamoDB client for the TOTP table, built once per process. */
export const dynamo = new DynamoDBClient({});

/**
 * Runs a DynamoDB call, turning a failed condition into `false` and any
 * other failure into a {@link DependencyError} (no table data in messages).
 *
 * @param call - the request
 * @returns `true` when it succeeded, `false` when its condition failed
 */
export async function conditional(
  call: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw asDependencyError(error);
  }
}

/**
 * Wraps a DynamoDB failure.
 *
 * @param error - what the SDK threw
 */
export function asDependencyError(error: unknown): DependencyError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  return new DependencyError('dynamodb', `TOTP table call failed: ${name}`, {
    cause: error,
  });
}
