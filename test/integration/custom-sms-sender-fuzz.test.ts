import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { senderPlaintexts } from '../support/events';
import { damagedEvents, type Json } from '../support/fuzz';
import { loadBundle, useLocalStack } from '../support/local-stack';
import { fakeContext, freshPhone } from './custom-sms-sender.support';

/**
 * The bundled Custom SMS Sender against moto, fed its fixtures (real
 * Cognito ciphertext, each for a fresh user and number) with random damage:
 * a field dropped or replaced by any JSON value, hostile strings and keys
 * added. Whatever the damage, an SMS only ever goes to the number the
 * event names, carries the code Cognito encrypted, and goes once however
 * often the event is delivered; a damaged code, pool or number sends
 * nothing.
 */

const stack = useLocalStack();
type Sender = {
  handler: (event: unknown, context?: unknown) => Promise<unknown>;
};
let sender: Sender;

beforeAll(() => {
  process.env.SMS_TRANSPORT = 'sns';
  sender = loadBundle<Sender>('customSmsSender');
});

const PLAINTEXTS = senderPlaintexts() as Record<string, string>;

/** Each fixture for a fresh user and number: limits never interfere. */
function freshUser(fixture: Json): Json {
  const event = structuredClone(fixture) as {
    userName: string;
    request: { userAttributes: Record<string, string> };
  };
  const sub = crypto.randomUUID();
  event.userName = sub;
  event.request.userAttributes.sub = sub;
  event.request.userAttributes.phone_number = freshPhone();
  return event as unknown as Json;
}

/** The number an event names, if it names one as a string. */
const phoneOf = (event: unknown): unknown =>
  (event as { request?: { userAttributes?: { phone_number?: unknown } } })
    ?.request?.userAttributes?.phone_number;

// A code as Cognito encrypted it: a temporary password has `<` and `>`
// escaped, and only an invitation unescapes them (a damaged triggerSource
// may put it under another).
const codes = Object.values(PLAINTEXTS).flatMap((code) => [
  code,
  code.replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
]);

describe('custom SMS sender (bundle, moto) with damaged events', () => {
  it('sends at most one SMS, only to the number the event names, with its code', async () => {
    await fc.assert(
      fc.asyncProperty(
        damagedEvents('customSmsSender', freshUser),
        async (event) => {
          // Prepare
          const before = (await stack.moto.smsMessages()).length;

          // Act: delivered twice, as Lambda may
          for (let delivery = 0; delivery < 2; delivery += 1) {
            await sender
              .handler(event, fakeContext(5_000))
              .catch((error: unknown) => {
                expect((error as Error).name).toBe('TransientSendError');
              });
          }

          // Assess
          const sent = (await stack.moto.smsMessages()).slice(before);
          expect(sent.length).toBeLessThanOrEqual(1);
          for (const sms of sent) {
            expect(sms.phoneNumber).toBe(phoneOf(event));
            expect([...codes].some((code) => sms.message.includes(code))).toBe(
              true,
            );
          }
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
    );
  });
});
