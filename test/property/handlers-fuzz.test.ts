import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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
import { capturedLogs } from '../support/log-capture';
import { ROOT } from '../support/provision';
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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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

const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '\u0000\u001f\u007f\u2028',
  '{####}',
  '{username}',
  '{##Verify##}',
  '\u202Egnp.exe',
  'x'.repeat(5_000),
  '日本語のテキスト',
  '🙂'.repeat(40),
  'de-AT',
  'CustomMessage_SignUp',
  'CustomSMSSender_SignUp',
  'CUSTOM_CHALLENGE',
  'ada@example.com',
  '+4915112345678',
];
const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'locale',
  'phone_number',
  'email',
  'code',
  'custom:totp',
  // A caller chooses clientMetadata and validationData keys: any text.
  'grace@example.org',
  '+14155550100',
];

const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(...HOSTILE_STRINGS),
);
const hostileKey = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom(...HOSTILE_KEYS),
);
const { value: hostileValue } = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    hostileString,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 3 }),
  ),
}));

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'add'; at: number; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('replace' as const),
    at: fc.nat(),
    value: hostileValue,
  }),
  fc.record({
    op: fc.constant('add' as const),
    at: fc.nat(),
    key: hostileKey,
    value: hostileValue,
  }),
);

/** Every container in `root` with the key that leads to each child. */
function slots(
  root: Json,
): Array<{ parent: Json[] | Record<string, Json>; key: string | number }> {
  const found: Array<{
    parent: Json[] | Record<string, Json>;
    key: string | number;
  }> = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        found.push({ parent: node, key: index });
        walk(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        found.push({ parent: node, key });
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

/** `event` with the mutations applied, as the JSON Lambda would deliver. */
function damaged(event: Json, mutations: readonly Mutation[]): unknown {
  const copy = JSON.parse(JSON.stringify(event)) as Json;
  for (const change of mutations) {
    const all = slots(copy);
    if (all.length === 0) break;
    const { parent, key } = all[change.at % all.length]!;
    const target = parent as Record<string, Json>;
    if (change.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete target[key];
    } else if (change.op === 'replace') {
      Object.defineProperty(target, key, {
        value: change.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      const holder = target[key];
      const object =
        holder !== null && typeof holder === 'object' && !Array.isArray(holder)
          ? holder
          : target;
      Object.defineProperty(object, change.key, {
        value: change.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return JSON.parse(JSON.stringify(copy));
}

function fixturesOf(key: string): Json[] {
  const dir = path.join(ROOT, 'test/fixtures/events', key);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') && !file.startsWith('_'))
    .map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
}

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

const damage = (key: string) =>
  fc.tuple(
    fc.constantFrom(...fixturesOf(key)),
    fc.array(mutation, { minLength: 1, maxLength: 3 }),
  );

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
        fc.asyncProperty(damage(key), async ([fixture, mutations]) => {
          // Prepare
          const event = damaged(fixture, mutations);

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
      fc.asyncProperty(
        damage('customMessage'),
        async ([fixture, mutations]) => {
          // Prepare
          const event = damaged(fixture, mutations);

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
            for (const field of [
              'smsMessage',
              'emailMessage',
              'emailSubject',
            ]) {
              expect([null, 'string']).toContain(
                response?.[field] === null ? null : typeof response?.[field],
              );
            }
          }
        },
      ),
      RUNS,
    );
  });

  it('customSmsSender returns or asks for a retry, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        damage('customSmsSender'),
        async ([fixture, mutations]) => {
          // Prepare
          const event = damaged(fixture, mutations);

          // Act
          const outcome = await outcomeOf(() =>
            customSmsSender(event, context),
          );

          // Assess
          if (!outcome.resolved) {
            expect(outcome.error).toBeInstanceOf(TransientSendError);
          }
        },
      ),
      RUNS,
    );
  });
});
