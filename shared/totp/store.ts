import type { RecoveryCodeSet } from '../crypto/otp-recovery';
import {
  asDependencyError,
  conditional,
  type TotpAws,
  totpAws,
} from './dynamo';
import {
  type ActiveSecret,
  type PendingSecret,
  parseRecord,
  type TotpRecord,
} from './record-schema';

/**
 * Reads and writes of the per-user TOTP record. Every state change that
 * matters for security is a single conditional write, so concurrent
 * requests cannot both win.
 */

const UNLOCKED = '(attribute_not_exists(lockedUntil) OR lockedUntil <= :now)';

/** Where the records live. */
export interface StoreTarget {
  readonly table: string;
  readonly key: string;
  /** Epoch seconds after which the table may drop the item (unknown users). */
  readonly expiresAt?: number;
}

const keyOf = ({ sdk }: TotpAws, target: StoreTarget) =>
  sdk.marshall({ pk: target.key });
const values = ({ sdk }: TotpAws, input: Record<string, unknown>) =>
  sdk.marshall(input, { removeUndefinedValues: true });

/**
 * Reads a user's record (strongly consistent).
 *
 * @throws CorruptRecordError when the stored item has the wrong shape
 * @throws DependencyError when DynamoDB fails
 */
export async function getRecord(target: StoreTarget): Promise<TotpRecord> {
  const aws = await totpAws();
  const output = await aws.dynamo
    .send(
      new aws.sdk.GetItemCommand({
        TableName: target.table,
        Key: keyOf(aws, target),
        ConsistentRead: true,
      }),
    )
    .catch((error: unknown) => {
      throw asDependencyError(error);
    });
  return parseRecord(output.Item ? aws.sdk.unmarshall(output.Item) : undefined);
}

/**
 * Stores a pending secret. Unless `replace` is set, only when there is no
 * pending secret yet or the stored one has expired (so a retried Create
 * keeps the first one).
 *
 * @returns whether this pending secret was stored
 */
export function putPending(
  target: StoreTarget,
  pending: PendingSecret,
  options: { nowSeconds: number; replace: boolean },
): Promise<boolean> {
  return conditional(async () => {
    const aws = await totpAws();
    return aws.dynamo.send(
      new aws.sdk.UpdateItemCommand({
        TableName: target.table,
        Key: keyOf(aws, target),
        UpdateExpression: target.expiresAt
          ? 'SET pending = :pending, expiresAt = :expiresAt'
          : 'SET pending = :pending',
        ConditionExpression: options.replace
          ? undefined
          : 'attribute_not_exists(pending) OR pending.expiresAt <= :now',
        ExpressionAttributeValues: values(aws, {
          ':pending': pending,
          ':expiresAt': target.expiresAt,
          ...(options.replace ? {} : { ':now': options.nowSeconds }),
        }),
      }),
    );
  });
}

/** What {@link acceptStep} records. */
export interface AcceptStep {
  readonly step: number;
  readonly nowSeconds: number;
  /** Activates this pending secret (matched by its ciphertext). */
  readonly activate?: {
    readonly pendingCt: Uint8Array;
    readonly active: ActiveSecret;
    readonly recovery?: RecoveryCodeSet;
  };
}

/**
 * Records an accepted time step: only if it is later than the last accepted
 * one and the user is not locked out. Resets the failure count; optionally
 * activates the pending secret in the same write.
 *
 * @returns `false` when the step was already used (replay) or the user is
 *   locked out
 */
export function acceptStep(
  target: StoreTarget,
  accept: AcceptStep,
): Promise<boolean> {
  const activate = accept.activate;
  const set = ['lastStep = :step', 'failures = :zero', 'lockouts = :zero'];
  const remove = ['lockedUntil'];
  let condition = `(attribute_not_exists(lastStep) OR lastStep < :step) AND ${UNLOCKED}`;
  if (activate) {
    set.push('active = :active');
    remove.push('pending');
    if (activate.recovery) set.push('recovery = :recovery');
    else remove.push('recovery');
    condition += ' AND pending.ct = :pendingCt';
  }
  return conditional(async () => {
    const aws = await totpAws();
    return aws.dynamo.send(
      new aws.sdk.UpdateItemCommand({
        TableName: target.table,
        Key: keyOf(aws, target),
        UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
        ConditionExpression: condition,
        ExpressionAttributeValues: values(aws, {
          ':step': accept.step,
          ':zero': 0,
          ':now': accept.nowSeconds,
          ':active': activate?.active,
          ':recovery': activate?.recovery,
          ':pendingCt': activate?.pendingCt,
        }),
      }),
    );
  });
}

/**
 * Uses up one recovery code: only if it is still there and the user is not
 * locked out. Resets the failure count.
 *
 * @returns the number of codes left, or `undefined` if it was already used
 */
export async function consumeRecoveryCode(
  target: StoreTarget,
  id: string,
  nowSeconds: number,
): Promise<number | undefined> {
  let left: number | undefined;
  const isDone = await conditional(async () => {
    const aws = await totpAws();
    const output = await aws.dynamo.send(
      new aws.sdk.UpdateItemCommand({
        TableName: target.table,
        Key: keyOf(aws, target),
        UpdateExpression:
          'SET failures = :zero, lockouts = :zero REMOVE recovery.hashes.#id, lockedUntil',
        ConditionExpression: `attribute_exists(recovery.hashes.#id) AND ${UNLOCKED}`,
        ExpressionAttributeNames: { '#id': id },
        ExpressionAttributeValues: values(aws, {
          ':zero': 0,
          ':now': nowSeconds,
        }),
        ReturnValues: 'ALL_NEW',
      }),
    );
    const record = parseRecord(
      output.Attributes ? aws.sdk.unmarshall(output.Attributes) : undefined,
    );
    left = Object.keys(record.recovery?.hashes ?? {}).length;
  });
  return isDone ? left : undefined;
}

/**
 * Deletes a user's record (operator reset).
 */
export async function deleteRecord(target: StoreTarget): Promise<void> {
  const aws = await totpAws();
  await aws.dynamo
    .send(
      new aws.sdk.DeleteItemCommand({
        TableName: target.table,
        Key: keyOf(aws, target),
      }),
    )
    .catch((error: unknown) => {
      throw asDependencyError(error);
    });
}

/**
 * Replaces the recovery codes of a user with an active secret.
 *
 * @returns `false` when the user has no active secret
 */
export function replaceRecoveryCodes(
  target: StoreTarget,
  recovery: RecoveryCodeSet,
): Promise<boolean> {
  return conditional(async () => {
    const aws = await totpAws();
    return aws.dynamo.send(
      new aws.sdk.UpdateItemCommand({
        TableName: target.table,
        Key: keyOf(aws, target),
        UpdateExpression: 'SET recovery = :recovery',
        ConditionExpression: 'attribute_exists(active)',
        ExpressionAttributeValues: values(aws, { ':recovery': recovery }),
      }),
    );
  });
}
