import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeVelocity } from '../../shared/policy/consume-velocity';
import { velocityItemKey } from '../../shared/policy/velocity';
import { useLocalStack } from '../support/local-stack';
import {
  type DynamoProxy,
  startDynamoProxy,
} from './custom-sms-sender.support';

/**
 * A velocity counter whose write the SDK sends again after a lost reply
 * (a reset connection, as on a network fault): one event must count once,
 * or a user is refused one event early. Through a proxy in front of moto
 * that can drop a reply.
 */

const stack = useLocalStack();
let proxy: DynamoProxy;

beforeAll(async () => {
  proxy = await startDynamoProxy(stack.moto.endpoint);
});
afterAll(async () => {
  await proxy?.stop();
});

/** A client through the proxy and a one-per-hour limit of its own. */
function counterOfItsOwn() {
  return {
    client: new DynamoDBClient({ endpoint: proxy.endpoint }),
    table: String(stack.env.STATE_TABLE),
    limit: {
      name: 'sms_per_user',
      key: `retry-${randomUUID()}`,
      limit: 1,
      windowSeconds: 3600,
    },
  };
}

describe('a velocity count sent twice after a lost reply', () => {
  it('counts the event once', async () => {
    // Prepare
    const { client, table, limit } = counterOfItsOwn();
    const now = new Date();
    const windowStart = Math.floor(now.getTime() / 1000 / 3600) * 3600;
    proxy.loseNextReply('UpdateItem');
    const before = proxy.operations.length;

    // Act
    const decision = await consumeVelocity({
      client,
      table,
      limits: [limit],
      now,
    });

    // Assess
    expect(
      proxy.operations.slice(before).filter((op) => op === 'UpdateItem'),
    ).toHaveLength(2);
    expect(decision).toEqual({ outcome: 'allow' });
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: table,
        Key: { pk: { S: velocityItemKey(limit, windowStart) } },
        ConsistentRead: true,
      }),
    );
    expect(Item?.count?.N).toBe('1');
  });

  it('still counts two events twice', async () => {
    // Prepare
    const { client, table, limit } = counterOfItsOwn();
    const options = { client, table, limits: [limit] };

    // Act
    const first = await consumeVelocity(options);
    const second = await consumeVelocity(options);

    // Assess
    expect(first).toEqual({ outcome: 'allow' });
    expect(second).toMatchObject({
      outcome: 'deny',
      reason: 'velocity_sms_per_user',
    });
  });
});
