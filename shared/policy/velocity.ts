import type {
  DynamoDBClient,
  UpdateItemCommand as UpdateItemCommandClass,
} from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors';
import { ALLOW, type Decision, refuse } from './decision';

/** One counter: at most `limit` events per fixed window for one key. */
export interface VelocityLimit {
  /** Stable snake-case name, e.g. `sign_up_per_prefix`; in the reason code. */
  readonly name: string;
  /** What is counted, e.g. a phone prefix, an email domain, a client id. */
  readonly key: string;
  readonly limit: number;
  readonly windowSeconds: number;
  /** Report `would-deny` instead of refusing. */
  readonly shadow?: boolean;
}

/**
 * Whether a failed counter update lets the event through: when the
 * deployment chose `failureMode: open`, or when every limit is in shadow
 * mode, since a shadow rule only reports and must never refuse, not even
 * because its counter is down.
 *
 * @param failureMode - the policy's `failureMode`
 * @param limits - the limits that could not be counted
 */
export function velocityFailsOpen(
  failureMode: 'open' | 'closed',
  limits: readonly VelocityLimit[],
): boolean {
  return failureMode === 'open' || limits.every((limit) => limit.shadow);
}

/** Options of {@link consumeVelocity}. */
export interface ConsumeVelocityOptions {
  readonly client: DynamoDBClient;
  /** The state table (`STATE_TABLE`): `pk` hash key, TTL on `expiresAt`. */
  readonly table: string;
  readonly limits: readonly VelocityLimit[];
  readonly now?: Date;
  /**
   * The event being counted, when it has a stable identity: a counter then
   * refuses a second count of it (a retry after some counters were charged
   * and one failed) as long as no other event was counted in between.
   * Without it, each call gets a random id, which still guards against the
   * SDK sending one write twice.
   */
  readonly eventId?: string;
}

/** The SDK's UpdateItem command class, from the same SDK as the client. */
export type UpdateItemCommandType = typeof UpdateItemCommandClass;

const MAX_KEY_LENGTH = 256;

/**
 * The item key of one limit's current window.
 *
 * @param limit - the limit
 * @param windowStart - epoch seconds at which the window began
 */
export function velocityItemKey(
  limit: VelocityLimit,
  windowStart: number,
): string {
  // Hashed: the key is a phone number, a number prefix or a domain, and the
  // table (its exports, its errors) must not hold one in the clear. Loaded
  // on first use: most sign-ups never count.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const key = createHash('sha256')
    .update(limit.key.slice(0, MAX_KEY_LENGTH))
    .digest('hex')
    .slice(0, 32);
  return `velocity#${limit.name}#${key}#${windowStart}`;
}

/**
 * The count of a write the SDK sent again after its reply was lost: the
 * condition below fails only for the write that already applied (its id is
 * the item's last), and that first try's count stands.
 */
function countOfOwnWrite(error: unknown, writeId: string): number | undefined {
  if (
    !(error instanceof Error) ||
    error.name !== 'ConditionalCheckFailedException'
  )
    return undefined;
  const item = (error as { Item?: Record<string, { S?: string; N?: string }> })
    .Item;
  return item?.lastWriteId?.S === writeId
    ? Number(item.count?.N ?? Number.NaN)
    : undefined;
}

async function countOne(
  options: ConsumeVelocityOptions,
  UpdateItemCommand: UpdateItemCommandType,
  limit: VelocityLimit,
  nowSeconds: number,
): Promise<number> {
  const windowStart =
    Math.floor(nowSeconds / limit.windowSeconds) * limit.windowSeconds;
  // The SDK sends the same request again when a reply times out; an ADD
  // applied twice would count one event twice, so each write carries an id
  // and refuses to apply on top of itself.
  const writeId =
    options.eventId ?? process.getBuiltinModule('node:crypto').randomUUID();
  try {
    const output = await options.client.send(
      new UpdateItemCommand({
        TableName: options.table,
        Key: { pk: { S: velocityItemKey(limit, windowStart) } },
        UpdateExpression:
          'ADD #count :one SET #expiresAt = if_not_exists(#expiresAt, :expiresAt), #lastWrite = :writeId',
        ConditionExpression:
          'attribute_not_exists(#lastWrite) OR #lastWrite <> :writeId',
        ExpressionAttributeNames: {
          '#count': 'count',
          '#expiresAt': 'expiresAt',
          '#lastWrite': 'lastWriteId',
        },
        ExpressionAttributeValues: {
          ':one': { N: '1' },
          ':expiresAt': { N: String(windowStart + limit.windowSeconds) },
          ':writeId': { S: writeId },
        },
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return Number(output?.Attributes?.count?.N ?? Number.NaN);
  } catch (error) {
    const count = countOfOwnWrite(error, writeId);
    if (count === undefined) throw error;
    return count;
  }
}

/**
 * Atomically counts one event against every limit (DynamoDB `UpdateItem`
 * `ADD` on `velocity#<name>#<key>#<window start>`, TTL `expiresAt` in epoch
 * SECONDS at the end of the window), then reports the first limit exceeded:
 * an enforced one (`deny`) before a shadow one (`would-deny`). Reason code:
 * `velocity_<name>`.
 *
 * This is `consumeVelocity` with the command class passed in, for callers
 * that load the SDK themselves (Pre Sign-up takes it from the Lambda
 * runtime, so the bundle does not carry it).
 *
 * @param options - client, table, limits and (for tests) the clock
 * @param UpdateItemCommand - the command class of the client's SDK
 * @throws {@link DependencyError} (`dynamodb`) when a counter cannot be
 *   updated; the caller decides whether that fails open or closed
 * @example
 * const decision = await countVelocity({ client, table: env.STATE_TABLE,
 *   limits: [{ name: 'sms_per_phone', key: phone.e164, limit: 5, windowSeconds: 3600 }] },
 *   UpdateItemCommand);
 */
export async function countVelocity(
  options: ConsumeVelocityOptions,
  UpdateItemCommand: UpdateItemCommandType,
): Promise<Decision> {
  if (options.limits.length === 0) return ALLOW;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  let counts: number[];
  try {
    counts = await Promise.all(
      options.limits.map((limit) =>
        countOne(options, UpdateItemCommand, limit, nowSeconds),
      ),
    );
  } catch (error) {
    throw new DependencyError('dynamodb', 'velocity counter update failed', {
      cause: error,
    });
  }
  const exceeded = options.limits.filter(
    (limit, index) => !((counts[index] ?? Number.NaN) <= limit.limit),
  );
  const enforced = exceeded.find((limit) => limit.shadow !== true);
  const first = enforced ?? exceeded[0];
  return first === undefined
    ? ALLOW
    : refuse(`velocity_${first.name}`, first.shadow === true);
}
