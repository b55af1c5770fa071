import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { senderPlaintexts } from '../support/events';
import { loadBundle, useLocalStack } from '../support/local-stack';
import {
  type SmsVoiceStub,
  startSmsVoiceStub,
} from '../support/sms-voice-stub';
import {
  buildSenderWithSettings,
  fakeContext,
  type Sender,
  senderEvent,
  senderOutcomes,
} from './custom-sms-sender.support';

/**
 * The bundled sender with SMS_TRANSPORT=end-user-messaging, against the End
 * User Messaging SMS stand-in (the real SDK client, real JSON protocol) and
 * moto for KMS and DynamoDB.
 */

const stack = useLocalStack();
let stub: SmsVoiceStub;
let sender: Sender;

beforeAll(async () => {
  stub = await startSmsVoiceStub();
  process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 = stub.endpoint;
  process.env.SMS_TRANSPORT = 'end-user-messaging';
  sender = loadBundle<Sender>('customSmsSender');
});
afterAll(async () => {
  process.env.SMS_TRANSPORT = 'sns';
  delete process.env.SMS_DRY_RUN;
  await stub?.stop();
});
beforeEach(() => stub.reset());

const accepted = () => stub.messages.filter((m) => m.accepted);
const lastOutcome = () => senderOutcomes().at(-1);

describe('custom SMS sender through End User Messaging (defaults)', () => {
  it('sends one TRANSACTIONAL message with a short time to live', async () => {
    // Prepare
    const { event, phone } = senderEvent('authentication');

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(accepted()).toHaveLength(1);
    const input = accepted()[0]?.input ?? {};
    expect(input).toMatchObject({
      DestinationPhoneNumber: phone,
      MessageType: 'TRANSACTIONAL',
      TimeToLive: 300,
    });
    expect(input.OriginationIdentity).toBeUndefined();
    expect(String(input.MessageBody)).toContain(
      senderPlaintexts().authentication,
    );
    expect(accepted()[0]?.region).toBe('eu-central-1');
    expect(
      (await stack.moto.smsMessages()).some((s) => s.phoneNumber === phone),
    ).toBe(false);
  });

  it('sends from the pool region, not the region the SNS table names for it', async () => {
    // Prepare: Seoul pools send SNS SMS from Tokyo; End User Messaging
    // identities and the stack's configuration set live in the pool region.
    const { event } = senderEvent();
    event.region = 'ap-northeast-2';

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(accepted().map((message) => message.region)).toEqual([
      'ap-northeast-2',
    ]);
  });

  it('retries throttling twice, then sends one message', async () => {
    // Prepare
    const { event } = senderEvent();
    stub.failNext({ kind: 'throttle' }, { kind: 'throttle' });

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(stub.messages).toHaveLength(3);
    expect(accepted()).toHaveLength(1);
  });

  it('stops at once when the number opted out', async () => {
    // Prepare
    const { event } = senderEvent();
    stub.failNext({
      kind: 'conflict',
      reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
    });

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(stub.messages).toHaveLength(1);
    expect(accepted()).toHaveLength(0);
    expect(lastOutcome()).toMatchObject({ errorClass: 'opted_out' });
  });

  it('stops at once when the spend limit is reached', async () => {
    // Prepare
    const { event } = senderEvent();
    stub.failNext({
      kind: 'service-quota',
      reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT',
    });

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(stub.messages).toHaveLength(1);
    expect(lastOutcome()).toMatchObject({ errorClass: 'spend_limit' });
  });

  it('validates with DryRun in dry-run mode', async () => {
    // Prepare
    const { event } = senderEvent();
    process.env.SMS_DRY_RUN = 'true';
    const dry = loadBundle<Sender>('customSmsSender');
    delete process.env.SMS_DRY_RUN;

    // Act
    await dry.handler(event, fakeContext());

    // Assess
    expect(stub.messages).toHaveLength(1);
    expect(stub.messages[0]?.input.DryRun).toBe(true);
    expect(lastOutcome()).toMatchObject({ message: 'sms dry run: not sent' });
  });
});

describe('custom SMS sender through End User Messaging (identity chains)', () => {
  let chained: Sender;
  beforeAll(async () => {
    const file = await buildSenderWithSettings({
      endUserMessaging: {
        regions: ['eu-central-1', 'eu-west-1'],
        configurationSetName: 'suite-otp',
        protectConfigurationId: 'protect-0123456789abcdef',
        maxPrice: '0.05',
        missingIdentity: 'refuse',
        countries: {
          GB: {
            identities: [
              { type: 'sender-id', id: 'SUITE' },
              { type: 'pool', id: 'pool-0123456789abcdef' },
            ],
          },
          IN: {
            identities: [{ type: 'sender-id', id: 'SUITEIN' }],
            entityId: '1101234567890123456',
            templateId: '1107654321098765432',
            templateIds: {
              ForgotPassword: '1107000000000000002',
              'ForgotPassword:de': '1107000000000000003',
            },
          },
        },
      },
    });
    chained = createRequire(__filename)(file) as Sender;
  }, 60_000);

  it('moves to the next identity when one is not valid for the country', async () => {
    // Prepare
    const { event } = senderEvent();
    stub.failNext({
      kind: 'validation',
      reason: 'INVALID_IDENTITY_FOR_DESTINATION_COUNTRY',
    });

    // Act
    await chained.handler(event, fakeContext());

    // Assess
    expect(stub.messages.map((m) => m.input.OriginationIdentity)).toEqual([
      'SUITE',
      'pool-0123456789abcdef',
    ]);
    expect(accepted()[0]?.input).toMatchObject({
      ConfigurationSetName: 'suite-otp',
      ProtectConfigurationId: 'protect-0123456789abcdef',
      MaxPrice: '0.05',
    });
  });

  it('fails over to the next of its regions after a 5xx storm on every identity', async () => {
    // Prepare
    const { event } = senderEvent();
    stub.failNext(
      ...Array.from({ length: 6 }, () => ({ kind: 'server-error' as const })),
    );

    // Act
    await chained.handler(event, fakeContext());

    // Assess
    expect(accepted()).toHaveLength(1);
    expect(accepted()[0]?.region).toBe('eu-west-1');
    expect(accepted()[0]?.input.OriginationIdentity).toBe('SUITE');
  });

  it("sends India's TRAI entity and template ids", async () => {
    // Prepare
    const { event } = senderEvent('sign-up', '+919876543210');

    // Act
    await chained.handler(event, fakeContext());

    // Assess
    expect(accepted()[0]?.input).toMatchObject({
      OriginationIdentity: 'SUITEIN',
      DestinationCountryParameters: {
        IN_ENTITY_ID: '1101234567890123456',
        IN_TEMPLATE_ID: '1107654321098765432',
      },
    });
  });

  it('sends the template id registered for the message kind and its locale', async () => {
    // Prepare: DLT registers each text, so each kind has its own id
    const english = senderEvent('forgot-password', '+919876543211').event;
    const german = senderEvent('forgot-password', '+919876543212').event;
    german.request.userAttributes.locale = 'de-AT';

    // Act
    await chained.handler(english, fakeContext());
    await chained.handler(german, fakeContext());

    // Assess
    expect(
      accepted().map(
        (m) =>
          (m.input.DestinationCountryParameters as Record<string, string>)
            ?.IN_TEMPLATE_ID,
      ),
    ).toEqual(['1107000000000000002', '1107000000000000003']);
  });

  it('refuses cleanly a country without identities when so configured', async () => {
    // Prepare
    const { event } = senderEvent('sign-up', '+12025550143');

    // Act
    await chained.handler(event, fakeContext());

    // Assess
    expect(stub.messages).toHaveLength(0);
    expect(lastOutcome()).toMatchObject({
      message: 'sms refused',
      reason: 'no_origination_identity',
      country: 'US',
    });
  });
});
