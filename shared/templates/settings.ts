import { z } from 'zod';

const LOCALE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The longest value each placeholder may stand for, used by the checks
 * (`npm run templates:check` and the cold-start check) to prove that every
 * SMS fits its limits once Cognito or the sender fills it in.
 */
const longestSchema = z.object({
  /** Verification, reset and MFA codes (digits). */
  code: z.number().int().min(4).max(16).default(8),
  /** The temporary password of an AdminCreateUser invitation. */
  temporaryPassword: z.number().int().min(6).max(99).default(16),
  /** The user name (a UUID is 36 characters). */
  username: z.number().int().min(1).max(128).default(40),
  /** User attributes interpolated into an SMS are clipped to this. */
  attribute: z.number().int().min(1).max(64).default(24),
});

/** Behaviour settings of the template core (`templates` in suite.json). */
export const templateSettingsSchema = z
  .object({
    /** Locale used when none of the request's candidates matches. */
    defaultLocale: z.string().regex(LOCALE_TAG).default('en'),
    /** The catalogue files to load: `config/templates/<tag>.json`. */
    locales: z
      .array(z.string().regex(LOCALE_TAG, 'a lower-case locale tag'))
      .min(1)
      .default(['en', 'de']),
    /** How many SMS segments one message may take. */
    maxSmsSegments: z.number().int().min(1).max(10).default(1),
    /**
     * How the pool verifies email addresses at sign-up: `code`, or `link`
     * (`DefaultEmailOption: CONFIRM_WITH_LINK`), which sends the
     * `emailBodyLink` variant with a `{##text##}` link instead of a code.
     */
    emailVerification: z.enum(['code', 'link']).default('code'),
    /**
     * Appends the WebOTP line (`@domain #code`) to code SMS so browsers can
     * fill the code in; off (`null`) by default.
     */
    webOtp: z
      .object({ domain: z.string().regex(HOSTNAME, 'a lower-case hostname') })
      .nullable()
      .default(null),
    longest: longestSchema.prefault({}),
  })
  .refine((value) => value.locales.includes(value.defaultLocale), {
    message: 'defaultLocale must be one of locales',
    path: ['defaultLocale'],
  });

/** The validated `templates` settings. */
export type TemplateSettings = z.output<typeof templateSettingsSchema>;
