import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config';
import type { CustomSmsSenderEvent } from '../../../shared/events';
import { prepareSms } from '../../../shared/sms/prepare';
import { trackSecret } from '../../support/secrets';

const baseEnv = {
  KMS_KEY_ARN:
    'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-000000000001',
  TOTP_KEY_ARN:
    'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-000000000002',
  STATE_TABLE: 'suite-test-state',
  TOTP_TABLE: 'suite-test-totp',
};

function configWith(
  env: Record<string, string> = {},
  settings: Record<string, unknown> = {},
) {
  return parseConfig({ ...baseEnv, ...env }, settings);
}

function event(
  overrides: Partial<CustomSmsSenderEvent> = {},
  phone = '+447700900123',
): CustomSmsSenderEvent {
  trackSecret(phone);
  return {
    version: '1',
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_Tr1ggers0',
    userName: 'user-1',
    triggerSource: 'CustomSMSSender_SignUp',
    request: {
      type: 'customSMSSenderRequestV1',
      code: 'AYADeH6uTw==',
      userAttributes: { phone_number: phone },
    },
    ...overrides,
  } as CustomSmsSenderEvent;
}

describe('prepareSms', () => {
  it('prepares SNS routes for a valid request', () => {
    // Prepare
    const { env, settings } = configWith();

    // Act
    const prepared = prepareSms(event(), env, settings);

    // Assess
    expect(prepared).toMatchObject({
      kind: 'SignUp',
      transport: 'sns',
      phone: { e164: '+447700900123', country: 'GB' },
      routes: [{ region: 'eu-central-1' }, { region: 'eu-west-1' }],
    });
  });

  it.each([
    [{ triggerSource: 'CustomMessage_SignUp' }, 'unknown_trigger_source'],
    [{ triggerSource: 'CustomSMSSender_Unknown' }, 'unknown_trigger_source'],
  ])('refuses %j', (overrides, reason) => {
    // Prepare
    const { env, settings } = configWith();

    // Act
    const outcome = prepareSms(event(overrides), env, settings);

    // Assess
    expect(outcome).toEqual({
      outcome: 'refused',
      reason,
      transport: 'sns',
      country: 'unknown',
    });
  });

  it('fails for good without a code', () => {
    // Prepare
    const { env, settings } = configWith();
    const withoutCode = event();
    withoutCode.request.code = null;

    // Act
    const outcome = prepareSms(withoutCode, env, settings);

    // Assess
    expect(outcome).toMatchObject({
      outcome: 'failed',
      errorClass: 'missing_code',
    });
  });

  it('refuses an invalid number', () => {
    // Prepare
    const { env, settings } = configWith();

    // Act
    const outcome = prepareSms(event({}, '12345'), env, settings);

    // Assess
    expect(outcome).toMatchObject({
      outcome: 'refused',
      reason: 'invalid_phone_number',
    });
  });

  it('applies the country policy, and only reports in shadow mode', () => {
    // Prepare
    const enforced = configWith(
      {},
      { policy: { phone: { mode: 'deny', countries: ['GB'] } } },
    );
    const shadow = configWith(
      {},
      { policy: { phone: { mode: 'deny', countries: ['GB'], shadow: true } } },
    );

    // Act
    const refused = prepareSms(event(), enforced.env, enforced.settings);
    const allowed = prepareSms(event(), shadow.env, shadow.settings);

    // Assess
    expect(refused).toMatchObject({
      outcome: 'refused',
      reason: 'country_denied',
      country: 'GB',
    });
    expect(allowed).toMatchObject({ kind: 'SignUp' });
  });

  it('refuses numbers outside the sandbox list', () => {
    // Prepare
    const { env, settings } = configWith({
      SMS_SANDBOX_NUMBERS: '+447700900999',
    });

    // Act
    const outcome = prepareSms(event(), env, settings);

    // Assess
    expect(outcome).toMatchObject({
      outcome: 'refused',
      reason: 'sandbox_not_verified',
    });
  });

  it('reports a pool region missing from the table as a configuration failure', () => {
    // Prepare
    const { env, settings } = configWith();

    // Act
    const outcome = prepareSms(
      event({ region: 'xx-nowhere-1' }),
      env,
      settings,
    );

    // Assess
    expect(outcome).toMatchObject({
      outcome: 'failed',
      errorClass: 'config_region_not_in_table',
    });
  });

  it('refuses a country without identity chain when End User Messaging must refuse', () => {
    // Prepare
    const { env, settings } = configWith(
      { SMS_TRANSPORT: 'end-user-messaging' },
      { sms: { endUserMessaging: { missingIdentity: 'refuse' } } },
    );

    // Act
    const outcome = prepareSms(event(), env, settings);

    // Assess
    expect(outcome).toEqual({
      outcome: 'refused',
      reason: 'no_origination_identity',
      transport: 'end-user-messaging',
      country: 'GB',
    });
  });
});
