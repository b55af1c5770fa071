import { createHash, randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors';
import { logger } from '../logging';
import { countMetric } from '../metrics';

/**
 * Exactly-once delivery per (pool, user, triggerSource, ciphertext): a
 * conditional write in the state table before sending.
 *
 * Hand-written rather than Powertools Idempotency because (1) a concurrent
 * duplicate must end quietly as "duplicate suppressed", where Powertools
 * throws `IdempotencyAlreadyInProgressError` and so makes Lambda retry and
 * count a failure; (2) an ambiguous send (timed out after the request left)
 * must keep its claim, which Powertools releases on any error; (3) it adds
 * the JMESPath package to the cold start for one conditional put.
 *
 * Item: `pk = sms#<sha256>`, `state` (`in-progress`, `released` or the
 * final outcome), `owner` (this invocation), `leaseUntil` (ms: when this
 * invocation is surely dead), `expiresAt` (TTL, epoch SECONDS), `counted`
 * (the velocity counters were charged for this delivery already).
 */

/** The identity of one Cognito SMS request. */
export interface DeliveryKey {
  readonly userPoolId: string;
  readonly user: string;
  readonly triggerSource: string;
  readonly code: string;
}

/**
 * The state-table key of a delivery: a SHA-256 over its parts (the
 * ciphertext never appears in the table).
 *
 * @param key - pool, user, trigger source, ciphertext
 */
export function deliveryItemKey(key: DeliveryKey): string {
  const hash = createHash('sha256');
  for (const part of [key.userPoolId, key.user, key.triggerSource, key.code]) {
    hash.update(part).update('\u0000');
  }
  return `sms#${hash.digest('hex')}`;
}

/** A claim this invocation holds on one delivery. */
export interface Claim {
  /** The delivery's state-table key: a stable id of this Cognito request. */
  readonly key: string;
  /**
   * An earlier attempt at this delivery, released after a transient
   * failure, already charged the velocity counters: a retry must not
   * charge them again.
   */
  readonly isCounted: boolean;
  /**
   * Records that the SMS is about to be handed to AWS. From then on the
   * delivery is never claimed again (until its record expires), even once
   * its lease has run out: had the invocation stopped before recording its
   * outcome (Lambda's timeout, a crash), the SMS may well have gone out.
   */
  markSending(): Promise<void>;
  /** Records the final outcome: later deliveries are duplicates. */
  complete(outcome: string): Promise<void>;
  /**
   * Gives the delivery back so a retry can send (transient failure).
   *
   * @param isCounted - the velocity counters were charged for it
   */
  release(isCounted: boolean): Promise<void>;
}

/** Options of {@link claimDelivery}. */
export interface ClaimOptions {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly key: DeliveryKey;
  /** How long this invocation may still run (its lease), in ms. */
  readonly leaseMs: number;
  /** How long the record suppresses duplicates, in seconds. */
  readonly ttlSeconds: number;
  readonly now?: number;
}

/**
 * Claims a delivery with a conditional put: it succeeds when no record
 * exists, the record's TTL has passed (DynamoDB deletes lazily), an earlier
 * invocation released it or its lease ran out while it was still in
 * progress, or the record is this invocation's own (the SDK retried a put
 * whose reply was lost: without that clause the retry would read as a
 * duplicate and the SMS would never go out).
 *
 * @returns the claim, or `undefined` when another delivery holds or
 *   finished it (a duplicate)
 * @throws {@link DependencyError} (`dynamodb`, transient) when the table
 *   cannot be reached
 */
export async function claimDelivery(
  options: ClaimOptions,
): Promise<Claim | undefined> {
  const now = options.now ?? Date.now();
  const pk = deliveryItemKey(options.key);
  const owner = randomUUID();
  try {
    // An update, not a put: it keeps `counted` from a released attempt,
    // also when the SDK retries this write after a lost reply.
    const result = await options.client.send(
      new UpdateItemCommand({
        TableName: options.table,
        Key: { pk: { S: pk } },
        UpdateExpression:
          'SET #state = :inProgress, #owner = :owner, leaseUntil = :lease, expiresAt = :expiresAt',
        ConditionExpression:
          'attribute_not_exists(pk) OR expiresAt < :nowSeconds OR #owner = :owner OR #state = :released OR (#state = :inProgress AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':inProgress': { S: 'in-progress' },
          ':released': { S: 'released' },
          ':owner': { S: owner },
          ':lease': { N: String(now + options.leaseMs) },
          ':expiresAt': {
            N: String(Math.ceil(now / 1000) + options.ttlSeconds),
          },
          ':now': { N: String(now) },
          ':nowSeconds': { N: String(Math.floor(now / 1000)) },
        },
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    const old = result.Attributes;
    // Counted by a released attempt of this delivery, or by this very
    // claim's first write (a retried update finds its own record).
    const isCounted =
      old?.counted?.BOOL === true &&
      (old.state?.S === 'released' || old.owner?.S === owner) &&
      Number(old.expiresAt?.N) >= Math.floor(now / 1000);
    return claimOf(options, pk, owner, isCounted);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      reportStoppedWhileSending(error, now);
      return undefined;
    }
    throw new DependencyError('dynamodb', 'idempotency claim failed', {
      cause: error,
    });
  }
}

/**
 * A delivery whose earlier attempt stopped after it began sending and
 * before it recorded how that ended: not sent again (a second SMS is the
 * worse failure), but said so, since the user may have received nothing.
 */
function reportStoppedWhileSending(
  error: ConditionalCheckFailedException,
  now: number,
): void {
  const item = error.Item;
  if (item?.state?.S !== 'sending' || !(Number(item.leaseUntil?.N) < now))
    return;
  logger.warn('sms may have been sent by an earlier attempt', {
    reason: 'stopped_while_sending',
  });
  countMetric('SmsOutcomeUnknown');
}

function claimOf(
  options: ClaimOptions,
  pk: string,
  owner: string,
  isCounted: boolean,
): Claim {
  /** Sets the claim's state, only while this invocation still owns it. */
  const setOwned = async (
    UpdateExpression: string,
    values: Record<string, AttributeValue>,
  ): Promise<void> => {
    await options.client.send(
      new UpdateItemCommand({
        TableName: options.table,
        Key: { pk: { S: pk } },
        UpdateExpression,
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state' },
        ExpressionAttributeValues: { ':owner': { S: owner }, ...values },
      }),
    );
  };
  return {
    key: pk,
    isCounted,
    markSending: () =>
      setOwned('SET #state = :sending', { ':sending': { S: 'sending' } }),
    complete: (outcome) =>
      setOwned('SET #state = :outcome', { ':outcome': { S: outcome } }),
    release: (isNowCounted) =>
      setOwned('SET #state = :released, counted = :counted', {
        ':released': { S: 'released' },
        ':counted': { BOOL: isCounted || isNowCounted },
      }),
  };
}
