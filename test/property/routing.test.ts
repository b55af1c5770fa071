import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectChain } from '../../shared/routing/identity-chain';
import {
  type EumRoute,
  planRoutes,
  type SnsRoute,
} from '../../shared/routing/plan';
import {
  planSnsRegions,
  SNS_REGIONS_BY_COGNITO_REGION,
} from '../../shared/routing/sns-regions';
import { type SmsSettings, smsSettingsSchema } from '../../shared/sms/settings';

const KNOWN = ['GB', 'DE', 'US', 'IN', 'FR', 'JP'] as const;

/** Destinations: configured ones, any other code, and prototype names. */
const country = fc.oneof(
  fc.constantFrom(...KNOWN),
  fc.stringMatching(/^[A-Z]{2}$/),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'),
);
const missing = fc.constantFrom('account-default' as const, 'refuse' as const);

/** Chains per country key, each value naming its key (so a pick shows where it came from). */
const chains = (star: 'with' | 'without' | 'maybe') =>
  fc.subarray([...KNOWN, '*']).map((keys) => {
    const wanted =
      star === 'maybe'
        ? keys
        : star === 'with'
          ? [...new Set([...keys, '*'])]
          : keys.filter((key) => key !== '*');
    return Object.fromEntries(wanted.map((key) => [key, { chain: key }]));
  });

/** The entry a country's own chain, else `*`, gives (own properties only). */
const ownOrDefault = <T>(map: Readonly<Record<string, T>>, key: string) =>
  Object.hasOwn(map, key)
    ? map[key]
    : Object.hasOwn(map, '*')
      ? map['*']
      : undefined;

describe('identity chain selection (property)', () => {
  it('answers for any country when there is a * default, whatever missingIdentity says', () => {
    fc.assert(
      fc.property(chains('with'), country, missing, (map, to, fallback) => {
        // Act
        const selection = selectChain(map, to, fallback);

        // Assess
        expect(selection.ok).toBe(true);
        expect(selection.ok && selection.entry).toBeDefined();
      }),
    );
  });

  it("takes the country's own chain over *, and never an inherited property", () => {
    fc.assert(
      fc.property(chains('maybe'), country, missing, (map, to, fallback) => {
        // Prepare
        const expected = ownOrDefault(map, to);
        fc.pre(expected !== undefined);

        // Act
        const selection = selectChain(map, to, fallback);

        // Assess
        expect(selection).toEqual({ ok: true, entry: expected });
      }),
    );
  });

  it('without its own chain or *, answers no identity or refuses, as missingIdentity says', () => {
    fc.assert(
      fc.property(chains('without'), country, missing, (map, to, fallback) => {
        // Prepare
        fc.pre(!Object.hasOwn(map, to));

        // Act
        const selection = selectChain(map, to, fallback);

        // Assess
        expect(selection).toEqual(
          fallback === 'account-default'
            ? { ok: true, entry: undefined }
            : { ok: false, reason: 'no_origination_identity' },
        );
      }),
    );
  });
});

const senderId = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{2,10}$/);
const originationNumber = fc.stringMatching(/^\+?\d{5,14}$/);
const maxPrice = fc.constantFrom('0.05', '0.10', '1.5');
/** SNS country entries; a few with both a sender ID and a number. */
const snsEntry = fc
  .tuple(
    fc.constantFrom('sender', 'sender', 'number', 'number', 'none', 'both'),
    senderId,
    originationNumber,
    fc.option(maxPrice, { nil: undefined }),
  )
  .map(([kind, sender, number, price]) => ({
    ...(kind === 'sender' || kind === 'both' ? { senderId: sender } : {}),
    ...(kind === 'number' || kind === 'both'
      ? { originationNumber: number }
      : {}),
    ...(price ? { maxPrice: price } : {}),
  }));
const rawSns = fc.record(
  {
    maxPrice,
    countries: fc.dictionary(fc.constantFrom(...KNOWN, '*'), snsEntry, {
      maxKeys: 4,
      noNullPrototype: true,
    }),
  },
  { requiredKeys: ['countries'] },
);
/** Pool regions: often one with a failover SNS region, some not in the table. */
const cognitoRegion = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      ...Object.keys(SNS_REGIONS_BY_COGNITO_REGION).filter(
        (region) => (SNS_REGIONS_BY_COGNITO_REGION[region]?.length ?? 0) > 1,
      ),
    ),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom(...Object.keys(SNS_REGIONS_BY_COGNITO_REGION)),
    weight: 2,
  },
  { arbitrary: fc.constant('xx-nowhere-1'), weight: 1 },
);
/** Mostly configured destinations, so a country's own entry is often hit. */
const destination = fc.oneof(
  { arbitrary: fc.constantFrom(...KNOWN, ...KNOWN), weight: 3 },
  { arbitrary: country, weight: 1 },
);
const regionOverride = fc.oneof(
  fc.constant([] as string[]),
  fc.array(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-south-1'), {
    maxLength: 4,
  }),
);

/** SNS settings that pass validation (the cold start refuses the rest). */
const validSns = (raw: unknown): SmsSettings | undefined => {
  const parsed = smsSettingsSchema.safeParse({ sns: raw });
  return parsed.success ? parsed.data : undefined;
};

/** The SNS routes of a valid plan, with the entry they were planned from. */
const snsPlan = fc
  .record({ rawSns, cognitoRegion, regionOverride, country: destination })
  .map(({ rawSns: raw, ...input }) => ({ ...input, raw }));

function planSns(input: {
  raw: unknown;
  cognitoRegion: string;
  regionOverride: string[];
  country: string;
}) {
  const settings = validSns(input.raw);
  if (!settings) return undefined;
  const plan = planRoutes({ ...input, transport: 'sns', settings });
  const entry = ownOrDefault(settings.sns.countries, input.country);
  const routes = plan.ok ? (plan.routes as SnsRoute[]) : [];
  return { settings, plan, entry, routes };
}

describe('SNS route planning (property)', () => {
  it('the settings refuse an entry with both a sender ID and an origination number, and only that', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN, '*'), snsEntry, (key, entry) => {
        // Act
        const settings = validSns({ countries: { [key]: entry } });

        // Assess
        expect(settings === undefined).toBe(
          Boolean(entry.senderId && entry.originationNumber),
        );
      }),
    );
  });

  it('never plans a route with both a sender ID and an origination number', () => {
    fc.assert(
      fc.property(snsPlan, (input) => {
        // Act
        const planned = planSns(input);

        // Assess
        for (const route of planned?.routes ?? []) {
          expect(route.senderId && route.originationNumber).toBeFalsy();
        }
      }),
    );
  });

  it("puts the chosen entry's origination number on the preferred region's route only", () => {
    fc.assert(
      fc.property(snsPlan, (input) => {
        // Act
        const planned = planSns(input);

        // Assess
        for (const [index, route] of (planned?.routes ?? []).entries()) {
          expect(route.originationNumber).toBe(
            index === 0 ? planned?.entry?.originationNumber : undefined,
          );
        }
      }),
    );
  });

  it("puts the chosen entry's sender ID on every route", () => {
    fc.assert(
      fc.property(snsPlan, (input) => {
        // Act
        const planned = planSns(input);

        // Assess
        for (const route of planned?.routes ?? []) {
          expect(route.senderId).toBe(planned?.entry?.senderId);
        }
      }),
    );
  });

  it('plans one route per region of the region plan, preferred first, none twice', () => {
    fc.assert(
      fc.property(snsPlan, (input) => {
        // Act
        const planned = planSns(input);
        fc.pre(planned !== undefined);
        const regions = planSnsRegions(
          input.cognitoRegion,
          input.regionOverride,
        );

        // Assess
        expect(planned?.plan.ok).toBe(regions.ok);
        const used = planned?.routes.map((route) => route.region) ?? [];
        expect(used).toEqual(regions.ok ? regions.regions : []);
        expect(new Set(used).size).toBe(used.length);
        if (regions.ok) expect(used.length).toBeGreaterThan(0);
      }),
    );
  });
});

const EUM_REGIONS = ['eu-central-1', 'eu-west-1', 'us-east-1'] as const;
const arnIn = (region: string, resource: string) =>
  `arn:aws:sms-voice:${region}:123456789012:${resource}`;
/** Identities without a US rank, so every chain is valid for any country. */
const identity = fc.record({
  type: fc.constantFrom('long-code' as const, 'pool' as const),
  id: fc.oneof(
    fc.integer({ min: 1, max: 50 }).map((n) => `pool-${n}`),
    fc
      .tuple(fc.constantFrom(...EUM_REGIONS), fc.integer({ min: 1, max: 50 }))
      .map(([region, n]) => arnIn(region, `pool/pool-${n}`)),
  ),
});
const protectConfiguration = fc.constantFrom(
  'pc-plain',
  ...EUM_REGIONS.map((region) => arnIn(region, 'protect-configuration/pc')),
);
const eumInput = fc.record({
  raw: fc.record(
    {
      regions: fc.shuffledSubarray([...EUM_REGIONS]),
      missingIdentity: missing,
      protectConfigurationId: protectConfiguration,
      countries: fc.dictionary(
        fc.constantFrom(...KNOWN, '*'),
        fc.record({
          identities: fc.uniqueArray(identity, {
            minLength: 1,
            maxLength: 4,
            selector: (entry) => entry.id,
          }),
        }),
        { noNullPrototype: true },
      ),
    },
    { requiredKeys: ['countries'] },
  ),
  deploymentProtect: fc.option(protectConfiguration, { nil: undefined }),
  cognitoRegion: fc.constantFrom(...EUM_REGIONS),
  country,
});

function planEum(
  input: typeof eumInput extends fc.Arbitrary<infer T> ? T : never,
) {
  const settings = smsSettingsSchema.parse({ endUserMessaging: input.raw });
  const plan = planRoutes({
    transport: 'end-user-messaging',
    cognitoRegion: input.cognitoRegion,
    regionOverride: [],
    country: input.country,
    settings,
    deployment: { protectConfigurationId: input.deploymentProtect },
  });
  const eum = settings.endUserMessaging;
  const entry = ownOrDefault(eum.countries, input.country);
  return { plan, entry, eum };
}

describe('End User Messaging route planning (property)', () => {
  it('uses only the chosen chain, and an ARN identity only in its own region', () => {
    fc.assert(
      fc.property(eumInput, (input) => {
        // Act
        const { plan, entry, eum } = planEum(input);

        // Assess
        if (!plan.ok) return;
        const regions =
          eum.regions.length > 0 ? eum.regions : [input.cognitoRegion];
        for (const route of plan.routes as EumRoute[]) {
          expect(regions).toContain(route.region);
          if (!route.identity) {
            expect(entry).toBeUndefined();
            continue;
          }
          expect(entry?.identities).toContainEqual(route.identity);
          const { id } = route.identity;
          if (id.startsWith('arn:'))
            expect(id.split(':')[3]).toBe(route.region);
        }
      }),
    );
  });

  it('never sends around a protect configuration: every route has one, or none does', () => {
    fc.assert(
      fc.property(eumInput, (input) => {
        // Act
        const { plan } = planEum(input);

        // Assess
        if (!plan.ok) {
          expect(plan.reason).toBe('no_origination_identity');
          return;
        }
        const guarded = (plan.routes as EumRoute[]).map((route) =>
          Boolean(route.protectConfigurationId),
        );
        expect(new Set(guarded).size).toBe(1);
      }),
    );
  });
});
