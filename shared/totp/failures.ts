import { asDependencyError, conditional } from './dynamo';
import { lockoutSeconds } from './record';
import type { TotpSettings } from './settings';
import { type StoreTarget, updateRecord } from './store';

/**
 * Failure counting across sessions: every wrong answer adds one to the
 * user's counter in DynamoDB; at the threshold the user is locked out for an
 * exponentially growing time and the counter starts again.
 */

/** The outcome of one counted failure. */
export interface FailureOutcome {
  readonly failures: number;
  /** Epoch seconds until which the user is now locked, if this locked them. */
  readonly lockedUntil?: number;
}

/** Options of {@link recordFailure}. */
export interface RecordFailureOptions {
  readonly lockout: TotpSettings['lockout'];
  readonly nowSeconds: number;
}

/**
 * Counts one failure and locks the user out at the threshold.
 *
 * @throws DependencyError when DynamoDB fails
 */
export async function recordFailure(
  target: StoreTarget,
  options: RecordFailureOptions,
): Promise<FailureOutcome> {
  const item =
    (await updateRecord(target, {
      UpdateExpression: target.expiresAt
        ? 'ADD failures :one SET expiresAt = :expiresAt'
        : 'ADD failures :one',
      values: { ':one': 1, ':expiresAt': target.expiresAt },
      ReturnValues: 'ALL_NEW',
    }).catch((error: unknown) => {
      throw asDependencyError(error);
    })) ?? {};
  const failures = Number(item.failures ?? 0);
  if (failures < options.lockout.threshold) return { failures };
  const lockouts = Number(item.lockouts ?? 0);
  const lockedUntil =
    options.nowSeconds + lockoutSeconds(lockouts, options.lockout);
  // Only the request that saw this count locks, so concurrent failures do
  // not stack lockouts.
  await conditional(() =>
    updateRecord(target, {
      UpdateExpression:
        'SET lockedUntil = :until, failures = :zero ADD lockouts :one',
      ConditionExpression: 'failures = :seen',
      values: {
        ':until': lockedUntil,
        ':zero': 0,
        ':one': 1,
        ':seen': failures,
      },
    }),
  );
  return { failures, lockedUntil };
}
