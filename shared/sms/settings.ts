import * as z from 'zod/mini';
import { MESSAGE_KINDS } from '../events/trigger-sources';
import { chainProblems, IDENTITY_TYPES } from '../routing/identity-chain';

/**
 * Behaviour settings of the custom SMS sender (`sms` in suite.json). Every
 * key is optional: `{}` routes through SNS with no sender ID, no price cap
 * and the default retry budget. Chains are validated here, so a bad chain
 * fails `npm test` (build time) and the cold start, never a send.
 */

const pattern = (regex: RegExp, message: string) =>
  z.string().check(z.regex(regex, message));
const intIn = (min: number, max: number, fallback: number) =>
  z._default(z.int().check(z.gte(min), z.lte(max)), fallback);

/** The section's leaf patterns, built on first use. */
const buildLeaves = () => ({
  countryKey: pattern(/^([A-Z]{2}|\*)$/, 'ISO 3166-1 alpha-2 or *'),
  region: pattern(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region name'),
  maxPrice: pattern(/^[0-9]{0,2}\.[0-9]{1,5}$/, 'USD, e.g. "0.05"'),
  senderId: pattern(
    /^(?=.*[A-Za-z])[A-Za-z0-9-]{3,11}$/,
    '3-11 letters, digits or -, at least one letter',
  ),
  originationNumber: pattern(/^\+?\d{5,14}$/, '5-14 digits'),
  traiId: pattern(/^\S{1,50}$/, '1-50 non-space characters'),
  /** A message kind, optionally with a catalogue locale: `SignUp:hi`. */
  templateKey: pattern(
    new RegExp(
      `^(?:${MESSAGE_KINDS.join('|')})(?::[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)?$`,
    ),
    'a message kind (SignUp, ForgotPassword, ...), optionally :<locale>',
  ),
  resourceId: pattern(/^[A-Za-z0-9_:/-]{1,256}$/, 'a name, id or ARN'),
});

type Leaves = ReturnType<typeof buildLeaves>;

/** Per-country settings of each transport. */
const buildCountries = ({
  maxPrice,
  traiId,
  templateKey,
  ...leaves
}: Leaves) => ({
  snsCountrySchema: z
    .strictObject({
      senderId: z.optional(leaves.senderId),
      originationNumber: z.optional(leaves.originationNumber),
      maxPrice: z.optional(maxPrice),
      entityId: z.optional(traiId),
      templateId: z.optional(traiId),
      templateIds: z.optional(z.record(templateKey, traiId)),
    })
    .check(
      z.refine((entry) => !(entry.senderId && entry.originationNumber), {
        message: 'senderId and originationNumber are exclusive',
      }),
    ),
  eumCountrySchema: z.strictObject({
    identities: z
      .array(
        z.strictObject({
          type: z.enum(IDENTITY_TYPES),
          id: pattern(
            /^[A-Za-z0-9_:/+-]{1,256}$/,
            'an identity id, number or ARN',
          ),
        }),
      )
      .check(z.maxLength(10)),
    maxPrice: z.optional(maxPrice),
    entityId: z.optional(traiId),
    templateId: z.optional(traiId),
    templateIds: z.optional(z.record(templateKey, traiId)),
  }),
});

/** The section's parts, built on first use (see `smsSettingsSchema`). */
const buildParts = () => {
  const leaves = buildLeaves();
  const { countryKey, maxPrice, resourceId } = leaves;
  const { snsCountrySchema, eumCountrySchema } = buildCountries(leaves);
  const snsSchema = z.strictObject({
    maxPrice: z.optional(maxPrice),
    countries: z._default(z.record(countryKey, snsCountrySchema), {}),
  });
  const eumSchema = z.strictObject({
    /**
     * Regions to send from, preferred first: where the origination
     * identities (and any configuration set named here) exist. Empty: the
     * pool's region, where the stack creates its configuration set.
     */
    regions: z._default(z.array(leaves.region), []),
    configurationSetName: z.optional(resourceId),
    protectConfigurationId: z.optional(resourceId),
    maxPrice: z.optional(maxPrice),
    /** How long a code may wait in the carrier's queue (codes expire). */
    timeToLiveSeconds: intIn(5, 259200, 300),
    /**
     * How long an invitation may wait: its temporary password stays valid
     * for days, and a bulk AdminCreateUser on a slow number queues for
     * longer than a code's TTL.
     */
    invitationTimeToLiveSeconds: intIn(5, 259200, 86400),
    missingIdentity: z._default(
      z.enum(['account-default', 'refuse']),
      'account-default',
    ),
    countries: z._default(z.record(countryKey, eumCountrySchema), {}),
  });
  return { snsCountrySchema, eumCountrySchema, snsSchema, eumSchema };
};

const buildRetry = () =>
  z.strictObject({
    attemptsPerRoute: intIn(1, 10, 3),
    baseDelayMs: intIn(1, 5000, 100),
    maxDelayMs: intIn(1, 30000, 2000),
    attemptTimeoutMs: intIn(1000, 60000, 5000),
    reserveMs: intIn(0, 60000, 1500),
  });

type Parts = ReturnType<typeof buildParts>;

type Shape = {
  sns: z.output<Parts['snsSchema']>;
  endUserMessaging: z.output<Parts['eumSchema']>;
};

const hasTraiIds = (entry: {
  entityId?: string | undefined;
  templateId?: string | undefined;
  templateIds?: Record<string, string> | undefined;
}) =>
  Boolean(
    entry.entityId ||
      entry.templateId ||
      Object.keys(entry.templateIds ?? {}).length > 0,
  );

/**
 * India's DLT: with an entity id, every message needs its registered
 * template id (the country's `templateId`, or one for its kind: `SignUp`,
 * or per locale, `SignUp:hi`); a message sent without one is blocked by
 * the operators.
 */
function indiaProblems(entry: {
  entityId?: string | undefined;
  templateId?: string | undefined;
  templateIds?: Record<string, string> | undefined;
}): string[] {
  if (!entry.entityId || entry.templateId) return [];
  const keys = Object.keys(entry.templateIds ?? {});
  const missing = MESSAGE_KINDS.filter(
    (kind) => !keys.some((key) => key === kind || key.startsWith(`${kind}:`)),
  );
  return missing.length === 0
    ? []
    : [
        `entityId needs templateId, or templateIds for every message kind (missing: ${missing.join(', ')})`,
      ];
}

function chainIssues(
  settings: Shape,
): Array<{ message: string; path: string[] }> {
  const issues: Array<{ message: string; path: string[] }> = [];
  const eumCountries = settings.endUserMessaging.countries;
  for (const [country, entry] of Object.entries(eumCountries)) {
    const hasTrai = hasTraiIds(entry);
    // Without a US chain, `*` is the one US numbers get.
    const servesUs =
      country === 'US' ||
      (country === '*' && !Object.hasOwn(eumCountries, 'US'));
    for (const message of [
      ...chainProblems(country, entry.identities, hasTrai, servesUs),
      ...(country === 'IN' ? indiaProblems(entry) : []),
    ]) {
      issues.push({
        message,
        path: ['endUserMessaging', 'countries', country],
      });
    }
  }
  for (const [country, entry] of Object.entries(settings.sns.countries)) {
    const path = ['sns', 'countries', country];
    if (hasTraiIds(entry) && country !== 'IN') {
      issues.push({
        message: 'entityId/templateId apply to India (IN) only',
        path,
      });
    }
    if (country !== 'IN') continue;
    for (const message of indiaProblems(entry)) issues.push({ message, path });
  }
  return issues;
}

const buildSmsSettings = () => {
  const { snsSchema, eumSchema } = buildParts();
  return z
    .strictObject({
      sns: z.prefault(snsSchema, {}),
      endUserMessaging: z.prefault(eumSchema, {}),
      retry: z.prefault(buildRetry(), {}),
      // At least the longest a retried event can live (maximumEventAge, 1 h):
      // an expired record could be claimed again.
      idempotencyTtlSeconds: intIn(3600, 604800, 86400),
    })
    .check(
      z.superRefine((settings, ctx) => {
        for (const issue of chainIssues(settings)) {
          ctx.addIssue({ code: 'custom', input: settings, ...issue });
        }
      }),
    );
};

/**
 * Schema of the `sms` section of config/suite.json. Lazy: constructed on
 * first use, so only the custom SMS sender pays for it at cold start.
 */
export const smsSettingsSchema = /* @__PURE__ */ z.lazy(buildSmsSettings);

/** The validated `sms` settings. */
export type SmsSettings = z.output<typeof smsSettingsSchema>;
/** SNS settings of one destination country. */
export type SnsCountrySettings = z.output<Parts['snsCountrySchema']>;
/** End User Messaging settings of one destination country. */
export type EumCountrySettings = z.output<Parts['eumCountrySchema']>;
