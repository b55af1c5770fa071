import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import suite from '../../config/suite.json';
import { loadEvent, senderPlaintexts } from '../support/events';
import { damagedEvents, type Json } from '../support/fuzz';
import { loadBundle, useLocalStack } from '../support/local-stack';
import {
  fakeContext,
  freshPhone,
  type Sender,
} from './custom-sms-sender.support';

/**
 * The bundled Custom SMS Sender against moto, fed its fixtures (real
 * Cognito ciphertext, each for a fresh user and number) with random damage:
 * a field dropped or replaced by any JSON value, hostile strings and keys
 * added. Whatever the damage, an SMS only ever goes to the number the
 * event names, carries the code Cognito encrypted, and goes once however
 * often the event is delivered; a damaged code or pool sends nothing.
 * Velocity limits are lifted for this bundle: every fresh number shares
 * the drama range's prefix, and the per-prefix limit would otherwise stop
 * all sending after 20 SMS, leaving the rest of a run untested.
 */

const stack = useLocalStack();
let sender: Sender;

const UNLIMITED = { limit: 1_000_000, windowSeconds: 3600 };

beforeAll(() => {
  process.env.SMS_TRANSPORT = 'sns';
  process.env.SUITE_SETTINGS_OVERRIDE = JSON.stringify({
    policy: {
      ...suite.policy,
      velocity: {
        ...suite.policy.velocity,
        sms: { perPhone: UNLIMITED, perPrefix: UNLIMITED, perUser: UNLIMITED },
      },
    },
  });
  try {
    sender = loadBundle<Sender>('customSmsSender');
  } finally {
    delete process.env.SUITE_SETTINGS_OVERRIDE;
  }
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
const forms = (code: string) => [
  code,
  code.replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
];

/** Each fixture's ciphertext → the forms of the code it encrypts. */
const CODE_OF = new Map(
  Object.entries(PLAINTEXTS).map(([name, code]) => [
    String(loadEvent('customSmsSender', name).request.code),
    forms(code),
  ]),
);

const RUNS = Number(process.env.SENDER_FUZZ_RUNS ?? 60);

type Damaged = { request?: { code?: unknown }; userPoolId?: unknown };

describe('custom SMS sender (bundle, moto) with damaged events', () => {
  it('sends the undamaged fixture (the property below can see an SMS)', async () => {
    // Prepare
    const event = freshUser(loadEvent('customSmsSender', 'sign-up'));
    const before = (await stack.moto.smsMessages()).length;

    // Act
    await sender.handler(event, fakeContext(5_000));

    // Assess
    const sent = (await stack.moto.smsMessages()).slice(before);
    expect(sent.map((sms) => sms.phoneNumber)).toEqual([phoneOf(event)]);
  });

  it(
    'sends at most one SMS, only to the number the event names, with its code',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          damagedEvents('customSmsSender', freshUser),
          async ({ original, event }) => {
            // Prepare
            const before = (await stack.moto.smsMessages()).length;

            // Act: delivered twice, as Lambda may
            for (let delivery = 0; delivery < 2; delivery += 1) {
              await sender
                .handler(event, fakeContext(5_000))
                .catch((error: unknown) => {
                  // A dependency, never a bug ('unexpected')
                  expect((error as Error).name).toBe('TransientSendError');
                  expect(
                    (error as { errorClass?: string }).errorClass,
                  ).not.toBe('unexpected');
                });
            }

            // Assess
            const sent = (await stack.moto.smsMessages()).slice(before);
            expect(sent.length).toBeLessThanOrEqual(1);
            const damaged = event as Damaged;
            const intact = original as Damaged;
            if (
              damaged.request?.code !== intact.request?.code ||
              damaged.userPoolId !== intact.userPoolId
            ) {
              expect(sent).toEqual([]);
            }
            // The code of the very fixture that was damaged, no other's
            const own = CODE_OF.get(String(intact.request?.code)) ?? [];
            for (const sms of sent) {
              expect(sms.phoneNumber).toBe(phoneOf(event));
              expect(own.some((code) => sms.message.includes(code))).toBe(true);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    60_000 + RUNS * 500,
  );
});
