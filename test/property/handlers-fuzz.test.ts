import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as createAuthChallenge } from '../../functions/create-auth-challenge/handler';
import { handler as customMessage } from '../../functions/custom-message/handler';
import { handler as customSmsSender } from '../../functions/custom-sms-sender/handler';
import { handler as defineAuthChallenge } from '../../functions/define-auth-challenge/handler';
import { handler as preSignUp } from '../../functions/pre-sign-up/handler';
import { handler as verifyAuthChallengeResponse } from '../../functions/verify-auth-challenge-response/handler';
import { UserFacingError } from '../../shared/errors';
import { TransientSendError } from '../../shared/sms/outcome';
import { USER_MESSAGES } from '../../shared/user-messages';
import { damagedEvents } from '../support/fuzz';
import { capturedLogs } from '../support/log-capture';
import { findPersonalDataShapes } from '../support/secrets';

/**
 * Every handler, fed its own event fixtures with random damage (fields
 * dropped, replaced by any JSON value, hostile strings and keys added,
 * `__proto__` included), with every AWS dependency down: each call ends in
 * a defined outcome. The synchronous triggers answer or refuse with a
 * catalogue message (Custom Message always answers: it never blocks a
 * user), and the sender returns or asks for a retry with a
 * TransientSendError. Never a TypeError, never an internal message to the
 * caller; and the suite-wide log capture checks every line for secrets and
 * personal data in the clear.
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

beforeAll(() => {
  dynamo.onAnyCommand().rejects(down);
  kms.onAnyCommand().rejects(down);
  sns.onAnyCommand().rejects(down);
  eum.onAnyCommand().rejects(down);
});
afterAll(() => {
  for (const client of [dynamo, kms, sns, eum]) client.restore();
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

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 150) };

/**
 * The response each synchronous trigger writes, whatever came in: the keys
 * Cognito reads, each of its type, and nothing else.
 */
const RESPONSE_FIELDS: Record<string, Record<string, string>> = {
  preSignUp: {
    autoConfirmUser: 'boolean',
    autoVerifyEmail: 'boolean',
    autoVerifyPhone: 'boolean',
  },
  defineAuthChallenge: {
    challengeName: 'string',
    issueTokens: 'boolean',
    failAuthentication: 'boolean',
  },
  createAuthChallenge: {
    publicChallengeParameters: 'object',
    privateChallengeParameters: 'object',
    challengeMetadata: 'string',
  },
  verifyAuthChallengeResponse: { answerCorrect: 'boolean' },
};

function expectWrittenWhole(key: string, answer: unknown): void {
  const response = (answer as { response?: unknown }).response;
  expect(response).toBeTypeOf('object');
  const fields = RESPONSE_FIELDS[key] ?? {};
  for (const [field, value] of Object.entries(response as object)) {
    expect(Object.keys(fields)).toContain(field);
    expect(typeof value).toBe(fields[field]);
  }
}

describe('every handler, fed damaged events with its dependencies down', () => {
  it.each([
    ['preSignUp', preSignUp],
    ['defineAuthChallenge', defineAuthChallenge],
    ['createAuthChallenge', createAuthChallenge],
    ['verifyAuthChallengeResponse', verifyAuthChallengeResponse],
  ] as const)(
    '%s answers whole or refuses with a catalogue message',
    async (key, handler) => {
      await fc.assert(
        fc.asyncProperty(damagedEvents(key), async (event) => {
          // Act
          const outcome = await outcomeOf(() =>
            (handler as (e: unknown, c: Context) => Promise<unknown>)(
              event,
              context,
            ),
          );

          // Assess
          if (outcome.resolved) {
            expectWrittenWhole(key, outcome.value);
          } else {
            expect(outcome.error).toBeInstanceOf(UserFacingError);
            expect(CATALOGUE).toContain((outcome.error as Error).message);
          }
        }),
        RUNS,
      );
    },
  );

  it('customMessage always answers, with strings or nulls', async () => {
    await fc.assert(
      fc.asyncProperty(damagedEvents('customMessage'), async (event) => {
        // Act
        const outcome = await outcomeOf(() =>
          (customMessage as (e: unknown, c: Context) => Promise<unknown>)(
            event,
            context,
          ),
        );

        // Assess
        expect(outcome.resolved).toBe(true);
        const value = (outcome as { value: unknown }).value;
        if (value !== null && typeof value === 'object') {
          const response = (value as { response?: Record<string, unknown> })
            .response;
          for (const field of ['smsMessage', 'emailMessage', 'emailSubject']) {
            expect([null, 'string']).toContain(
              response?.[field] === null ? null : typeof response?.[field],
            );
          }
        }
      }),
      RUNS,
    );
  });

  it('customSmsSender returns or asks for a retry, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(damagedEvents('customSmsSender'), async (event) => {
        // Act
        const outcome = await outcomeOf(() => customSmsSender(event, context));

        // Assess
        if (!outcome.resolved) {
          expect(outcome.error).toBeInstanceOf(TransientSendError);
        }
      }),
      RUNS,
    );
  });
});
