import * as z from 'zod/mini';

const LOCALE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The longest value each placeholder may stand for, used by the checks
 * (`npm run templates:check` and every build) to prove that every
 * SMS fits its limits once Cognito or the sender fills it in.
 */
const count = (min: number, max: number, fallback: number) =>
  z._default(z.int().check(z.gte(min), z.lte(max)), fallback);

const tag = (message?: string) =>
  z.string().check(z.regex(LOCALE_TAG, message ?? 'a lower-case locale tag'));

const buildLongest = () =>
  z.strictObject({
    /** Verification, reset and MFA codes (digits). */
    code: count(4, 16, 8),
    /** The temporary password of an AdminCreateUser invitation. */
    temporaryPassword: count(6, 99, 16),
    /** The user name (a UUID is 36 characters). */
    username: count(1, 128, 40),
    /** User attributes interpolated into an SMS are clipped to this. */
    attribute: count(1, 64, 24),
  });

const buildTemplateSettings = () =>
  z
    .strictObject({
      /** Locale used when none of the request's candidates matches. */
      defaultLocale: z._default(tag(), 'en'),
      /** The catalogue files to load: `config/templates/<tag>.json`. */
      locales: z._default(z.array(tag()).check(z.minLength(1)), ['en', 'de']),
      /** How many SMS segments one message may take. */
      maxSmsSegments: count(1, 10, 1),
      /**
       * How many an invitation SMS may take: it carries the user name and
       * the temporary password, which may hold any character, so it is
       * measured in UCS-2 with both at their longest and widest.
       */
      maxInvitationSmsSegments: count(1, 10, 3),
      /**
       * How the pool verifies email addresses at sign-up: `code`, or `link`
       * (`DefaultEmailOption: CONFIRM_WITH_LINK`), which sends the
       * `emailBodyLink` variant with a `{##text##}` link instead of a code.
       */
      emailVerification: z._default(z.enum(['code', 'link']), 'code'),
      /**
       * Appends the WebOTP line (`@domain #code`) to code SMS so browsers can
       * fill the code in; off (`null`) by default.
       */
      webOtp: z._default(
        z.nullable(
          z.strictObject({
            domain: z
              .string()
              .check(z.regex(HOSTNAME, 'a lower-case hostname')),
          }),
        ),
        null,
      ),
      longest: z.prefault(buildLongest(), {}),
    })
    .check(
      z.refine((value) => value.locales.includes(value.defaultLocale), {
        message: 'defaultLocale must be one of locales',
        path: ['defaultLocale'],
      }),
    );

/**
 * Behaviour settings of the template core (`templates` in suite.json).
 * Lazy: constructed on first use, so only functions that use templates pay
 * for it at cold start.
 */
export const templateSettingsSchema = /* @__PURE__ */ z.lazy(
  buildTemplateSettings,
);

/** The validated `templates` settings. */
export type TemplateSettings = z.output<typeof templateSettingsSchema>;
