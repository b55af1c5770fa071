import { z } from 'zod';
import { normalizeDomainPattern } from './domains';

/**
 * Behaviour settings of the policy core (`policy` in suite.json), shared by
 * Pre Sign-up and the custom SMS sender. Every rule is off in the shipped
 * defaults, except a generous SMS velocity limit; every rule has `shadow`
 * (log and count "would deny", never refuse).
 */

const COUNTRY = /^(?:[A-Z]{2}|001)$/;
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

const domainPattern = z.string().transform((value, context) => {
  const normalized = normalizeDomainPattern(value);
  if (normalized === undefined) {
    context.addIssue({
      code: 'custom',
      message: 'a domain (example.com) or a subdomain pattern (*.example.com)',
    });
    return z.NEVER;
  }
  return normalized;
});

const domainList = z.array(domainPattern).max(10_000).default([]);

/** Phone rules: country allow or deny list, optional line-type rule. */
export const phoneRulesSchema = z.object({
  mode: z.enum(['off', 'allow', 'deny']).default('off'),
  countries: z
    .array(
      z
        .string()
        .regex(
          COUNTRY,
          'ISO 3166-1 alpha-2, upper case, or 001 (non-geographic)',
        ),
    )
    .default([]),
  /** Allowed line types, e.g. `["MOBILE"]`. Loads the larger metadata. */
  lineTypes: z.array(z.enum(LINE_TYPES)).min(1).optional(),
  shadow: z.boolean().default(false),
});

/** Email domain rules; `*.example.com` matches every subdomain. */
export const emailRulesSchema = z.object({
  allow: domainList,
  deny: domainList,
  shadow: z.boolean().default(false),
});

/** The maintained disposable-mailbox list, with a local allow override. */
export const disposableRulesSchema = z.object({
  mode: z.enum(['off', 'deny']).default('off'),
  allow: domainList,
  shadow: z.boolean().default(false),
});

/** One velocity limit, or `false` for none. */
export const velocityLimitSchema = z.union([
  z.literal(false),
  z.object({
    limit: z.number().int().min(1).max(1_000_000),
    windowSeconds: z.number().int().min(1).max(MAX_WINDOW_SECONDS),
    shadow: z.boolean().default(false),
  }),
]);

const hour = (limit: number) => ({ limit, windowSeconds: 3600, shadow: false });

export const velocitySettingsSchema = z.object({
  sms: z
    .object({
      perPhone: velocityLimitSchema.default(hour(5)),
      perPrefix: velocityLimitSchema.default(hour(20)),
      perUser: velocityLimitSchema.default(hour(10)),
    })
    .prefault({}),
  signUp: z
    .object({
      perPrefix: velocityLimitSchema.default(false),
      perEmailDomain: velocityLimitSchema.default(false),
      perClient: velocityLimitSchema.default(false),
    })
    .prefault({}),
});

/** First federated sign-in (`PreSignUp_ExternalProvider`): its own rules. */
export const externalProviderSchema = z.object({
  /** `inherit` follows `registration` (invite-only → closed). */
  registration: z
    .enum(['inherit', 'open', 'allow-listed', 'closed'])
    .default('inherit'),
  /** Own email lists; absent → the self sign-up lists apply. */
  email: emailRulesSchema.optional(),
  /** Confirm the user; verify email/phone only if the provider asserted it. */
  autoConfirm: z.enum(['never', 'verified-email', 'always']).default('never'),
});

/** Behaviour settings of the policy core (`policy` in suite.json). */
export const policySettingsSchema = z
  .object({
    registration: z
      .enum(['open', 'invite-only', 'allow-listed'])
      .default('open'),
    registrationShadow: z.boolean().default(false),
    /** What a dependency failure (DynamoDB down) does: refuse or allow. */
    failureMode: z.enum(['closed', 'open']).default('closed'),
    email: emailRulesSchema.prefault({}),
    disposable: disposableRulesSchema.prefault({}),
    phone: phoneRulesSchema.prefault({}),
    velocity: velocitySettingsSchema.prefault({}),
    externalProvider: externalProviderSchema.prefault({}),
    /** Self sign-ups from these domains are confirmed and email-verified. */
    trustedDomains: domainList,
  })
  .superRefine((policy, context) => {
    if (
      policy.registration === 'allow-listed' &&
      policy.email.allow.length === 0
    )
      context.addIssue({
        code: 'custom',
        path: ['email', 'allow'],
        message: 'allow-listed registration needs at least one domain',
      });
    if (policy.phone.mode !== 'off' && policy.phone.countries.length === 0)
      context.addIssue({
        code: 'custom',
        path: ['phone', 'countries'],
        message: 'a country allow or deny list needs countries',
      });
  });

/** The validated `policy` settings. */
export type PolicySettings = z.output<typeof policySettingsSchema>;
/** Phone rules (`policy.phone`). */
export type PhoneRules = z.output<typeof phoneRulesSchema>;
/** Email domain rules (`policy.email`). */
export type EmailRules = z.output<typeof emailRulesSchema>;
/** Disposable-mailbox rule (`policy.disposable`). */
export type DisposableRules = z.output<typeof disposableRulesSchema>;
/** One configured velocity limit, or `false`. */
export type VelocityLimitSetting = z.output<typeof velocityLimitSchema>;
