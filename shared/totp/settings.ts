import * as z from 'zod/mini';

/**
 * Behaviour settings of the TOTP challenge (`totp` in suite.json). Every
 * field has a safe default, so `{}` is valid.
 *
 * - `enrollment`: `self` lets a user without an active secret enrol after
 *   the password round; `admin` refuses such a user (an operator enrols
 *   them with `npm run totp -- enroll`).
 * - `algorithm`, `digits`, `period`: RFC 6238 parameters of new secrets (an
 *   enrolled secret keeps the parameters it was enrolled with); `window`:
 *   steps accepted on each side of the current one.
 * - `maxSessionAttempts`: wrong codes allowed in one sign-in session.
 * - `lockout`: failures counted per user across sessions; after `threshold`
 *   the user is locked for `baseSeconds · 2^(lockouts so far)`, at most
 *   `maxSeconds`; the `maxLockouts`-th lock in a row lasts until an operator
 *   resets the user (with the defaults, after 100 wrong codes: the cap
 *   NIST SP 800-63B sets on consecutive failures, where timed locks alone
 *   would leave a holder of the password five guesses an hour for ever). A
 *   success resets all three.
 * - `recoveryCodes`: how many single-use codes come with a new secret.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6238
 */

const intIn = (min: number, max: number, fallback: number) =>
  z._default(z.int().check(z.gte(min), z.lte(max)), fallback);

const buildLockout = () =>
  z.strictObject({
    threshold: intIn(1, 100, 5),
    baseSeconds: intIn(1, 86_400, 60),
    maxSeconds: intIn(1, 604_800, 3_600),
    maxLockouts: intIn(1, 1_000, 20),
  });

const buildTotpSettings = () =>
  z.strictObject({
    enrollment: z._default(z.enum(['admin', 'self']), 'self'),
    issuer: z._default(
      z
        .string()
        .check(
          z.regex(/^[\p{L}\p{N} ._-]{1,40}$/u, 'letters, digits, space, . _ -'),
        ),
      'Cognito',
    ),
    algorithm: z._default(z.enum(['SHA1', 'SHA256', 'SHA512']), 'SHA1'),
    digits: z._default(z.union([z.literal(6), z.literal(8)]), 6),
    period: intIn(15, 120, 30),
    window: intIn(0, 2, 1),
    maxSessionAttempts: intIn(1, 10, 3),
    lockout: z.prefault(buildLockout(), {}),
    recoveryCodes: intIn(0, 20, 10),
    selfEnrollmentTtlSeconds: intIn(60, 3_600, 900),
    adminEnrollmentTtlSeconds: intIn(300, 2_592_000, 604_800),
  });

/**
 * Schema of the `totp` section. Lazy: constructed on first use, so only the
 * TOTP functions pay for it at cold start.
 */
export const totpSettingsSchema = /* @__PURE__ */ z.lazy(buildTotpSettings);

/** The validated TOTP settings. */
export type TotpSettings = z.output<typeof totpSettingsSchema>;
