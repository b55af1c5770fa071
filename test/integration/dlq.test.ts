import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DlqOptions, runDlq } from '../../scripts/dlq-admin';
import { type LambdaStub, startLambdaStub } from '../support/lambda-stub';
import { useLocalStack } from '../support/local-stack';
import { ROOT } from '../support/provision';
import { trackSecret } from '../support/secrets';

/**
 * `npm run dlq`: the sender's dead-letter queue in moto's SQS, Lambda's
 * Invoke API in a wire-level stand-in (test/support/lambda-stub.ts).
 */

const stack = useLocalStack();
const FUNCTION_ARN =
  'arn:aws:lambda:eu-central-1:123456789012:function:cognito-trigger-suite-dev-customSmsSender:$LATEST';
const event = JSON.parse(
  readFileSync(
    path.join(ROOT, 'test/fixtures/events/customSmsSender/sign-up.json'),
    'utf8',
  ),
) as {
  triggerSource: string;
  request: { code: string; userAttributes: { phone_number: string } };
};
const phone = event.request.userAttributes.phone_number;
const HOUR = 3_600_000;

/** The invocation record Lambda writes after the last failed attempt. */
const record = (ageMs: number, payload: unknown = event) =>
  JSON.stringify({
    version: '1.0',
    timestamp: new Date(Date.now() - ageMs).toISOString(),
    requestContext: {
      requestId: 'c2a6f2ae-7dbb-4d22-8782-d0485c9877e2',
      functionArn: FUNCTION_ARN,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: payload,
    responseContext: { statusCode: 200, functionError: 'Unhandled' },
    responsePayload: {
      errorType: 'DecryptError',
      errorMessage: 'cannot decrypt code: kms_key_unusable',
    },
  });

let sqs: SQSClient;
let stub: LambdaStub;
let queueUrl: string;
let printed: string[];

const options = (extra: Partial<DlqOptions> = {}): DlqOptions => ({
  sqs,
  lambda: new LambdaClient({ endpoint: stub.endpoint, maxAttempts: 1 }),
  queueUrl,
  maxAgeHours: 24,
  max: 100,
  dryRun: false,
  print: (line) => printed.push(line),
  ...extra,
});

async function queued(): Promise<number> {
  const output = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
    }),
  );
  return output.Messages?.length ?? 0;
}

beforeAll(async () => {
  sqs = new SQSClient({ endpoint: stack.moto.endpoint });
  stub = await startLambdaStub();
});

afterAll(async () => {
  await stub?.stop();
});

beforeEach(async () => {
  trackSecret(event.request.code, phone);
  printed = [];
  stub.invocations.length = 0;
  const name = `sender-failures-${Math.random().toString(36).slice(2, 10)}`;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name })))
    .QueueUrl as string;
  for (const body of [
    record(5 * 60_000),
    record(3 * 24 * HOUR),
    record(60_000, { ...event, triggerSource: 'PreSignUp_SignUp' }),
    'not json',
  ]) {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }),
    );
  }
});

describe('npm run dlq', () => {
  it('lists every dead letter without its code or number, and leaves them all', async () => {
    // Act
    const summary = await runDlq('list', options());

    // Assess
    expect(summary).toEqual({
      seen: 4,
      redriven: 0,
      tooOld: 1,
      unreadable: 2,
      failed: 0,
    });
    const text = printed.join('\n');
    expect(text).toContain('CustomSMSSender_SignUp');
    expect(text).toContain('RetriesExhausted/DecryptError');
    expect(text).toContain('+********0123');
    expect(text).not.toContain(event.request.code.slice(0, 24));
    expect(text).not.toContain(phone.slice(1));
    expect(stub.invocations).toEqual([]);
    expect(await queued()).toBe(4);
  });

  it('redrives the recent sender event as Cognito sent it, and deletes only that one', async () => {
    // Act
    const summary = await runDlq('redrive', options());

    // Assess
    expect(summary).toMatchObject({ seen: 4, redriven: 1, failed: 0 });
    expect(stub.invocations).toEqual([
      {
        functionName: FUNCTION_ARN,
        invocationType: 'Event',
        payload: event,
      },
    ]);
    expect(await queued()).toBe(3);
  });

  it('redrives to another function when told, and not at all in a dry run', async () => {
    // Act
    await runDlq('redrive', options({ dryRun: true }));
    const afterDryRun = await queued();
    await runDlq('redrive', options({ functionName: 'other-sender' }));

    // Assess
    expect(afterDryRun).toBe(4);
    expect(stub.invocations.map((i) => i.functionName)).toEqual([
      'other-sender',
    ]);
  });

  it('keeps an event Lambda did not accept, and says so', async () => {
    // Prepare
    stub.failNext(1, 500);

    // Act
    const summary = await runDlq('redrive', options());

    // Assess
    expect(summary).toMatchObject({ redriven: 0, failed: 1 });
    expect(printed.join('\n')).toContain('invoke failed');
    expect(await queued()).toBe(4);
  });
});
