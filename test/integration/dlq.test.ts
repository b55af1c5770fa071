import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DlqOptions, runDlq } from '../../scripts/dlq-admin';
import { TransientSendError } from '../../shared/sms/outcome';
import { type LambdaStub, startLambdaStub } from '../support/lambda-stub';
import { useLocalStack } from '../support/local-stack';
import { ROOT } from '../support/provision';
import { trackSecret } from '../support/secrets';

/**
 * `npm run dlq`: the sender's dead-letter queue in moto's SQS, Lambda's
 * Invoke API in a wire-level stand-in (test/support/lambda-stub.ts).
 */

const stack = useLocalStack();
const SENDER_ARN =
  'arn:aws:lambda:eu-central-1:123456789012:function:cognito-trigger-suite-dev-customSmsSender:$LATEST';
const OTHER_ARN =
  'arn:aws:lambda:eu-central-1:123456789012:function:billing-export:$LATEST';
const fixture = (name: string) =>
  JSON.parse(
    readFileSync(
      path.join(ROOT, `test/fixtures/events/customSmsSender/${name}.json`),
      'utf8',
    ),
  ) as {
    triggerSource: string;
    userPoolId: string;
    userName: string;
    request: { code: string; userAttributes: { phone_number: string } };
  };
const event = fixture('sign-up');
const mfa = fixture('authentication');
const phone = event.request.userAttributes.phone_number;
const HOUR = 3_600_000;

/** The invocation record Lambda writes after the last failed attempt. */
const record = (
  failedMsAgo: number,
  payload: unknown = event,
  functionArn = SENDER_ARN,
) => ({
  version: '1.0',
  timestamp: new Date(Date.now() - failedMsAgo).toISOString(),
  requestContext: {
    requestId: 'c2a6f2ae-7dbb-4d22-8782-d0485c9877e2',
    functionArn,
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: payload,
  responseContext: { statusCode: 200, functionError: 'Unhandled' },
  // What the sender throws, so the cause shown is the real one.
  responsePayload: {
    errorType: 'TransientSendError',
    errorMessage: new TransientSendError('kms_key_unusable').message,
  },
});

let sqs: SQSClient;
let cognito: CognitoIdentityProviderClient;
let stub: LambdaStub;
let queueUrl: string;
let printed: string[];
let recent: ReturnType<typeof record>;

const options = (extra: Partial<DlqOptions> = {}): DlqOptions => ({
  sqs,
  lambda: new LambdaClient({ endpoint: stub.endpoint, maxAttempts: 1 }),
  cognito,
  queueUrl,
  idempotencyTtlSeconds: 86_400,
  max: 100,
  dryRun: false,
  waitSeconds: 0,
  print: (line) => printed.push(line),
  ...extra,
});

/** Messages in the queue: visible, and still hidden by a receive. */
async function queued(): Promise<{ visible: number; hidden: number }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
      ],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    hidden: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
  };
}

async function enqueue(...bodies: unknown[]): Promise<void> {
  for (const body of bodies) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  }
}

/** The events' user in moto's Cognito, with the events' number. */
async function createEventUser(): Promise<void> {
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: event.userPoolId,
      Username: event.userName,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'phone_number', Value: phone }],
    }),
  );
}

beforeAll(async () => {
  sqs = new SQSClient({ endpoint: stack.moto.endpoint });
  cognito = new CognitoIdentityProviderClient({
    endpoint: stack.moto.endpoint,
  });
  stub = await startLambdaStub();
  // The events name a user of a pool in moto, so a redrive can check them
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({ PoolName: 'dlq-users' }),
  );
  for (const payload of [event, mfa]) {
    payload.userPoolId = UserPool?.Id as string;
    payload.userName = event.userName;
  }
  await createEventUser();
});

afterAll(async () => {
  await stub?.stop();
});

beforeEach(async () => {
  trackSecret(event.request.code, mfa.request.code, phone);
  printed = [];
  stub.invocations.length = 0;
  const name = `sender-failures-${Math.random().toString(36).slice(2, 10)}`;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name })))
    .QueueUrl as string;
  recent = record(5 * 60_000);
  await enqueue(
    recent,
    record(3 * 24 * HOUR),
    record(5 * 60_000, mfa),
    record(60_000, { ...event, triggerSource: 'PreSignUp_SignUp' }),
    record(60_000, event, OTHER_ARN),
    'not json',
  );
});

describe('npm run dlq', () => {
  it('lists every dead letter with its cause, never its code or number, and leaves them all', async () => {
    // Act
    const summary = await runDlq('list', options());

    // Assess
    expect(summary).toEqual({
      seen: 6,
      redriven: 0,
      wouldRedrive: 0,
      tooOld: 2,
      unreadable: 3,
      stale: 0,
      failed: 0,
      notDeleted: 0,
    });
    const text = printed.join('\n');
    expect(text).toContain('CustomSMSSender_SignUp');
    expect(text).toContain('RetriesExhausted/kms_key_unusable');
    expect(text).toContain('+********0123');
    expect(text).toContain("not this suite's sender function");
    expect(text).not.toContain(event.request.code.slice(0, 24));
    expect(text).not.toContain(phone.slice(1));
    expect(stub.invocations).toEqual([]);
    expect(await queued()).toEqual({ visible: 6, hidden: 0 });
  });

  it('redrives only the sender event whose code is still valid, marked, and deletes only that one', async () => {
    // Act
    const summary = await runDlq('redrive', options());

    // Assess: not the 3-day-old one, not the MFA code (its session is
    // over), not the other function's or trigger's records
    expect(summary).toMatchObject({ seen: 6, redriven: 1, tooOld: 2 });
    expect(stub.invocations).toEqual([
      {
        functionName: SENDER_ARN,
        invocationType: 'Event',
        payload: {
          ...event,
          suiteRedrive: { firstFailedAt: recent.timestamp, count: 1 },
        },
      },
    ]);
    expect(await queued()).toEqual({ visible: 5, hidden: 0 });
  });

  it('counts age from the earliest the code was issued, and leaves an event redriven three times', async () => {
    // Prepare: events that failed again after earlier redrives
    const failedAgain = (firstFailedHoursAgo: number, count: number) =>
      record(60_000, {
        ...event,
        suiteRedrive: {
          firstFailedAt: new Date(
            Date.now() - firstFailedHoursAgo * HOUR,
          ).toISOString(),
          count,
        },
      });
    queueUrl = (
      await sqs.send(
        new CreateQueueCommand({ QueueName: `again-${Date.now()}` }),
      )
    ).QueueUrl as string;
    // A reset code: its hour may be spent before Lambda gives up
    const reset = record(5 * 60_000, fixture('forgot-password'));
    await enqueue(
      failedAgain(30, 1),
      failedAgain(1, 3),
      failedAgain(1, 1),
      reset,
    );

    // Act
    const summary = await runDlq('redrive', options());

    // Assess
    expect(summary).toMatchObject({
      seen: 4,
      redriven: 1,
      tooOld: 2,
      failed: 1,
    });
    expect(stub.invocations[0]?.payload).toMatchObject({
      suiteRedrive: { count: 2 },
    });
    expect(printed.join('\n')).toContain('redriven 3 times already');
  });

  it('redrives to another function when told, and not at all in a dry run', async () => {
    // Act
    const dryRun = await runDlq(
      'redrive',
      options({ functionName: 'other-sender', dryRun: true }),
    );
    const afterDryRun = await queued();
    await runDlq('redrive', options({ functionName: 'other-sender' }));

    // Assess: named, the other function's record is a sender event too
    expect(afterDryRun).toEqual({ visible: 6, hidden: 0 });
    expect(dryRun).toMatchObject({ redriven: 0, wouldRedrive: 2 });
    expect(printed.join('\n')).toContain(
      '2 would be redriven (dry run: nothing sent)',
    );
    expect(stub.invocations.map((i) => i.functionName)).toEqual([
      'other-sender',
      'other-sender',
    ]);
  });

  it('stays a dry run when npm took --dry-run for itself, and refuses a stray word', async () => {
    // Prepare: `npm run dlq --dry-run -- redrive …` hands the flag to npm,
    // which sets npm_config_dry_run and passes the script no flag
    // (not spawnSync: the Lambda stand-in answers from this process, so a
    // script that did redrive must find it listening)
    const { execFile } = await import('node:child_process');
    const run = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ status: number; stdout: string; stderr: string }>(
        (resolve) => {
          execFile(
            'npx',
            ['tsx', 'scripts/dlq.ts', ...args],
            {
              cwd: ROOT,
              encoding: 'utf8',
              timeout: 60_000,
              env: {
                ...process.env,
                NODE_EXTRA_CA_CERTS: '',
                AWS_ENDPOINT_URL: stack.moto.endpoint,
                AWS_ENDPOINT_URL_LAMBDA: stub.endpoint,
                ...env,
              },
            },
            (error, stdout, stderr) =>
              resolve({
                status: typeof error?.code === 'number' ? error.code : 0,
                stdout,
                stderr,
              }),
          );
        },
      );

    // Act
    const npmDryRun = await run(['redrive', '--queue-url', queueUrl], {
      npm_config_dry_run: 'true',
    });
    const stray = await run(['redrive', '--queue-url', queueUrl, 'dry-run']);

    // Assess
    expect(npmDryRun.stdout).toContain(
      '1 would be redriven (dry run: nothing sent)',
    );
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain('one command only: 1 more word(s)');
    expect(stub.invocations).toEqual([]);
    expect(await queued()).toEqual({ visible: 6, hidden: 0 });
  });

  it('leaves an event whose user has since changed number or is gone, and says so', async () => {
    // Prepare: the user moved to another number
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: event.userPoolId,
        Username: event.userName,
        UserAttributes: [{ Name: 'phone_number', Value: '+447700900999' }],
      }),
    );

    // Act
    let moved: Awaited<ReturnType<typeof runDlq>>;
    let gone: Awaited<ReturnType<typeof runDlq>>;
    try {
      moved = await runDlq('redrive', options());
      await cognito.send(
        new AdminDeleteUserCommand({
          UserPoolId: event.userPoolId,
          Username: event.userName,
        }),
      );
      gone = await runDlq('redrive', options());
    } finally {
      await cognito
        .send(
          new AdminDeleteUserCommand({
            UserPoolId: event.userPoolId,
            Username: event.userName,
          }),
        )
        .catch(() => undefined);
      await createEventUser();
    }

    // Assess
    expect(moved).toMatchObject({ redriven: 0, stale: 1 });
    expect(gone).toMatchObject({ redriven: 0, stale: 1 });
    expect(printed.join('\n')).toContain(
      "left: the user's phone number is not the event's any more",
    );
    expect(printed.join('\n')).toContain('left: the user no longer exists');
    expect(printed.join('\n')).not.toContain('+447700900999');
    expect(stub.invocations).toEqual([]);
    expect(await queued()).toEqual({ visible: 6, hidden: 0 });
  });

  it('keeps an event Lambda did not accept, and says so', async () => {
    // Prepare
    stub.failNext(1, 500);

    // Act
    const summary = await runDlq('redrive', options());

    // Assess
    expect(summary).toMatchObject({ redriven: 0, failed: 1 });
    expect(printed.join('\n')).toContain('invoke failed');
    expect(await queued()).toEqual({ visible: 6, hidden: 0 });
  });

  it('reads past the first ten, stops at --max, and hides nothing afterwards', async () => {
    // Prepare
    await enqueue(...Array.from({ length: 8 }, () => record(60_000)));

    // Act
    const summary = await runDlq('list', options({ max: 11 }));

    // Assess
    expect(summary.seen).toBe(11);
    expect(await queued()).toEqual({ visible: 14, hidden: 0 });
  });
});
