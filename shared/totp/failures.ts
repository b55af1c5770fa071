import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { asDependencyError, conditional, totpAws } from './dynamo';
import { LOCKED_UNTIL_RESET, lockoutSeconds } from './record';
import type { TotpSettings } from './settings';
import { newWriteId, type StoreTarget, UNLOCKED, updateRecord } from './store';

/**
 * Failure counting across sessions. Every answer first reserves an attempt:
 * one conditional write adds it to the user's failure count, and only while
 * the user is unlocked and under the threshold. So however many answers
 * arrive at once, at most `threshold` of them are ever judged before the
 * lock. A right answer resets the count (`acceptStep`,
 * `consumeRecoveryCode`); a wrong one leaves its reservation as the failure
 * and, at the threshold, locks the user for an exponentially growing time.
 */

/** Options of the functions below. */
export interface FailureOptions {
  readonly lockout: TotpSettings['lockout'];
  readonly nowSeconds: number;
}

/** An attempt this request may judge. */
export interface Reservation {
  /** The failure count including this attempt. */
  readonly failures: number;
  /** Lockouts so far (they set the next lock's length). */
  readonly lockouts: number;
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof Error && error.name === 'ConditionalCheckFailedException'
  );
}

/**
 * Condition: not this very write again. The SDK sends a write again when
 * its reply is lost; an `ADD` applied twice would count one attempt twice.
 */
const NOT_OWN_WRITE =
  '(attribute_not_exists(lastWriteId) OR lastWriteId <> :writeId)';

/**
 * The record as it stood when a write was refused only because it had
 * already applied (its id is the record's last write): the SDK's second try
 * after a lost reply. Needs `ReturnValuesOnConditionCheckFailure: ALL_OLD`.
 */
async function ownEarlierWrite(
  error: unknown,
  writeId: string,
): Promise<Record<string, unknown> | undefined> {
  const item = isConditionFailure(error)
    ? (error as { Item?: Record<string, AttributeValue> }).Item
    : undefined;
  if (item === undefined) return undefined;
  const record = (await totpAws()).sdk.unmarshall(item);
  return record.lastWriteId === writeId ? record : undefined;
}

const reservationOf = (item: Record<string, unknown>): Reservation => ({
  failures: Number(item.failures ?? 1),
  lockouts: Number(item.lockouts ?? 0),
});

/**
 * Reserves one attempt for the user before the answer is judged.
 *
 * @returns the reservation, or `undefined` when the user is locked or as
 *   many attempts as the threshold allows are already counted
 * @throws DependencyError when DynamoDB fails
 */
export async function reserveAttempt(
  target: StoreTarget,
  options: FailureOptions,
  writeId: string = newWriteId(),
): Promise<Reservation | undefined> {
  try {
    const item =
      (await updateRecord(target, {
        UpdateExpression: target.expiresAt
          ? 'ADD failures :one SET expiresAt = :expiresAt, lastWriteId = :writeId'
          : 'ADD failures :one SET lastWriteId = :writeId',
        ConditionExpression: `${NOT_OWN_WRITE} AND ${UNLOCKED} AND (attribute_not_exists(failures) OR failures < :threshold)`,
        values: {
          ':one': 1,
          ':expiresAt': target.expiresAt,
          ':now': options.nowSeconds,
          ':threshold': options.lockout.threshold,
          ':writeId': writeId,
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      })) ?? {};
    return reservationOf(item);
  } catch (error) {
    const earlier = await ownEarlierWrite(error, writeId).catch(
      () => undefined,
    );
    if (earlier) return reservationOf(earlier);
    if (isConditionFailure(error)) return undefined;
    throw asDependencyError(error);
  }
}

/**
 * Longest a give-back ({@link undoReservation}, {@link releaseAttempt}) may
 * take, retries included: it runs after the answer's deadline, inside the
 * time Verify keeps back from the function's timeout, which must exceed it.
 */
export const GIVE_BACK_MS = 900;

/**
 * Runs a give-back within {@link GIVE_BACK_MS}: past it, its request is
 * aborted and it is abandoned (the attempt stays counted). Never throws.
 */
async function boundedGiveBack(
  write: (abortSignal: AbortSignal) => Promise<unknown>,
): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve();
    }, GIVE_BACK_MS);
  });
  try {
    await Promise.race([
      write(controller.signal).catch(() => undefined),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Takes back a reservation whose outcome is unknown (its write failed or
 * outlived the deadline, so it may or may not have applied): only if it did
 * apply and is still the item's last write. Otherwise it is left counted,
 * since taking back another answer's attempt would give an extra guess.
 * Best effort, within {@link GIVE_BACK_MS}; never throws.
 *
 * @param target - the user's record
 * @param writeId - the id the reservation was written with
 */
export function undoReservation(
  target: StoreTarget,
  writeId: string,
): Promise<void> {
  return boundedGiveBack((abortSignal) =>
    conditional(() =>
      updateRecord(
        target,
        {
          UpdateExpression: 'ADD failures :minusOne SET lastWriteId = :undoId',
          ConditionExpression: 'failures > :zero AND lastWriteId = :writeId',
          values: {
            ':minusOne': -1,
            ':zero': 0,
            ':writeId': writeId,
            ':undoId': newWriteId(),
          },
        },
        { abortSignal },
      ),
    ),
  );
}

/**
 * Gives a reservation back when its answer was judged no guess (a replayed
 * code) or could not be judged (DynamoDB or KMS failed), so an outage does
 * not lock users out. Best effort, within {@link GIVE_BACK_MS}; never
 * throws. It takes one attempt off the count as it stands, so a success or
 * lock in between followed by another answer's failure can lose that
 * failure (README, "Lockout").
 *
 * @param target - the user's record
 */
export function releaseAttempt(target: StoreTarget): Promise<void> {
  return boundedGiveBack((abortSignal) =>
    conditional(() =>
      updateRecord(
        target,
        {
          UpdateExpression: 'ADD failures :minusOne SET lastWriteId = :writeId',
          ConditionExpression: `failures > :zero AND ${NOT_OWN_WRITE}`,
          values: { ':minusOne': -1, ':zero': 0, ':writeId': newWriteId() },
        },
        { abortSignal },
      ),
    ),
  );
}

/**
 * Locks the user when the count has reached the threshold: for the wrong
 * answer whose reservation reached it, and for a request refused a
 * reservation while no lock is in force (so a lock write that failed
 * earlier is made up for rather than leaving the count stuck). The
 * `maxLockouts`-th lock in a row lasts until an operator resets the user
 * ({@link LOCKED_UNTIL_RESET}).
 *
 * @param count - the failure count and lockouts this request saw
 * @returns epoch seconds until which the user is now locked, if this
 *   request locked them
 * @throws DependencyError when DynamoDB fails
 */
export async function lockIfDue(
  target: StoreTarget,
  count: Reservation,
  options: FailureOptions,
): Promise<number | undefined> {
  if (count.failures < options.lockout.threshold) return undefined;
  const isFinal = count.lockouts + 1 >= options.lockout.maxLockouts;
  const lockedUntil = isFinal
    ? LOCKED_UNTIL_RESET
    : options.nowSeconds + lockoutSeconds(count.lockouts, options.lockout);
  // Only one request locks: the condition fails once the count is reset.
  const isLocked = await conditional(() =>
    updateRecord(target, {
      UpdateExpression:
        'SET lockedUntil = :until, failures = :zero ADD lockouts :one',
      ConditionExpression: `failures >= :threshold AND ${UNLOCKED}`,
      values: {
        ':until': lockedUntil,
        ':zero': 0,
        ':one': 1,
        ':threshold': options.lockout.threshold,
        ':now': options.nowSeconds,
      },
    }),
  );
  return isLocked ? lockedUntil : undefined;
}
