import { UserFacingError } from './errors';

/**
 * The only texts that may reach Cognito's caller. Cognito wraps them as
 * `<Trigger> failed with error <message>.`, adding the final period itself,
 * so entries carry no trailing period. Short, and never revealing whether an
 * account exists.
 */
export const USER_MESSAGES = {
  en: {
    generic: 'The request could not be completed. Please try again later',
    signUpNotAllowed: 'Sign-up is not possible with these details',
    signUpInviteOnly: 'Sign-up is by invitation only',
    signUpEmailNotAllowed: 'This email address cannot be used to sign up',
    signUpPhoneNotAllowed: 'This phone number cannot be used to sign up',
    signUpEmailOnly:
      'Sign up with your email address only; add a phone number after signing in',
    signUpTryLater: 'Sign-up is not possible right now. Please try again later',
    signInFailed: 'Sign-in failed',
    tooManyAttempts: 'Too many attempts. Please try again later',
  },
  de: {
    generic:
      'Die Anfrage konnte nicht ausgeführt werden. Bitte versuchen Sie es später erneut',
    signUpNotAllowed: 'Mit diesen Angaben ist keine Registrierung möglich',
    signUpInviteOnly: 'Die Registrierung ist nur mit Einladung möglich',
    signUpEmailNotAllowed:
      'Mit dieser E-Mail-Adresse ist keine Registrierung möglich',
    signUpPhoneNotAllowed:
      'Mit dieser Telefonnummer ist keine Registrierung möglich',
    signUpEmailOnly:
      'Registrieren Sie sich nur mit Ihrer E-Mail-Adresse; die Telefonnummer können Sie nach der Anmeldung hinzufügen',
    signUpTryLater:
      'Die Registrierung ist gerade nicht möglich. Bitte versuchen Sie es später erneut',
    signInFailed: 'Die Anmeldung ist fehlgeschlagen',
    tooManyAttempts: 'Zu viele Versuche. Bitte versuchen Sie es später erneut',
  },
} as const satisfies Record<string, Record<string, string>>;

/** A key of the user-facing catalogue. */
export type UserMessageKey = keyof (typeof USER_MESSAGES)['en'];

/** A locale the user-facing catalogue ships. */
export type UserMessageLocale = keyof typeof USER_MESSAGES;

function catalogueLocaleOf(locale: unknown): UserMessageLocale | undefined {
  if (typeof locale !== 'string') return undefined;
  // `de-AT`, `de_AT.UTF-8`, `de@euro`: the language comes first.
  const language = locale
    .trim()
    .toLowerCase()
    .split(/[-_.@]/)[0];
  return language !== undefined && Object.hasOwn(USER_MESSAGES, language)
    ? (language as UserMessageLocale)
    : undefined;
}

/**
 * Picks the catalogue locale for a BCP 47 tag (`de-AT` → `de`), or for the
 * first of several candidates the catalogue has (as the templates do: the
 * user's `locale` attribute, then the client's), defaulting to English.
 *
 * @param locales - a locale tag, or candidate tags in order of preference,
 *   from the event: possibly absent or hostile
 */
export function resolveUserMessageLocale(locales: unknown): UserMessageLocale {
  const candidates: unknown[] = Array.isArray(locales) ? locales : [locales];
  for (const candidate of candidates) {
    const locale = catalogueLocaleOf(candidate);
    if (locale) return locale;
  }
  return 'en';
}

/**
 * Builds a {@link UserFacingError} from a catalogue key.
 *
 * @param key - the catalogue key
 * @param locale - the user's locale tag, or candidate tags in order of
 *   preference, if known
 * @example
 * throw userFacingError('signUpInviteOnly', event.request.clientMetadata?.locale);
 */
export function userFacingError(
  key: UserMessageKey,
  locale?: unknown,
  options?: ErrorOptions,
): UserFacingError {
  const catalogue = USER_MESSAGES[resolveUserMessageLocale(locale)];
  return new UserFacingError(key, catalogue[key], options);
}
