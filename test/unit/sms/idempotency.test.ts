import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DependencyError } from '../../../shared/errors';
import {
  claimDelivery,
  deliveryItemKey,
} from '../../../shared/sms/idempotency';
import { capturedLogRecords } from '../../support/log-capture';

const dynamodb = mockClient(DynamoDBClient);
const key = {
  userPoolId: 'eu-central-1_Abc',
  user: 'u-1',
  triggerSource: 'CustomSMSSender_SignUp',
  code: 'AYADeXXXX',
};
const options = () => ({
  client: new DynamoDBClient({}),
  table: 'state',
  key,
  leaseMs: 30_000,
  ttlSeconds: 86_400,
  now: 1_700_000_000_000,
});

beforeEach(() => dynamodb.reset());

describe('delivery key', () => {
  it('hashes the parts, so the ciphertext never reaches the table', () => {
    // Act
    const pk = deliveryItemKey(key);

    // Assess
    expect(pk).toMatch(/^sms#[0-9a-f]{64}$/);
    expect(pk).not.toContain(key.code);
    expect(deliveryItemKey({ ...key, code: 'AYADeYYYY' })).not.toBe(pk);
    expect(
      deliveryItemKey({ ...key, user: 'u-1AYADe', code: 'XXXX' }),
    ).not.toBe(pk);
  });
});

describe('claimDelivery', () => {
  it('writes a conditional claim with a lease and a TTL in epoch seconds', async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).resolves({});

    // Act
    const claim = await claimDelivery(options());

    // Assess
    expect(claim).toBeDefined();
    const input = dynamodb.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toContain('attribute_not_exists(pk)');
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':expiresAt': { N: String(1_700_000_000 + 86_400) },
      ':lease': { N: String(1_700_000_000_000 + 30_000) },
      ':inProgress': { S: 'in-progress' },
    });
    expect(input?.UpdateExpression).not.toContain('counted');
  });

  it('reports a duplicate when the condition fails', async () => {
    // Prepare
    dynamodb
      .on(UpdateItemCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'no', $metadata: {} }),
      );

    // Act
    const claim = await claimDelivery(options());

    // Assess
    expect(claim).toBeUndefined();
  });

  it('marks the delivery as sending, which no later claim takes over', async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).resolves({});
    const claim = await claimDelivery(options());

    // Act
    await claim?.markSending();

    // Assess
    const [claimed, marked] = dynamodb
      .commandCalls(UpdateItemCommand)
      .map((call) => call.args[0].input);
    expect(marked?.ExpressionAttributeValues?.[':sending']).toEqual({
      S: 'sending',
    });
    expect(marked?.ConditionExpression).toBe('#owner = :owner');
    expect(claimed?.ConditionExpression).toContain(
      '#state = :inProgress AND leaseUntil < :now',
    );
    expect(claimed?.ConditionExpression).not.toContain('sending');
  });

  it('says so when an earlier attempt stopped while sending', async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'no',
        $metadata: {},
        Item: {
          state: { S: 'sending' },
          leaseUntil: { N: String(1_700_000_000_000 - 1) },
        },
      }),
    );

    // Act
    const claim = await claimDelivery(options());

    // Assess
    expect(claim).toBeUndefined();
    expect(capturedLogRecords().map((r) => r.message)).toContain(
      'sms may have been sent by an earlier attempt',
    );
  });

  it('raises a transient dependency error when the table is unreachable', async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).rejects(
      Object.assign(new Error('connect ECONNREFUSED'), {
        code: 'ECONNREFUSED',
      }),
    );

    // Act
    const claiming = claimDelivery(options());

    // Assess
    await expect(claiming).rejects.toBeInstanceOf(DependencyError);
    await expect(claimDelivery(options())).rejects.toMatchObject({
      dependency: 'dynamodb',
      isTransient: true,
    });
  });

  it('completes and releases only its own claim', async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).resolves({});
    const claim = await claimDelivery(options());

    // Act
    await claim?.complete('sent');
    await claim?.release(true);

    // Assess
    const [claimed, update, release] = dynamodb
      .commandCalls(UpdateItemCommand)
      .map((call) => call.args[0].input);
    const owner = claimed?.ExpressionAttributeValues?.[':owner'];
    expect(update?.ConditionExpression).toBe('#owner = :owner');
    expect(update?.ExpressionAttributeValues?.[':owner']).toEqual(owner);
    expect(update?.ExpressionAttributeValues?.[':outcome']).toEqual({
      S: 'sent',
    });
    expect(release?.ConditionExpression).toBe('#owner = :owner');
    expect(release?.ExpressionAttributeValues).toMatchObject({
      ':owner': owner,
      ':released': { S: 'released' },
      ':counted': { BOOL: true },
    });
  });

  it('takes over a released delivery, and knows whether its counters were charged', async () => {
    // Prepare
    const released = (counted: boolean) => ({
      Attributes: {
        state: { S: 'released' },
        counted: { BOOL: counted },
        expiresAt: { N: String(1_700_000_000 + 60) },
      },
    });
    dynamodb
      .on(UpdateItemCommand)
      .resolvesOnce(released(true))
      .resolvesOnce(released(false))
      .resolves({});

    // Act
    const afterCounted = await claimDelivery(options());
    const afterUncounted = await claimDelivery(options());
    const fresh = await claimDelivery(options());

    // Assess
    expect(afterCounted?.isCounted).toBe(true);
    expect(afterUncounted?.isCounted).toBe(false);
    expect(fresh?.isCounted).toBe(false);
    const input = dynamodb.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toContain('#state = :released');
    expect(input?.ReturnValues).toBe('ALL_OLD');
  });
});
