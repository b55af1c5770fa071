import { afterEach, describe, expect, it } from 'vitest';
import { USER_MESSAGES } from '../../shared/user-messages';
import { loadEvent } from '../support/events';
import { loadBundle, useLocalStack } from '../support/local-stack';
import { capturedLogRecords, trackSecret } from '../support/log-capture';

type Handler = (event: unknown) => Promise<Record<string, any>>;

const stack = useLocalStack();
const OVERRIDE = 'SUITE_SETTINGS_OVERRIDE';

/** Loads the bundle fresh under `policy` (merged over suite.json). */
function preSignUp(policy: Record<string, unknown> = {}): Handler {
  process.env[OVERRIDE] = JSON.stringify({ policy });
  return loadBundle<{ handler: Handler }>('preSignUp').handler;
}

function reasons(): unknown[] {
  return capturedLogRecords()
    .map((record) => record.reason)
    .filter(Boolean);
}

afterEach(() => {
  delete process.env[OVERRIDE];
  process.env.AWS_ENDPOINT_URL = stack.moto.endpoint;
});

describe('preSignUp bundle with the shipped settings (open)', () => {
  it.each(['sign-up', 'external-provider'])(
    'lets the %s fixture through without confirming anything',
    async (name) => {
      // Prepare
      const event = loadEvent('preSignUp', name);

      // Act
      const result = await preSignUp()(event);

      // Assess
      expect(result.triggerSource).toBe(event.triggerSource);
      expect(result.response).toEqual({
        autoConfirmUser: false,
        autoVerifyEmail: false,
        autoVerifyPhone: false,
      });
    },
  );

  it('lets an administrator create a user and writes the ignored flags whole, all false', async () => {
    // Prepare
    const event = loadEvent('preSignUp', 'admin-create-user');
    event.response = { marker: 'stale', autoConfirmUser: true };

    // Act
    const result = await preSignUp({ registration: 'invite-only' })(event);

    // Assess
    expect(result.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });
});

describe('preSignUp bundle refusals', () => {
  it('refuses a denied domain with the catalogue message and logs only the reason', async () => {
    // Prepare
    const event = loadEvent('preSignUp', 'sign-up');
    const handler = preSignUp({ email: { deny: ['example.com'] } });

    // Act
    const refusal = handler(event);

    // Assess
    await expect(refusal).rejects.toMatchObject({
      key: 'signUpEmailNotAllowed',
      message: USER_MESSAGES.en.signUpEmailNotAllowed,
    });
    await expect(refusal).rejects.not.toThrow(/\.$/);
    expect(reasons()).toContain('email_domain_denied');
  });

  it('answers in German when the client asks for it', async () => {
    // Prepare
    const event = loadEvent('preSignUp', 'sign-up');
    event.request.clientMetadata = { locale: 'de-AT' };

    // Act
    const refusal = preSignUp({ registration: 'invite-only' })(event);

    // Assess
    await expect(refusal).rejects.toThrow(USER_MESSAGES.de.signUpInviteOnly);
  });

  it('refuses federated first sign-in when invite-only is inherited', async () => {
    // Prepare
    const event = loadEvent('preSignUp', 'external-provider');

    // Act
    const refusal = preSignUp({ registration: 'invite-only' })(event);

    // Assess
    await expect(refusal).rejects.toThrow(USER_MESSAGES.en.signUpInviteOnly);
    expect(reasons()).toContain('registration_closed');
  });

  it('refuses a disposable mailbox unless the local override allows it', async () => {
    // Prepare
    const event = loadEvent('preSignUp', 'sign-up');
    event.request.userAttributes.email = 'someone@mailinator.com';
    trackSecret(event.request.userAttributes.email);
    const disposable = { mode: 'deny' };

    // Act
    const refusal = preSignUp({ disposable })(structuredClone(event));
    const allowed = await preSignUp({
      disposable: { ...disposable, allow: ['mailinator.com'] },
    })(structuredClone(event));

    // Assess
    await expect(refusal).rejects.toThrow(
      USER_MESSAGES.en.signUpEmailNotAllowed,
    );
    expect(allowed.response.autoConfirmUser).toBe(false);
  });

  it('refuses a number from a denied country', async () => {
    // Prepare
    const event = loadEvent('preSignUp', 'sign-up');

    // Act
    const refusal = preSignUp({ phone: { mode: 'deny', countries: ['GB'] } })(
      event,
    );

    // Assess
    await expect(refusal).rejects.toThrow(
      USER_MESSAGES.en.signUpPhoneNotAllowed,
    );
    expect(reasons()).toContain('country_denied');
  });

  it('only reports a shadow rule and lets the sign-up through', async () => {
    // Prepare
    const event = loadEvent('preSignUp', 'sign-up');

    // Act
    const result = await preSignUp({
      email: { deny: ['example.com'], shadow: true },
    })(event);

    // Assess
    expect(result.response.autoConfirmUser).toBe(false);
    const record = capturedLogRecords().find(
      (line) => line.reason === 'email_domain_denied',
    );
    expect(record?.message).toBe('sign-up would be refused (shadow)');
  });
});

describe('preSignUp bundle on bad input', () => {
  it.each([
    [
      'validationData: null',
      (event: any) => {
        event.request.validationData = null;
      },
    ],
    [
      'no email and no phone',
      (event: any) => {
        event.request.userAttributes = { given_name: 'Ada' };
      },
    ],
    [
      'a huge attribute value',
      (event: any) => {
        event.request.userAttributes.email = `${'a'.repeat(200_000)}@example.com`;
      },
    ],
    [
      'a phone number without +',
      (event: any) => {
        event.request.userAttributes.phone_number = '07700 900123';
      },
    ],
  ])('gives %s a defined outcome under strict rules', async (_, mutate) => {
    // Prepare
    const event = loadEvent('preSignUp', 'sign-up');
    mutate(event);
    const handler = preSignUp({
      email: { deny: ['blocked.example'] },
      phone: { mode: 'allow', countries: ['GB'] },
    });

    // Act
    const outcome = await handler(event).then(
      (result) => ({ allowed: result.response }),
      (error: { key?: string }) => ({ refused: error.key }),
    );

    // Assess
    expect([
      {
        allowed: {
          autoConfirmUser: false,
          autoVerifyEmail: false,
          autoVerifyPhone: false,
        },
      },
      { refused: 'signUpEmailNotAllowed' },
      { refused: 'signUpPhoneNotAllowed' },
    ]).toContainEqual(outcome);
  });

  it.each([
    [
      'a missing request',
      (event: any) => {
        delete event.request;
      },
    ],
    [
      'a polluting attribute key',
      (event: any) => {
        event.request.userAttributes = JSON.parse('{"__proto__":{"x":"1"}}');
      },
    ],
    [
      'a non-string attribute',
      (event: any) => {
        event.request.userAttributes.email = 42;
      },
    ],
  ])('refuses %s with the generic message', async (_, mutate) => {
    // Prepare
    const event = loadEvent('preSignUp', 'sign-up');
    mutate(event);

    // Act
    const refusal = preSignUp()(event);

    // Assess
    await expect(refusal).rejects.toMatchObject({
      key: 'generic',
      message: USER_MESSAGES.en.generic,
    });
  });

  it('confirms a federated user whose provider verified the email', async () => {
    // Prepare
    const event = loadEvent('preSignUp', 'external-provider');

    // Act
    const result = await preSignUp({
      externalProvider: { autoConfirm: 'verified-email' },
    })(event);

    // Assess
    expect(result.response).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    });
  });
});
