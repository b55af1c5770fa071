import { createHash } from 'node:crypto';
import {
  DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliveryItemKey } from '../../shared/sms/idempotency';
import { loadBundle, useLocalStack } from '../support/local-stack';
import { capturedLogRecords } from '../support/log-capture';
import { startBlackHole } from '../support/moto';
import { startUnconnectable } from '../support/unconnectable';
import { clearOfWindowEnd } from '../support/velocity-window';
import {
  type DynamoProxy,
  fakeContext,
  type Sender,
  type SnsProxy,
  senderEvent,
  startDynamoProxy,
  startSnsProxy,
} from './custom-sms-sender.support';

/**
 * Fault injection: the bundled sender publishes through a recording proxy
 * in front of moto's SNS, which reads each request's region from its SigV4
 * credential scope and answers throttling, 5xx, a permanent error or late.
 * Every case ends with one SMS or a clean terminal outcome, never two.
 */

const stack = useLocalStack();
let proxy: SnsProxy;
let sender: Sender;

beforeAll(async () => {
  proxy = await startSnsProxy(stack.moto.endpoint);
  process.env.AWS_ENDPOINT_URL_SNS = proxy.endpoint;
  process.env.SMS_TRANSPORT = 'sns';
  sender = loadBundle<Sender>('customSmsSender');
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_SNS;
  await proxy?.stop();
});
beforeEach(() => {
  proxy.publishes.length = 0;
  proxy.failRegion(undefined);
});

const smsTo = async (phone: string) =>
  (await stack.moto.smsMessages()).filter((sms) => sms.phoneNumber === phone);

/** The per-phone velocity counts the state table holds for a number. */
async function velocityCounts(phone: string): Promise<number[]> {
  const client = new DynamoDBClient({ endpoint: stack.moto.endpoint });
  const { Items = [] } = await client.send(
    new ScanCommand({ TableName: stack.env.STATE_TABLE }),
  );
  return Items.filter((item) =>
    item.pk?.S?.startsWith(
      `velocity#sms_per_phone#${createHash('sha256').update(`unproven:${phone}`).digest('hex').slice(0, 32)}#`,
    ),
  ).map((item) => Number(item.count?.N));
}

/** Lets the lease of an event's claim run out, as time would. */
async function expireLease(event: any): Promise<void> {
  const pk = deliveryItemKey({
    userPoolId: event.userPoolId,
    user: event.userName,
    triggerSource: event.triggerSource,
    code: event.request.code,
  });
  await new DynamoDBClient({ endpoint: stack.moto.endpoint }).send(
    new UpdateItemCommand({
      TableName: stack.env.STATE_TABLE,
      Key: { pk: { S: pk } },
      UpdateExpression: 'SET leaseUntil = :past',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':past': { N: String(Date.now() - 1) } },
    }),
  );
}

/** The sender bundle under other behaviour settings (SUITE_SETTINGS_OVERRIDE). */
function withSettings(settings: unknown): Sender {
  process.env.SUITE_SETTINGS_OVERRIDE = JSON.stringify(settings);
  try {
    return loadBundle<Sender>('customSmsSender');
  } finally {
    delete process.env.SUITE_SETTINGS_OVERRIDE;
  }
}

/** Six 5xx answers: every attempt on both SNS regions fails. */
const serverErrorStorm = () =>
  Array.from({ length: 6 }, () => ({ kind: 'server-error' as const }));

/**
 * Runs `act` with a sender bundle whose state table sits behind a DynamoDB
 * proxy in front of moto (set up by `arrange`, e.g. to fail some writes).
 */
async function withStateProxy(
  arrange: (dynamo: DynamoProxy) => void,
  act: (sender: Sender) => Promise<void>,
): Promise<DynamoProxy> {
  const dynamo = await startDynamoProxy(stack.moto.endpoint);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  try {
    const proxied = loadBundle<Sender>('customSmsSender');
    arrange(dynamo);
    await act(proxied);
  } finally {
    delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    await dynamo.stop();
  }
  return dynamo;
}

/**
 * Runs the sender once through a DynamoDB proxy that drops the reply to
 * the claim (the first UpdateItem), so the SDK writes it again.
 */
const sendLosingClaimReply = (event: unknown) =>
  withStateProxy(
    (dynamo) => dynamo.loseNextReply('UpdateItem'),
    async (lossy) => {
      await lossy.handler(structuredClone(event), fakeContext());
    },
  );

const lastOutcome = () =>
  capturedLogRecords()
    .filter((r) =>
      /^sms (sent|refused|failed|duplicate)/.test(String(r.message)),
    )
    .at(-1);

describe('custom SMS sender under SNS faults', () => {
  // The hourly velocity counters a test charges must be one window's
  beforeEach(() => clearOfWindowEnd(3600));

  it('publishes a code as Transactional, with no sender ID or origination number by default', async () => {
    // Prepare: config/suite.json's `sms` section is empty
    const { event, phone } = senderEvent();

    // Act
    await sender.handler(event, fakeContext());

    // Assess: what went over the wire, not what the code meant to send
    expect(await smsTo(phone)).toHaveLength(1);
    expect(proxy.publishes).toHaveLength(1);
    const [publish] = proxy.publishes;
    expect(publish?.hasPhoneNumber).toBe(true);
    expect(publish?.attributes['AWS.SNS.SMS.SMSType']).toEqual({
      dataType: 'String',
      stringValue: 'Transactional',
    });
    expect(publish?.attributes).not.toHaveProperty(['AWS.SNS.SMS.SenderID']);
    expect(publish?.attributes).not.toHaveProperty([
      'AWS.MM.SMS.OriginationNumber',
    ]);
  });

  it('retries throttling twice, then sends one SMS', async () => {
    // Prepare
    const { event, phone } = senderEvent();
    proxy.failNext({ kind: 'throttle' }, { kind: 'throttle' });

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(1);
    expect(proxy.publishes.map((p) => p.forwarded)).toEqual([
      false,
      false,
      true,
    ]);
    expect(lastOutcome()).toMatchObject({
      message: 'sms sent',
      attempts: 3,
      region: 'eu-central-1',
    });
  });

  it('fails over to the second SNS region of the table after a 5xx storm', async () => {
    // Prepare
    const { event, phone } = senderEvent();
    proxy.failRegion('eu-central-1');

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(1);
    expect(proxy.publishes.map((p) => p.region)).toEqual([
      'eu-central-1',
      'eu-central-1',
      'eu-central-1',
      'eu-west-1',
    ]);
    expect(lastOutcome()).toMatchObject({
      message: 'sms sent',
      region: 'eu-west-1',
    });
  });

  it('throws when every region keeps failing, and a later retry sends exactly one SMS', async () => {
    // Prepare
    const { event, phone } = senderEvent();
    proxy.failNext(...serverErrorStorm());

    // Act
    const first = sender.handler(structuredClone(event), fakeContext());
    await expect(first).rejects.toThrow(/Lambda will retry/);
    const afterStorm = (await smsTo(phone)).length;
    await sender.handler(structuredClone(event), fakeContext());

    // Assess
    expect(afterStorm).toBe(0);
    expect(proxy.publishes.slice(0, 6).every((p) => !p.forwarded)).toBe(true);
    expect(await smsTo(phone)).toHaveLength(1);
  });

  it('stops at once on a permanent error, and a redelivery sends nothing', async () => {
    // Prepare
    const { event, phone } = senderEvent();
    proxy.failNext({ kind: 'opted-out' });

    // Act
    await sender.handler(structuredClone(event), fakeContext());
    const outcome = lastOutcome();
    await sender.handler(structuredClone(event), fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(0);
    expect(proxy.publishes).toHaveLength(1);
    expect(outcome).toMatchObject({
      message: 'sms failed (terminal, not retried)',
      errorClass: 'opted_out',
    });
    expect(lastOutcome()).toMatchObject({
      message: 'sms duplicate suppressed',
    });
  });

  it('retries a connection that never opens, and leaves the SMS to a Lambda retry', async () => {
    // Prepare: SNS drops every connection (nothing can have been sent)
    const { event, phone } = senderEvent();
    const unconnectable = await startUnconnectable();
    process.env.AWS_ENDPOINT_URL_SNS = unconnectable.endpoint;
    const cutOff = withSettings({
      sms: { retry: { attemptsPerRoute: 2, baseDelayMs: 1, maxDelayMs: 2 } },
    });

    // Act
    try {
      const send = cutOff.handler(structuredClone(event), fakeContext());
      await expect(send).rejects.toThrow(/not sent yet/);
    } finally {
      process.env.AWS_ENDPOINT_URL_SNS = proxy.endpoint;
      await unconnectable.stop();
    }

    // Assess: retried on both regions, not an ambiguous timeout
    const failures = capturedLogRecords().filter(
      (r) => r.message === 'sms attempt failed',
    );
    expect(failures.map((r) => [r.errorClass, r.action])).toEqual(
      Array.from({ length: 4 }, () => ['network', 'retry']),
    );
    expect(await smsTo(phone)).toHaveLength(0);
  });

  it('waits for a slow endpoint within the budget and sends one SMS', async () => {
    // Prepare
    const { event, phone } = senderEvent();
    proxy.failNext({ kind: 'latency', ms: 1500 });

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(1);
    expect(proxy.publishes).toHaveLength(1);
  });

  it('never sends twice when a slow endpoint outlives the attempt timeout (ambiguous, not retried)', async () => {
    // Prepare
    const { event, phone } = senderEvent();
    proxy.failNext({ kind: 'latency', ms: 2500 });
    const quick = withSettings({
      sms: { retry: { attemptTimeoutMs: 1000, reserveMs: 500 } },
    });

    // Act
    await quick.handler(structuredClone(event), fakeContext(3000));
    const outcome = lastOutcome();
    // the slow publish still lands, after the attempt gave up on it
    await expect
      .poll(async () => (await smsTo(phone)).length, { timeout: 15_000 })
      .toBe(1);
    await sender.handler(structuredClone(event), fakeContext());

    // Assess
    expect(outcome).toMatchObject({ errorClass: 'timeout' });
    expect(await smsTo(phone)).toHaveLength(1);
    expect(proxy.publishes).toHaveLength(1);
    expect(lastOutcome()).toMatchObject({
      message: 'sms duplicate suppressed',
    });
  });

  it('starts no send with under a second left: Lambda retries, and the retry sends one SMS', async () => {
    // Prepare: 2.3 s left minus the 1.5 s reserve
    const { event, phone } = senderEvent();

    // Act
    const short = sender.handler(structuredClone(event), fakeContext(2300));
    await expect(short).rejects.toThrow(/Lambda will retry/);
    await sender.handler(structuredClone(event), fakeContext());

    // Assess
    expect(proxy.publishes).toHaveLength(1);
    expect(await smsTo(phone)).toHaveLength(1);
  });

  it('charges the velocity counters once for an SMS that Lambda delivers again', async () => {
    // Prepare
    const { event, phone } = senderEvent();
    proxy.failNext(...serverErrorStorm());

    // Act
    const first = sender.handler(structuredClone(event), fakeContext());
    await expect(first).rejects.toThrow(/Lambda will retry/);
    await sender.handler(structuredClone(event), fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(1);
    expect(await velocityCounts(phone)).toEqual([1]);
  });

  it('charges the counters once when the retry also loses the reply to its claim', async () => {
    // Prepare
    const { event, phone } = senderEvent();
    proxy.failNext(...serverErrorStorm());
    const first = sender.handler(structuredClone(event), fakeContext());
    await expect(first).rejects.toThrow(/Lambda will retry/);

    // Act
    await sendLosingClaimReply(event);

    // Assess
    expect(await smsTo(phone)).toHaveLength(1);
    expect(await velocityCounts(phone)).toEqual([1]);
  });

  it('charges each counter once when one failed and Lambda retried', async () => {
    // Prepare: the per-user counter fails every try; the others are charged
    const { event, phone } = senderEvent();
    await withStateProxy(
      (dynamo) => dynamo.failWhere('velocity#sms_per_user#', 10),
      async (partial) => {
        const first = partial.handler(structuredClone(event), fakeContext());
        await expect(first).rejects.toThrow(/velocity_unavailable/);
      },
    );

    // Act: Lambda's retry of the same event
    await sender.handler(structuredClone(event), fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(1);
    expect(await velocityCounts(phone)).toEqual([1]);
  });

  it('never sends again after an invocation that stopped between sending and recording it', async () => {
    // Prepare: the SMS goes out, then recording its outcome fails every
    // try (as if Lambda's timeout or a crash stopped the invocation there)
    const { event, phone } = senderEvent();
    await withStateProxy(
      (dynamo) => dynamo.failWhere(':outcome', 10),
      async (cutShort) => {
        await cutShort.handler(structuredClone(event), fakeContext());
      },
    );
    expect(await smsTo(phone)).toHaveLength(1);
    await expireLease(event);

    // Act: Lambda's retry, after the first invocation's lease ran out
    await sender.handler(structuredClone(event), fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(1);
    expect(lastOutcome()).toMatchObject({
      message: 'sms duplicate suppressed',
    });
    expect(
      capturedLogRecords().some(
        (r) => r.message === 'sms may have been sent by an earlier attempt',
      ),
    ).toBe(true);
  });

  it('says so when a transient failure cannot be left to a retry', async () => {
    // Prepare: every region keeps failing, and the table refuses to give
    // the claim back
    const { event } = senderEvent();
    proxy.failNext(...serverErrorStorm());

    // Act
    await withStateProxy(
      (dynamo) => dynamo.failWhere('counted = :counted', 10),
      async (stuck) => {
        const send = stuck.handler(structuredClone(event), fakeContext());
        await expect(send).rejects.toThrow(/Lambda will retry/);
      },
    );

    // Assess
    expect(capturedLogRecords().some((r) => r.SmsClaimNotReleased === 1)).toBe(
      true,
    );
  });

  it('sends one SMS when the reply to its claim is lost and the SDK writes the claim again', async () => {
    // Prepare
    const { event, phone } = senderEvent();

    // Act
    const dynamo = await sendLosingClaimReply(event);

    // Assess
    expect(
      dynamo.operations.filter((op) => op === 'UpdateItem').length,
    ).toBeGreaterThanOrEqual(2);
    expect(await smsTo(phone)).toHaveLength(1);
    expect(lastOutcome()).toMatchObject({ message: 'sms sent' });
  });

  it('releases the claim when KMS is unreachable, so the retry sends one SMS', async () => {
    // Prepare
    const { event, phone } = senderEvent('forgot-password');
    process.env.AWS_ENDPOINT_URL_KMS = 'http://127.0.0.1:9';
    const kmsDown = loadBundle<Sender>('customSmsSender');

    // Act
    const down = kmsDown.handler(structuredClone(event), fakeContext());
    await expect(down).rejects.toThrow(/kms_unavailable/);
    delete process.env.AWS_ENDPOINT_URL_KMS;
    await sender.handler(structuredClone(event), fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(1);
  });

  it('throws (Lambda retries) and sends nothing when the state table never answers', async () => {
    // Prepare
    const { event, phone } = senderEvent('forgot-password');
    const hole = await startBlackHole();
    process.env.AWS_ENDPOINT_URL_DYNAMODB = hole.endpoint;
    const slow = loadBundle<Sender>('customSmsSender');

    // Act
    const started = Date.now();
    try {
      const down = slow.handler(structuredClone(event), fakeContext());
      await expect(down).rejects.toThrow(/dynamodb_unavailable/);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      await hole.stop();
    }

    // Assess: within the function's 30 s, and nothing sent
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await smsTo(phone)).toHaveLength(0);
  });

  it('throws (Lambda retries) and sends nothing when the state table is unreachable', async () => {
    // Prepare
    const { event, phone } = senderEvent('update-user-attribute');
    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:9';
    const tableDown = loadBundle<Sender>('customSmsSender');

    // Act
    const down = tableDown.handler(structuredClone(event), fakeContext());
    await expect(down).rejects.toThrow(/dynamodb_unavailable/);
    delete process.env.AWS_ENDPOINT_URL_DYNAMODB;

    // Assess
    expect(await smsTo(phone)).toHaveLength(0);
    expect(proxy.publishes).toHaveLength(0);
  });
});
