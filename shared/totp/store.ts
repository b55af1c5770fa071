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

/**
 * Condition: this very write already applied. The SDK sends a write again
 * when its reply timed out; without this clause the second try would fail
 * the condition the first one changed (a right code read as a replay).
 */
const OWN_WRITE = 'lastWriteId = :writeId';

/** A random id for one write (node:crypto loaded on first use). */
export const newWriteId = () =>
  process.getBuiltinModule('node:crypto').randomUUID();

/** Condition: the user is not locked out (needs `:now`, epoch seconds). */
export const UNLOCKED =
  '(attribute_not_exists(lockedUntil) OR lockedUntil <= :now)';

/** Where the records live. */
export interface StoreTarget {
  readonly table: string;
  readonly key: string;
  /** Epoch seconds after which the table may drop the item (unknown users). */
  readonly expiresAt?: number;
}

const keyOf = ({ sdk }: TotpAws, target: StoreTarget) =>
  sdk.marshall({ pk: target.key });

/** An UpdateItem on one record, but its table, key and value marshalling. */
export interface RecordUpdate {
  readonly UpdateExpression: string;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  /** Expression values; `undefined` ones are dropped. */
  readonly values: Record<string, unknown>;
  readonly ReturnValues?: 'ALL_NEW';
  /** On a failed condition, the error's `Item` holds the record as it was. */
  readonly ReturnValuesOnConditionCheckFailure?: 'ALL_OLD';
}

/**
 * Runs one UpdateItem on `target`'s record.
 *
 * @returns the record's attributes after the update (with `ALL_NEW`)
 * @throws what the SDK throws (callers wrap it)
 */
export async function updateRecord(
  target: StoreTarget,
  { values, ...update }: RecordUpdate,
  options: { readonly abortSignal?: AbortSignal } = {},
): Promise<Record<string, unknown> | undefined> {
  const aws = await totpAws();
  const output = await aws.dynamo.send(
    new aws.sdk.UpdateItemCommand({
      TableName: target.table,
      Key: keyOf(aws, target),
      ...update,
      ExpressionAttributeValues: aws.sdk.marshall(values, {
        removeUndefinedValues: true,
      }),
    }),
    options,
  );
  return output.Attributes ? aws.sdk.unmarshall(output.Attributes) : undefined;
}

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
 * Stores a pending secret:
 * - `replace: false`: only when there is no live pending secret;
 * - `replace: 'self'` (self-enrollment): in place of an expired or a self
 *   pending secret, never an operator's, and only while no secret is active;
 * - `replace: true` (operator): always.
 *
 * @returns whether this pending secret was stored
 */
export function putPending(
  target: StoreTarget,
  pending: PendingSecret,
  options: { nowSeconds: number; replace: boolean | 'self' },
): Promise<boolean> {
  const conditions: Record<string, string | undefined> = {
    false: 'attribute_not_exists(pending) OR pending.expiresAt <= :now',
    self: 'attribute_not_exists(active) AND (attribute_not_exists(pending) OR pending.expiresAt <= :now OR pending.origin = :self)',
    true: undefined,
  };
  const condition = conditions[String(options.replace)];
  return conditional(() =>
    updateRecord(target, {
      UpdateExpression: target.expiresAt
        ? 'SET pending = :pending, expiresAt = :expiresAt'
        : 'SET pending = :pending',
      ConditionExpression: condition,
      values: {
        ':pending': pending,
        ':expiresAt': target.expiresAt,
        ...(condition ? { ':now': options.nowSeconds } : {}),
        ...(options.replace === 'self' ? { ':self': 'self' } : {}),
      },
    }),
  );
}

/** What {@link acceptStep} records. */
export interface AcceptStep {
  readonly step: number;
  /** The ciphertext of the secret the step came from. */
  readonly ct: Uint8Array;
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
  const writeId = newWriteId();
  const set = [
    'lastStep = :step',
    'failures = :zero',
    'lockouts = :zero',
    'lastWriteId = :writeId',
  ];
  const remove = ['lockedUntil'];
  let condition: string;
  if (activate) {
    set.push('active = :active');
    remove.push('pending');
    // Copied from the item, not from what was read before: an operator may
    // have issued a new set for the pending secret meanwhile.
    if (activate.recovery) set.push('recovery = pending.recovery');
    else remove.push('recovery');
    // A pending secret is used once (the write removes it); lastStep counts
    // in the old secret's period, so it is replaced, not compared.
    condition = `pending.ct = :pendingCt AND ${UNLOCKED}`;
  } else {
    // The secret is still the one the code came from: not reset or
    // replaced between the match and this write (which would otherwise
    // also recreate a deleted record).
    condition = `(attribute_not_exists(lastStep) OR lastStep < :step) AND active.ct = :ct AND ${UNLOCKED}`;
  }
  return conditional(() =>
    updateRecord(target, {
      UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
      ConditionExpression: `(${condition}) OR ${OWN_WRITE}`,
      values: {
        ':step': accept.step,
        ':zero': 0,
        ':now': accept.nowSeconds,
        ':active': activate?.active,
        ':pendingCt': activate?.pendingCt,
        ':ct': activate ? undefined : accept.ct,
        ':writeId': writeId,
      },
    }),
  );
}

/**
 * Uses up one recovery code: only if it is still there, in the same set it
 * matched in (a set replaced meanwhile reuses the ids), and the user is not
 * locked out. Resets the failure count.
 *
 * @returns the number of codes left, or `undefined` if it was already used
 */
export async function consumeRecoveryCode(
  target: StoreTarget,
  code: { id: string; set: RecoveryCodeSet; nowSeconds: number },
): Promise<number | undefined> {
  let left: number | undefined;
  const isDone = await conditional(async () => {
    const record = parseRecord(
      await updateRecord(target, {
        UpdateExpression:
          'SET failures = :zero, lockouts = :zero, lastWriteId = :writeId REMOVE recovery.hashes.#id, lockedUntil',
        ConditionExpression: `(recovery.salt = :salt AND recovery.hashes.#id = :hash AND ${UNLOCKED}) OR ${OWN_WRITE}`,
        ExpressionAttributeNames: { '#id': code.id },
        values: {
          ':zero': 0,
          ':now': code.nowSeconds,
          ':salt': code.set.salt,
          ':hash': code.set.hashes[code.id],
          ':writeId': newWriteId(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    left = Object.keys(record.recovery?.hashes ?? {}).length;
  });
  return isDone ? left : undefined;
}

/**
 * Deletes a user's record (operator reset).
 *
 * @returns `false` when the user has no record (a mistyped user or pool)
 * @throws DependencyError when DynamoDB fails
 */
export async function deleteRecord(target: StoreTarget): Promise<boolean> {
  const aws = await totpAws();
  return conditional(() =>
    aws.dynamo.send(
      new aws.sdk.DeleteItemCommand({
        TableName: target.table,
        Key: keyOf(aws, target),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    ),
  );
}

/**
 * Lifts a user's lockout and clears the failure counts, keeping the secret
 * and recovery codes (an operator's `unlock`).
 *
 * @returns `false` when the user has no record
 * @throws DependencyError when DynamoDB fails
 */
export function unlockRecord(target: StoreTarget): Promise<boolean> {
  return conditional(() =>
    updateRecord(target, {
      UpdateExpression:
        'SET failures = :zero, lockouts = :zero, lastWriteId = :writeId REMOVE lockedUntil',
      ConditionExpression: 'attribute_exists(pk)',
      values: { ':zero': 0, ':writeId': newWriteId() },
    }),
  );
}

/**
 * Replaces the recovery codes of a user with an active secret. A pending
 * secret's own codes (which its activation would install) are replaced by
 * the same set, so the codes issued last are the ones that work.
 *
 * @returns `false` when the user has no active secret, or the record
 *   changed meanwhile (a new enrollment): nothing was stored
 */
export async function replaceRecoveryCodes(
  target: StoreTarget,
  recovery: RecoveryCodeSet,
): Promise<boolean> {
  const { active, pending } = await getRecord(target);
  if (!active) return false;
  return conditional(() =>
    updateRecord(
      target,
      pending
        ? {
            UpdateExpression:
              'SET recovery = :recovery, pending.recovery = :recovery REMOVE pending.rct',
            ConditionExpression:
              'attribute_exists(active) AND pending.ct = :pendingCt',
            values: { ':recovery': recovery, ':pendingCt': pending.ct },
          }
        : {
            UpdateExpression: 'SET recovery = :recovery',
            ConditionExpression:
              'attribute_exists(active) AND attribute_not_exists(pending)',
            values: { ':recovery': recovery },
          },
    ),
  );
}
