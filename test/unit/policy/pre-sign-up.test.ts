import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../shared/errors';
import type { PreSignUpEvent } from '../../../shared/events';
import {
  applySignUpPolicy,
  messageKeyOf,
  policySettingsSchema,
} from '../../../shared/policy';
import { USER_MESSAGES } from '../../../shared/user-messages';
import { loadEvent } from '../../support/events';

const noClient = () => Promise.reject(new Error('no DynamoDB in unit tests'));

function deps(settings: unknown = {}) {
  return {
    policy: policySettingsSchema.parse(settings),
    table: 'state',
    stateTable: noClient,
  };
}

describe('applySignUpPolicy', () => {
  it('throws an unknown trigger source as an invalid event at triggerSource (a failure, not a refusal)', async () => {
    // Prepare
    const event = loadEvent<PreSignUpEvent>('preSignUp', 'sign-up');
    event.triggerSource = 'PreSignUp_Unknown';

    // Act
    const act = applySignUpPolicy(event, deps());

    // Assess
    await expect(act).rejects.toBeInstanceOf(InvalidEventError);
    await expect(act).rejects.toMatchObject({ issues: ['triggerSource'] });
  });

  it('takes the locale from validationData when nothing else names one', async () => {
    // Prepare
    const event = loadEvent<PreSignUpEvent>('preSignUp', 'sign-up');
    event.request.clientMetadata = undefined;
    event.request.validationData = { locale: 'de' };

    // Act
    const act = applySignUpPolicy(event, deps({ registration: 'invite-only' }));

    // Assess
    await expect(act).rejects.toThrow(USER_MESSAGES.de.signUpInviteOnly);
  });

  it('creates the response object when the event has none', async () => {
    // Prepare
    const event = loadEvent<PreSignUpEvent>('preSignUp', 'external-provider');
    delete (event as { response?: unknown }).response;

    // Act
    const result = await applySignUpPolicy(
      event,
      deps({ externalProvider: { autoConfirm: 'always' } }),
    );

    // Assess
    expect(result.response).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    });
  });
});

describe('applySignUpPolicy rule preparation', () => {
  it('loads the line-type metadata for a line-type rule and applies it', async () => {
    // Prepare
    const event = loadEvent<PreSignUpEvent>('preSignUp', 'sign-up');

    // Act
    const act = applySignUpPolicy(
      event,
      deps({
        phone: { mode: 'allow', countries: ['GB'], lineTypes: ['MOBILE'] },
      }),
    );

    // Assess
    await expect(act).rejects.toMatchObject({ key: 'signUpPhoneNotAllowed' });
  });

  it('does not count per client for administrators (no app client)', async () => {
    // Prepare
    const event = loadEvent<PreSignUpEvent>('preSignUp', 'admin-create-user');

    // Act
    const result = await applySignUpPolicy(
      event,
      deps({
        velocity: { signUp: { perClient: { limit: 1, windowSeconds: 60 } } },
      }),
    );

    // Assess
    expect(result.triggerSource).toBe('PreSignUp_AdminCreateUser');
  });

  it('falls back to English without any locale', async () => {
    // Prepare
    const event = loadEvent<PreSignUpEvent>('preSignUp', 'sign-up');
    event.request.clientMetadata = null;

    // Act
    const act = applySignUpPolicy(event, deps({ registration: 'invite-only' }));

    // Assess
    await expect(act).rejects.toThrow(USER_MESSAGES.en.signUpInviteOnly);
  });
});

describe('messageKeyOf', () => {
  it.each([
    ['phone_with_allow_listed_email', 'signUpEmailOnly'],
    ['registration_invite_only', 'signUpInviteOnly'],
    ['registration_closed', 'signUpInviteOnly'],
    ['email_disposable', 'signUpEmailNotAllowed'],
    ['country_denied', 'signUpPhoneNotAllowed'],
    ['line_type_not_allowed', 'signUpPhoneNotAllowed'],
    ['phone_invalid', 'signUpPhoneNotAllowed'],
    ['velocity_sign_up_per_client', 'signUpTryLater'],
    ['unknown_trigger_source', 'signUpNotAllowed'],
  ])('maps %s to %s', (reason, key) => {
    // Act
    const result = messageKeyOf(reason);

    // Assess
    expect(result).toBe(key);
  });

  it('ships every sign-up message in English and German, without a final period', () => {
    // Prepare
    const keys = [
      'signUpInviteOnly',
      'signUpEmailNotAllowed',
      'signUpPhoneNotAllowed',
      'signUpTryLater',
      'signUpNotAllowed',
    ] as const;

    // Act
    const texts = keys.flatMap((key) => [
      USER_MESSAGES.en[key],
      USER_MESSAGES.de[key],
    ]);

    // Assess
    for (const text of texts) {
      expect(text).toMatch(/[^.]$/);
      expect(text.length).toBeLessThan(100);
    }
  });
});
