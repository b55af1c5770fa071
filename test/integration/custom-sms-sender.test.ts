import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encryptLikeCognito } from '../support/cognito-ciphertext';
import { loadEvent, senderPlaintexts } from '../support/events';
import { loadBundle, useLocalStack } from '../support/local-stack';
import { capturedLogRecords } from '../support/log-capture';
import { trackSecret } from '../support/secrets';
import { clearOfWindowEnd } from '../support/velocity-window';
import {
  fakeContext,
  type Sender,
  senderEvent,
  senderOutcomes,
  startKmsPolicyProxy,
} from './custom-sms-sender.support';

/**
 * The bundled Custom SMS Sender (dist/customSmsSender) against moto: real
 * Cognito-format ciphertext, KMS, SNS and the DynamoDB state table.
 */

const stack = useLocalStack();
let sender: Sender;
let customMessage: Sender;

beforeAll(() => {
  process.env.SMS_TRANSPORT = 'sns';
  sender = loadBundle<Sender>('customSmsSender');
  customMessage = loadBundle<Sender>('customMessage');
});

async function smsTo(phone: string) {
  return (await stack.moto.smsMessages()).filter(
    (sms) => sms.phoneNumber === phone,
  );
}

/**
 * Sends `event` with a freshly loaded bundle whose KMS calls go through a
 * proxy that enforces the key policy's `userpool-id` condition for the
 * event's pool, as real KMS does.
 *
 * @returns the `userpool-id` of each Decrypt that reached the proxy
 */
async function sendBehindKeyPolicy(
  event: Record<string, any>,
): Promise<Array<string | undefined>> {
  const kms = await startKmsPolicyProxy(
    stack.moto.endpoint,
    String(event.userPoolId),
  );
  process.env.AWS_ENDPOINT_URL_KMS = kms.endpoint;
  try {
    const bound = loadBundle<Sender>('customSmsSender');
    await bound.handler(event, fakeContext());
    return kms.decrypts;
  } finally {
    delete process.env.AWS_ENDPOINT_URL_KMS;
    await kms.stop();
  }
}

describe('custom SMS sender (bundle, SNS on moto)', () => {
  // The hourly velocity counters a test charges must be one window's
  beforeEach(() => clearOfWindowEnd(3600));

  it.each([
    'sign-up',
    'resend-code',
    'forgot-password',
    'update-user-attribute',
    'verify-user-attribute',
    'authentication',
  ])('sends one SMS with the decrypted %s code', async (name) => {
    // Prepare
    const { event, phone } = senderEvent(name);
    const code = senderPlaintexts()[name] as string;

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    const sent = await smsTo(phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.message).toContain(code);
    expect(senderOutcomes().at(-1)).toMatchObject({
      message: 'sms sent',
      country: 'GB',
      transport: 'sns',
      region: 'eu-central-1',
    });
  });

  it.each([
    ['sign-up', 'en'],
    ['resend-code', 'de'],
    ['forgot-password', 'de-AT'],
    ['update-user-attribute', 'en'],
    ['verify-user-attribute', 'de'],
    ['authentication', 'en'],
    ['admin-create-user', 'de'],
  ])(
    'sends the %s text Custom Message renders (%s), with Cognito placeholders filled',
    async (name, locale) => {
      // Prepare: the same user, attributes and app client for both triggers
      const { event, phone } = senderEvent(name);
      event.request.userAttributes.locale = locale;
      const secret = senderPlaintexts()[name] as string;
      const message = loadEvent('customMessage', name);
      message.userName = event.userName;
      message.callerContext = event.callerContext;
      message.request.userAttributes = { ...event.request.userAttributes };
      message.request.clientMetadata = event.request.clientMetadata;

      // Act
      await sender.handler(event, fakeContext());
      const rendered = (await customMessage.handler(message)) as {
        response: { smsMessage: string };
      };

      // Assess: Cognito puts the code (or temporary password) and the user
      // name where Custom Message left its placeholders
      const expected = rendered.response.smsMessage
        .replace(message.request.codeParameter, secret)
        .replace(
          message.request.usernameParameter ?? '{username}',
          event.userName,
        );
      const sent = await smsTo(phone);
      expect(sent.map((sms) => sms.message)).toEqual([expected]);
    },
  );

  it('sends an invitation with the user name and the unescaped temporary password', async () => {
    // Prepare
    const { event, phone } = senderEvent('admin-create-user');
    const password = senderPlaintexts()['admin-create-user'] as string;

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    const sent = await smsTo(phone);
    expect(password).toMatch(/[<>]/);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.message).toContain(password);
    expect(sent[0]?.message).not.toMatch(/&lt;|&gt;/);
    expect(sent[0]?.message).toContain(event.userName);
  });

  it('sends nothing for a code minted for another pool (context mismatch)', async () => {
    // Prepare
    const { event, phone } = senderEvent('sign-up');
    trackSecret('777123');
    event.request.code = await encryptLikeCognito({
      keyArn: stack.env.KMS_KEY_ARN as string,
      userPoolId: 'eu-central-1_Another1',
      plaintext: '777123',
    });

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(0);
    expect(senderOutcomes().at(-1)).toMatchObject({
      message: 'sms failed (terminal, not retried)',
      errorClass: 'context_mismatch',
    });
  });

  it('refuses a code for another pool before KMS, which its key policy would deny (not retried)', async () => {
    // Prepare
    const { event, phone } = senderEvent('sign-up');
    trackSecret('777124');
    event.request.code = await encryptLikeCognito({
      keyArn: stack.env.KMS_KEY_ARN as string,
      userPoolId: 'eu-central-1_Another2',
      plaintext: '777124',
    });

    // Act
    const decrypts = await sendBehindKeyPolicy(event);

    // Assess
    expect(decrypts).toEqual([]);
    expect(await smsTo(phone)).toHaveLength(0);
    expect(senderOutcomes().at(-1)).toMatchObject({
      message: 'sms failed (terminal, not retried)',
      errorClass: 'context_mismatch',
    });
  });

  it('decrypts through the key-policy proxy for its own pool', async () => {
    // Prepare
    const { event, phone } = senderEvent('sign-up');

    // Act
    const decrypts = await sendBehindKeyPolicy(event);

    // Assess
    expect(decrypts).toEqual([event.userPoolId]);
    expect(await smsTo(phone)).toHaveLength(1);
  });

  it("writes an unknown locale's message in the default locale, logged and counted", async () => {
    // Prepare
    const { event, phone } = senderEvent('sign-up');
    event.request.userAttributes.locale = 'tlh-Piqd';
    event.request.clientMetadata = { locale: 'tlh' };

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(1);
    expect(senderOutcomes().at(-1)).toMatchObject({
      message: 'sms sent',
      locale: 'en',
      localeFallback: true,
    });
    const counted = capturedLogRecords().filter((line) =>
      JSON.stringify(line._aws ?? null).includes('"LocaleFallback"'),
    );
    expect(counted.map((line) => line.trigger)).toEqual(['customSmsSender']);
  });

  it('names the country and the KMS error of a failure Lambda will retry', async () => {
    // Prepare
    const { event } = senderEvent('sign-up');
    process.env.AWS_ENDPOINT_URL_KMS = 'http://127.0.0.1:9';
    let act: Promise<unknown>;
    try {
      const kmsDown = loadBundle<Sender>('customSmsSender');

      // Act
      act = kmsDown.handler(event, fakeContext());
      await act.catch(() => undefined);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_KMS;
    }

    // Assess
    await expect(act).rejects.toThrow(/kms_unavailable/);
    const retried = capturedLogRecords().filter(
      (line) => line.message === 'sms not sent yet; Lambda will retry',
    );
    expect(retried.at(-1)).toMatchObject({
      errorClass: 'kms_unavailable',
      country: 'GB',
      error: expect.objectContaining({ message: expect.any(String) }),
    });
    const counted = capturedLogRecords().filter(
      (line) =>
        JSON.stringify(line._aws ?? null).includes('"SmsFailed"') &&
        line.retried === 'true',
    );
    expect(counted.at(-1)).toMatchObject({
      class: 'kms_unavailable',
      country: 'GB',
    });
  });

  it.each([
    [
      'malformed base64',
      (e: any) => {
        e.request.code = 'not base64!';
      },
      'malformed_base64',
    ],
    [
      'a message that is not ESDK',
      (e: any) => {
        e.request.code = Buffer.from('hello, world').toString('base64');
      },
      'malformed_message',
    ],
    [
      'a truncated message',
      (e: any) => {
        e.request.code = e.request.code.slice(0, 300);
      },
      'malformed_message',
    ],
    [
      'a missing code',
      (e: any) => {
        e.request.code = null;
      },
      'missing_code',
    ],
  ])(
    'ends cleanly, sending nothing, on %s',
    async (_name, mutate, errorClass) => {
      // Prepare
      const { event, phone } = senderEvent('sign-up');
      mutate(event);

      // Act
      await sender.handler(event, fakeContext());

      // Assess
      expect(await smsTo(phone)).toHaveLength(0);
      expect(senderOutcomes().at(-1)).toMatchObject({ errorClass });
    },
  );

  it.each([
    ['the header', 40],
    ['the body', -140],
    ['the signature', -5],
  ])(
    'sends nothing when %s of the ciphertext was tampered with',
    async (_part, offset) => {
      // Prepare
      const { event, phone } = senderEvent('sign-up');
      const bytes = Buffer.from(event.request.code, 'base64');
      const at = offset < 0 ? bytes.length + offset : offset;
      bytes[at] = (bytes[at] ?? 0) ^ 0x01;
      event.request.code = bytes.toString('base64');

      // Act
      await sender.handler(event, fakeContext());

      // Assess
      expect(await smsTo(phone)).toHaveLength(0);
      expect(senderOutcomes().at(-1)).toMatchObject({
        message: 'sms failed (terminal, not retried)',
      });
      expect(['malformed_message', 'wrong_key']).toContain(
        senderOutcomes().at(-1)?.errorClass,
      );
    },
  );

  it.each([
    [
      'a missing number',
      (e: any) => {
        delete e.request.userAttributes.phone_number;
      },
      'invalid_phone_number',
    ],
    [
      'a number that is not E.164',
      (e: any) => {
        e.request.userAttributes.phone_number = '07700 900123';
      },
      'invalid_phone_number',
    ],
    [
      'an unknown trigger source',
      (e: any) => {
        e.triggerSource = 'CustomSMSSender_AccountTakeOverNotification';
      },
      'unknown_trigger_source',
    ],
  ])('refuses %s as a terminal outcome', async (_name, mutate, reason) => {
    // Prepare
    const { event } = senderEvent('sign-up');
    mutate(event);
    const before = (await stack.moto.smsMessages()).length;

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect((await stack.moto.smsMessages()).length).toBe(before);
    expect(senderOutcomes().at(-1)).toMatchObject({
      message: 'sms refused',
      reason,
    });
  });

  it('reports a pool region missing from the SNS table as a configuration error', async () => {
    // Prepare
    const { event, phone } = senderEvent('sign-up');
    event.region = 'xx-nowhere-1';

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(0);
    expect(
      capturedLogRecords().some(
        (r) =>
          r.message ===
          'configuration error: no SMS region for this pool region',
      ),
    ).toBe(true);
    expect(senderOutcomes().at(-1)).toMatchObject({
      errorClass: 'config_region_not_in_table',
    });
  });

  it('sends one SMS when the same event arrives 3 times, 2 of them concurrently', async () => {
    // Prepare
    const { event, phone } = senderEvent('authentication');

    // Act
    await Promise.all([
      sender.handler(structuredClone(event), fakeContext()),
      sender.handler(structuredClone(event), fakeContext()),
    ]);
    await sender.handler(structuredClone(event), fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(1);
    const ends = senderOutcomes().map((record) => record.message);
    expect(ends.filter((m) => m === 'sms sent')).toHaveLength(1);
    expect(ends.filter((m) => m === 'sms duplicate suppressed')).toHaveLength(
      2,
    );
  });

  it('refuses the sixth code to one number within the hour (velocity per phone)', async () => {
    // Prepare
    const { phone } = senderEvent('sign-up');
    const events = [];
    for (let i = 0; i < 6; i += 1) {
      const { event } = senderEvent('sign-up');
      event.request.userAttributes.phone_number = phone;
      events.push(event);
    }

    // Act
    for (const event of events) await sender.handler(event, fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(5);
    expect(senderOutcomes().at(-1)).toMatchObject({
      message: 'sms refused',
      reason: 'velocity_sms_per_phone',
    });
  });

  it("still sends a user's MFA code when password resets used up theirs", async () => {
    // Prepare: anyone who names the user name can start a reset; each
    // reset has a code of its own
    const { event: first, phone } = senderEvent('forgot-password');
    const resets = [];
    for (let i = 0; i < 5; i += 1) {
      const { event } = senderEvent('forgot-password');
      event.request.userAttributes = { ...first.request.userAttributes };
      event.userName = first.userName;
      const code = String(610_000 + i);
      trackSecret(code);
      event.request.code = await encryptLikeCognito({
        keyArn: stack.env.KMS_KEY_ARN as string,
        userPoolId: event.userPoolId,
        plaintext: code,
      });
      resets.push(event);
    }
    const { event: mfa } = senderEvent('authentication');
    mfa.request.userAttributes = { ...first.request.userAttributes };
    mfa.userName = first.userName;
    for (const event of resets) await sender.handler(event, fakeContext());

    // Act
    await sender.handler(mfa, fakeContext());

    // Assess
    expect(senderOutcomes().at(-1)).toMatchObject({ message: 'sms sent' });
    expect(await smsTo(phone)).toHaveLength(6);
  });

  it("still sends a number's MFA code when sign-ups to it used up its limit", async () => {
    // Prepare: five sign-ups anyone could start, naming the victim's number
    const { phone } = senderEvent('sign-up');
    const signUps = Array.from({ length: 6 }, () => {
      const { event } = senderEvent('sign-up');
      event.request.userAttributes.phone_number = phone;
      return event;
    });
    const { event: mfa } = senderEvent('authentication');
    mfa.request.userAttributes.phone_number = phone;
    for (const event of signUps.slice(0, 5))
      await sender.handler(event, fakeContext());

    // Act
    await sender.handler(mfa, fakeContext());
    const afterMfa = senderOutcomes().at(-1);
    await sender.handler(signUps[5], fakeContext());

    // Assess
    expect(afterMfa).toMatchObject({ message: 'sms sent' });
    expect(senderOutcomes().at(-1)).toMatchObject({
      message: 'sms refused',
      reason: 'velocity_sms_per_phone',
    });
    expect(await smsTo(phone)).toHaveLength(6);
  });
});

describe('custom SMS sender (bundle) with deployment settings', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.SMS_SANDBOX_NUMBERS = saved.SMS_SANDBOX_NUMBERS ?? '';
    process.env.SMS_DRY_RUN = saved.SMS_DRY_RUN ?? '';
  });
  afterAll(() => {
    process.env.SMS_SANDBOX_NUMBERS = saved.SMS_SANDBOX_NUMBERS ?? '';
    process.env.SMS_DRY_RUN = saved.SMS_DRY_RUN ?? '';
  });

  it('sends only to the sandbox list when SMS_SANDBOX_NUMBERS is set', async () => {
    // Prepare
    const listed = senderEvent('sign-up');
    const other = senderEvent('resend-code');
    process.env.SMS_SANDBOX_NUMBERS = listed.phone;
    const sandboxed = loadBundle<Sender>('customSmsSender');

    // Act
    await sandboxed.handler(listed.event, fakeContext());
    await sandboxed.handler(other.event, fakeContext());

    // Assess
    expect(await smsTo(listed.phone)).toHaveLength(1);
    expect(await smsTo(other.phone)).toHaveLength(0);
    expect(senderOutcomes().at(-1)).toMatchObject({
      reason: 'sandbox_not_verified',
    });
  });

  it('logs and sends nothing in dry run (SNS has no validate-only mode)', async () => {
    // Prepare
    const { event, phone } = senderEvent('sign-up');
    process.env.SMS_DRY_RUN = 'true';
    const dry = loadBundle<Sender>('customSmsSender');

    // Act
    await dry.handler(event, fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(0);
    expect(senderOutcomes().at(-1)).toMatchObject({
      message: 'sms dry run: not sent',
      dryRun: true,
    });
  });
});
