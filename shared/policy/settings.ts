import * as z from 'zod/mini';
import { once } from '../lazy';
import { normalizeDomainPattern } from './domains';

/**
 * Behaviour settings of the policy core (`policy` in suite.json), shared by
 * Pre Sign-up and the custom SMS sender. Every rule is off in the shipped
 * defaults, except a generous SMS velocity limit; every rule has `shadow`
 * (log and count "would deny", never refuse).
 */

const COUNTRY = /^(?:[A-Z]{2}|001)$/;
/** Cognito's identity provider names: 1 to 32 characters, no spaces. */
const PROVIDER_NAME = /^[^\s]{1,32}$/;
const MAX_WINDOW_SECONDS = 31 * 24 * 3600;

/** Line types libphonenumber-js reports (with its `max` metadata). */
export const LINE_TYPES = [
  'MOBILE',
  'FIXED_LINE',
  'FIXED_LINE_OR_MOBILE',
  'VOIP',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'SHARED_COST',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
  'UNKNOWN',
] as const;

const domainPattern = () =>
  z.pipe(
    z.string(),
    z.transform((value: string, context) => {
      const normalized = normalizeDomainPattern(value);
      if (normalized !== undefined) return normalized;
      context.issues.push({
        code: 'custom',
        input: value,
        message:
          'a domain (example.com) or a subdomain pattern (*.example.com)',
      });
      return z.NEVER;
    }),
  );

/** One domain list schema, shared by every rule (built on first use). */
const domainPatterns = /* @__PURE__ */ once(() =>
  z.array(domainPattern()).check(z.maxLength(10_000)),
);

/** A domain list that defaults to `[]`. */
const domainList = /* @__PURE__ */ once(() => z._default(domainPatterns(), []));

const flag = (fallback: boolean) => z._default(z.boolean(), fallback);

const buildPhoneRules = () =>
  z.strictObject({
    mode: z._default(z.enum(['off', 'allow', 'deny']), 'off'),
    countries: z._default(
      z.array(
        z
          .string()
          .check(
            z.regex(
              COUNTRY,
              'ISO 3166-1 alpha-2, upper case, or 001 (non-geographic)',
            ),
          ),
      ),
      [],
    ),
    /** Allowed line types, e.g. `["MOBILE"]`. Loads the larger metadata. */
    lineTypes: z.optional(z.array(z.enum(LINE_TYPES)).check(z.minLength(1))),
    shadow: flag(false),
  });

/**
 * Phone rules: country allow or deny list, optional line-type rule. Like
 * every schema here, lazy: only functions that use the policy build it.
 */
export const phoneRulesSchema = /* @__PURE__ */ z.lazy(buildPhoneRules);

/** Email domain rules; `*.example.com` matches every subdomain. */
export const emailRulesSchema = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    allow: domainList(),
    deny: domainList(),
    shadow: flag(false),
  }),
);

/**
 * `externalProvider.email`: each key optional and without a default, so a
 * key left out falls back to the self sign-up value (`policy.email`) instead
 * of an empty list (see `emailRulesOf` in sign-up.ts).
 */
export const externalEmailRulesSchema = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    allow: z.optional(domainPatterns()),
    deny: z.optional(domainPatterns()),
    shadow: z.optional(z.boolean()),
  }),
);

/** The maintained disposable-mailbox list, with a local allow override. */
export const disposableRulesSchema = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    mode: z._default(z.enum(['off', 'deny']), 'off'),
    allow: domainList(),
    shadow: flag(false),
  }),
);

/** One velocity limit, or `false` for none. */
export const velocityLimitSchema = /* @__PURE__ */ z.lazy(() =>
  z.union([
    z.literal(false),
    z.strictObject({
      limit: z.int().check(z.gte(1), z.lte(1_000_000)),
      windowSeconds: z.int().check(z.gte(1), z.lte(MAX_WINDOW_SECONDS)),
      shadow: flag(false),
    }),
  ]),
);

const hour = (limit: number) => ({ limit, windowSeconds: 3600, shadow: false });
const limitOr = (fallback: false | ReturnType<typeof hour>) =>
  z._default(velocityLimitSchema, fallback);

/** `policy.velocity`: SMS limits (generous by default), sign-up limits (off). */
export const velocitySettingsSchema = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    sms: z.prefault(
      z.strictObject({
        perPhone: limitOr(hour(5)),
        perPrefix: limitOr(hour(20)),
        /**
         * MFA codes at sign-in per number range: off, since only an
         * account's password holder can ask for one (and one company's
         * staff may share a range). Set it on a pool that also allows
         * passwordless sign-in with SMS codes (`USER_AUTH`, `SMS_OTP`).
         */
        perPrefixSignIn: limitOr(false),
        perUser: limitOr(hour(10)),
      }),
      {},
    ),
    signUp: z.prefault(
      z.strictObject({
        perPrefix: limitOr(false),
        perEmailDomain: limitOr(false),
        perClient: limitOr(false),
      }),
      {},
    ),
  }),
);

/** First federated sign-in (`PreSignUp_ExternalProvider`): its own rules. */
export const externalProviderSchema = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    /** `inherit` follows `registration` (invite-only → closed). */
    registration: z._default(
      z.enum(['inherit', 'open', 'allow-listed', 'closed']),
      'inherit',
    ),
    /**
     * Own email lists, key by key: an absent `allow`, `deny` or `shadow`
     * takes the self sign-up value (`policy.email`).
     */
    email: z.optional(externalEmailRulesSchema),
    /** Confirm the user; verify email/phone only if the provider asserted it. */
    autoConfirm: z._default(
      z.enum(['never', 'verified-email', 'always']),
      'never',
    ),
  }),
);

const buildPolicyObject = () =>
  z.strictObject({
    registration: z._default(
      z.enum(['open', 'invite-only', 'allow-listed']),
      'open',
    ),
    registrationShadow: flag(false),
    /**
     * Allow-listed self sign-ups may carry a phone number. Off by default:
     * a pool that verifies phone numbers at sign-up sends the confirmation
     * code by SMS, so the typed email (the one the allow list judged) would
     * never be proven. Turn on only for a pool that verifies email alone.
     */
    allowListedPhoneAtSignUp: flag(false),
    /** What a dependency failure (DynamoDB down) does: refuse or allow. */
    failureMode: z._default(z.enum(['closed', 'open']), 'closed'),
    email: z.prefault(emailRulesSchema, {}),
    disposable: z.prefault(disposableRulesSchema, {}),
    phone: z.prefault(phoneRulesSchema, {}),
    velocity: z.prefault(velocitySettingsSchema, {}),
    externalProvider: z.prefault(externalProviderSchema, {}),
    /**
     * Identity providers trusted to assert email addresses at their own
     * domains, also when they send no `email_verified` (SAML): a federated
     * user of that provider with an email at one of its domains counts as
     * asserted. A listed domain belongs to its providers: another
     * provider's user is not believed there, even with `email_verified:
     * true`. Never a self sign-up, whose email is only typed; never an
     * email the provider calls unverified.
     */
    trustedProviders: z._default(
      z.array(
        z.strictObject({
          /** The provider's name in the pool (user names `<provider>_<id>`). */
          provider: z
            .string()
            .check(z.regex(PROVIDER_NAME, 'an identity provider name')),
          domains: domainList(),
        }),
      ),
      [],
    ),
  });

type PolicyShape = z.output<ReturnType<typeof buildPolicyObject>>;

/** Settings that parse but could never work, with the path to blame. */
function contradictionsOf(policy: PolicyShape): [string[], string][] {
  const problems: [string[], string][] = [];
  const external = policy.externalProvider;
  const externalMode =
    external.registration === 'inherit'
      ? policy.registration
      : external.registration;
  if (policy.registration === 'allow-listed' && policy.email.allow.length === 0)
    problems.push([['email', 'allow'], 'allow-listed needs a domain']);
  if (
    externalMode === 'allow-listed' &&
    (external.email?.allow ?? policy.email.allow).length === 0
  )
    problems.push([
      ['externalProvider', 'email', 'allow'],
      'allow-listed federated sign-up needs a domain',
    ]);
  if (
    policy.trustedProviders.length > 0 &&
    external.autoConfirm === 'never' &&
    externalMode !== 'allow-listed'
  )
    problems.push([
      ['trustedProviders'],
      'trusted providers apply only to federated users that externalProvider.autoConfirm confirms or an allow-listed federated registration admits',
    ]);
  policy.trustedProviders.forEach(({ domains }, index) => {
    if (domains.length === 0)
      problems.push([
        ['trustedProviders', String(index), 'domains'],
        'a trusted provider needs a domain',
      ]);
  });
  if (policy.phone.mode !== 'off' && policy.phone.countries.length === 0)
    problems.push([['phone', 'countries'], 'a country list needs countries']);
  return problems;
}

/**
 * Behaviour settings of the policy core (`policy` in suite.json). Lazy:
 * constructed on first use, so only Pre Sign-up and the custom SMS sender
 * pay for it at cold start.
 */
export const policySettingsSchema = /* @__PURE__ */ z.lazy(() =>
  buildPolicyObject().check(
    z.superRefine((policy, context) => {
      for (const [path, message] of contradictionsOf(policy))
        context.addIssue({ code: 'custom', path, message, input: policy });
    }),
  ),
);

/** The validated `policy` settings. */
export type PolicySettings = z.output<typeof policySettingsSchema>;
/** Phone rules (`policy.phone`). */
export type PhoneRules = z.output<typeof phoneRulesSchema>;
/** Email domain rules (`policy.email`). */
export type EmailRules = z.output<typeof emailRulesSchema>;
/** Federated email rules (`policy.externalProvider.email`), each key optional. */
export type ExternalEmailRules = z.output<typeof externalEmailRulesSchema>;
/** Disposable-mailbox rule (`policy.disposable`). */
export type DisposableRules = z.output<typeof disposableRulesSchema>;
/** One configured velocity limit, or `false`. */
export type VelocityLimitSetting = z.output<typeof velocityLimitSchema>;
