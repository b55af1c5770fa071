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
 * Who can make Cognito send a code to a number, which keeps the SMS
 * counters apart:
 * - `sign-in`: an MFA code at sign-in, which only the holder of the
 *   account's password can ask for;
 * - `account`: a password reset (anyone who names a user name can ask, but
 *   Cognito sends it only to that account's verified number) or an
 *   administrator's invitation;
 * - `unproven`: a number anyone can name (a sign-up and its resends, an
 *   attribute being changed or verified), and any unknown source.
 *
 * Without the split, anyone could use up a number's (or a whole number
 * range's) limits with unauthenticated sign-ups, or a user's with password
 * resets, and the owner's MFA codes would then be refused for the rest of
 * the window.
 */
export type SmsDestination = 'sign-in' | 'account' | 'unproven';

const DESTINATIONS: Readonly<Record<string, SmsDestination>> = {
  CustomSMSSender_Authentication: 'sign-in',
  CustomSMSSender_ForgotPassword: 'account',
  CustomSMSSender_AdminCreateUser: 'account',
};

/**
 * The {@link SmsDestination} of a Custom SMS Sender trigger source.
 *
 * @param triggerSource - the event's trigger source
 */
export function smsDestinationOf(triggerSource: string): SmsDestination {
  return Object.hasOwn(DESTINATIONS, triggerSource)
    ? (DESTINATIONS[triggerSource] as SmsDestination)
    : 'unproven';
}

/**
 * The SMS limits for one send: per number, per number range, per user,
 * each counted apart per {@link SmsDestination} (with the same limits).
 * MFA codes at sign-in are counted per number range only with their own
 * limit (`perPrefixSignIn`, off by default): only the holder of an
 * account's password can ask for one, to the account's own number, while
 * one company's staff on one corporate range would have their MFA codes
 * refused after a busy hour. A pool that also allows passwordless SMS
 * sign-in needs it.
 *
 * @param settings - `policy.velocity`
 * @param subject - the destination, the user (`sub` or username) and whose
 *   word the number rests on
 * @example
 * const limits = smsVelocityLimits(config.settings.policy.velocity,
 *   { phone, user: attrs.sub, destination: smsDestinationOf(source) });
 */
export function smsVelocityLimits(
  settings: VelocitySettings,
  subject: { phone?: ParsedPhone; user?: string; destination: SmsDestination },
): VelocityLimit[] {
  const scoped = (key: string | undefined) =>
    key === undefined || key.length === 0
      ? undefined
      : `${subject.destination}:${key}`;
  return [
    ...limitOf(
      'sms_per_phone',
      settings.sms.perPhone,
      scoped(subject.phone?.e164),
    ),
    ...limitOf(
      'sms_per_prefix',
      subject.destination === 'sign-in'
        ? settings.sms.perPrefixSignIn
        : settings.sms.perPrefix,
      scoped(subject.phone?.prefix),
    ),
    ...limitOf('sms_per_user', settings.sms.perUser, scoped(subject.user)),
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
