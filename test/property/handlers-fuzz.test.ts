import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as createAuthChallenge } from '../../functions/create-auth-challenge/handler';
import { handler as customMessage } from '../../functions/custom-message/handler';
import { handler as customSmsSender } from '../../functions/custom-sms-sender/handler';
import { handler as defineAuthChallenge } from '../../functions/define-auth-challenge/handler';
import { handler as preSignUp } from '../../functions/pre-sign-up/handler';
import { handler as verifyAuthChallengeResponse } from '../../functions/verify-auth-challenge-response/handler';
import {
  DependencyError,
  InvalidEventError,
  PolicyError,
  UserFacingError,
} from '../../shared/errors';
import { TransientSendError } from '../../shared/sms/outcome';
import { USER_MESSAGES } from '../../shared/user-messages';
import { damagedEvents } from '../support/fuzz';
import { capturedLogs } from '../support/log-capture';
import { findPersonalDataShapes } from '../support/secrets';

/**
 * Every handler, fed its own event fixtures with random damage (fields
 * dropped, replaced by any JSON value, hostile strings and keys added,
 * `__proto__` included, caller-chosen keys in clientMetadata and
 * validationData), first with every AWS dependency down, then with each
 * answering: every call ends in a defined outcome.
 * - The synchronous triggers answer with exactly the response fields
 *   Cognito reads, or refuse with a catalogue message whose cause is a
 *   refusal, an invalid event or a dependency: never a bug (a TypeError
 *   would be turned into the same generic message by the boundary).
 * - Custom Message always answers (it never blocks a user).
 * - The sender returns, or asks for a retry with a TransientSendError.
 * The log lines of each call are checked for personal data inside the
 * property (so fast-check shrinks to the event that leaked), and the
 * suite-wide log capture checks them for every registered secret.
 */

const down = Object.assign(new Error('service unavailable'), {
  name: 'ServiceUnavailableException',
  $fault: 'server',
  $metadata: { httpStatusCode: 503 },
});
const dynamo = mockClient(DynamoDBClient);
const kms = mockClient(KMSClient);
const sns = mockClient(SNSClient);
const eum = mockClient(PinpointSMSVoiceV2Client);
const mocks = [dynamo, kms, sns, eum];

/** Every dependency answers 503. */
function dependenciesDown(): void {
  for (const mock of mocks) mock.reset();
  dynamo.onAnyCommand().rejects(down);
  kms.onAnyCommand().rejects(down);
  sns.onAnyCommand().rejects(down);
  eum.onAnyCommand().rejects(down);
}

/**
 * Every dependency answers: no stored item, writes accepted, KMS seals. A
 * user then has no enrollment and no lockout, so the triggers answer.
 */
function dependenciesUp(): void {
  for (const mock of mocks) mock.reset();
  dynamo.onAnyCommand().resolves({});
  kms.onAnyCommand().resolves({});
  kms.on(EncryptCommand).resolves({ CiphertextBlob: new Uint8Array(64) });
  sns.onAnyCommand().resolves({ MessageId: 'fuzz' });
  eum.onAnyCommand().resolves({ MessageId: 'fuzz' });
}

afterAll(() => {
  for (const mock of mocks) mock.restore();
});

const context = {
  functionName: 'fuzz',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  getRemainingTimeInMillis: () => 3_000,
} as unknown as Context;

const CATALOGUE = new Set(
  Object.values(USER_MESSAGES).flatMap((messages) => Object.values(messages)),
);

type Outcome =
  | { resolved: true; value: unknown }
  | { resolved: false; error: unknown };

/**
 * Runs one call and checks the lines it logged for personal data in the
 * clear here, inside the property, so that fast-check reports (and
 * shrinks) the event that leaked, not only the test's log capture.
 */
async function outcomeOf(call: () => Promise<unknown>): Promise<Outcome> {
  const before = capturedLogs().length;
  let outcome: Outcome;
  try {
    outcome = { resolved: true, value: await call() };
  } catch (error) {
    outcome = { resolved: false, error };
  }
  const logged = capturedLogs().slice(before).join('');
  expect(findPersonalDataShapes(logged), logged).toEqual([]);
  return outcome;
}

type Field = 'boolean' | 'string' | 'string map';

/**
 * The response each synchronous trigger writes, whatever came in: these
 * keys (the optional ones marked), each of its type, nothing else.
 */
const RESPONSES: Record<
  string,
  { required: Record<string, Field>; optional?: Record<string, Field> }
> = {
  preSignUp: {
    required: {
      autoConfirmUser: 'boolean',
      autoVerifyEmail: 'boolean',
      autoVerifyPhone: 'boolean',
    },
  },
  defineAuthChallenge: {
    required: { issueTokens: 'boolean', failAuthentication: 'boolean' },
    optional: { challengeName: 'string' },
  },
  createAuthChallenge: {
    required: {
      publicChallengeParameters: 'string map',
      privateChallengeParameters: 'string map',
      challengeMetadata: 'string',
    },
  },
  verifyAuthChallengeResponse: { required: { answerCorrect: 'boolean' } },
};

const isField = (value: unknown, field: Field): boolean =>
  field === 'string map'
    ? value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.values(value).every((item) => typeof item === 'string')
    : typeof value === field;

function expectWrittenWhole(key: string, answer: unknown): void {
  const response = (answer as { response?: unknown } | null)?.response;
  const { required, optional = {} } = RESPONSES[key] ?? { required: {} };
  expect(response).toBeTypeOf('object');
  const fields = Object.entries(response as Record<string, unknown>);
  expect(fields.map(([field]) => field).sort()).toEqual(
    [
      ...Object.keys(required),
      ...Object.keys(optional).filter(
        (field) => (response as Record<string, unknown>)[field] !== undefined,
      ),
    ].sort(),
  );
  for (const [field, value] of fields) {
    expect(isField(value, required[field] ?? optional[field]!), field).toBe(
      true,
    );
  }
}

/** A refusal, an invalid event or a dependency: never a bug. */
function expectRefusal(error: unknown): void {
  expect(error).toBeInstanceOf(UserFacingError);
  expect(CATALOGUE).toContain((error as Error).message);
  const { cause } = error as Error;
  expect(
    cause === undefined ||
      cause instanceof InvalidEventError ||
      cause instanceof DependencyError ||
      cause instanceof PolicyError,
    `cause: ${String(cause)}`,
  ).toBe(true);
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SYNC = [
  ['preSignUp', preSignUp],
  ['defineAuthChallenge', defineAuthChallenge],
  ['createAuthChallenge', createAuthChallenge],
  ['verifyAuthChallengeResponse', verifyAuthChallengeResponse],
] as const;

describe.each([
  ['down', dependenciesDown],
  ['answering', dependenciesUp],
] as const)(
  'every handler, fed damaged events, dependencies %s',
  (mode, setUp) => {
    beforeEach(setUp);

    it.each(SYNC)(
      '%s answers whole or refuses with a catalogue message',
      async (key, handler) => {
        let answered = 0;
        await fc.assert(
          fc.asyncProperty(damagedEvents(key), async ({ event }) => {
            // Act
            const outcome = await outcomeOf(() =>
              (handler as (e: unknown, c: Context) => Promise<unknown>)(
                event,
                context,
              ),
            );

            // Assess
            if (outcome.resolved) {
              answered += 1;
              expectWrittenWhole(key, outcome.value);
            } else {
              expectRefusal(outcome.error);
            }
          }),
          { numRuns: RUNS },
        );
        // The answer path ran: with the dependencies answering, most
        // damage leaves an event each trigger can answer.
        if (mode === 'answering') expect(answered).toBeGreaterThan(RUNS / 10);
      },
      30_000 + RUNS * 100,
    );

    it(
      'customMessage always answers, with the three fields, email ones null',
      async () => {
        await fc.assert(
          fc.asyncProperty(
            damagedEvents('customMessage'),
            async ({ event }) => {
              // Act
              const outcome = await outcomeOf(() =>
                (customMessage as (e: unknown, c: Context) => Promise<unknown>)(
                  event,
                  context,
                ),
              );

              // Assess: this pool sends email through Cognito (not DEVELOPER),
              // which refuses emailMessage and emailSubject
              expect(outcome.resolved).toBe(true);
              const { response } = (outcome as { value: { response: object } })
                .value;
              expect(response).toEqual({
                smsMessage: expect.toSatisfy(
                  (sms: unknown) => sms === null || typeof sms === 'string',
                ),
                emailMessage: null,
                emailSubject: null,
              });
            },
          ),
          { numRuns: RUNS },
        );
      },
      30_000 + RUNS * 100,
    );

    it(
      'customSmsSender returns or asks for a retry, never anything else',
      async () => {
        await fc.assert(
          fc.asyncProperty(
            damagedEvents('customSmsSender'),
            async ({ event }) => {
              // Act
              const outcome = await outcomeOf(() =>
                customSmsSender(event, context),
              );

              // Assess
              // A retry is asked for a dependency, never for a bug (which
              // the sender also turns into a retry, as 'unexpected').
              if (!outcome.resolved) {
                expect(outcome.error).toBeInstanceOf(TransientSendError);
                expect(
                  (outcome.error as TransientSendError).errorClass,
                ).not.toBe('unexpected');
              }
            },
          ),
          { numRuns: RUNS },
        );
      },
      30_000 + RUNS * 100,
    );
  },
);
