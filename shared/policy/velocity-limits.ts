import type { ParsedPhone } from './phone';
import type { PolicySettings, VelocityLimitSetting } from './settings';
import type { VelocityLimit } from './velocity';

/**
 * Turns the `policy.velocity` settings into {@link VelocityLimit}s, so Pre
 * Sign-up and the SMS sender name their counters the same way. A limit whose
 * key is unknown (no phone, no client) is left out.
 */

type VelocitySettings = PolicySettings['velocity'];

function limitOf(
  name: string,
  setting: VelocityLimitSetting,
  key: string | undefined,
): VelocityLimit[] {
  if (setting === false || key === undefined || key.length === 0) return [];
  return [
    {
      name,
      key,
      limit: setting.limit,
      windowSeconds: setting.windowSeconds,
      shadow: setting.shadow,
    },
  ];
}

/**
 * The SMS limits for one send: per number, per number range, per user.
 *
 * @param settings - `policy.velocity`
 * @param subject - the destination and the user (`sub` or username)
 * @example
 * const limits = smsVelocityLimits(config.settings.policy.velocity,
 *   { phone, user: attrs.sub });
 */
export function smsVelocityLimits(
  settings: VelocitySettings,
  subject: { phone?: ParsedPhone; user?: string },
): VelocityLimit[] {
  return [
    ...limitOf('sms_per_phone', settings.sms.perPhone, subject.phone?.e164),
    ...limitOf('sms_per_prefix', settings.sms.perPrefix, subject.phone?.prefix),
    ...limitOf('sms_per_user', settings.sms.perUser, subject.user),
  ];
}

/**
 * The sign-up limits: per number range, per email domain, per app client.
 *
 * @param settings - `policy.velocity`
 * @param subject - the parsed phone, the normalized email domain, the client
 */
export function signUpVelocityLimits(
  settings: VelocitySettings,
  subject: { phone?: ParsedPhone; emailDomain?: string; clientId?: string },
): VelocityLimit[] {
  const { signUp } = settings;
  return [
    ...limitOf('sign_up_per_prefix', signUp.perPrefix, subject.phone?.prefix),
    ...limitOf(
      'sign_up_per_email_domain',
      signUp.perEmailDomain,
      subject.emailDomain,
    ),
    ...limitOf('sign_up_per_client', signUp.perClient, subject.clientId),
  ];
}
