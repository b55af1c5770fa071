import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRE_SIGN_UP_SOURCES } from '../../shared/events';
import {
  decidePhone,
  decideSignUp,
  type PolicySettings,
  parseEmail,
  parsePhoneNumber,
  policySettingsSchema,
  type SignUpRequest,
} from '../../shared/policy';

const DISPOSABLE = new Set(['mailinator.com', 'trash.example']);

const strict = (shadow: boolean): PolicySettings =>
  policySettingsSchema.parse({
    registration: 'allow-listed',
    registrationShadow: shadow,
    email: {
      allow: ['corp.example', '*.corp.example'],
      deny: ['bad.example'],
      shadow,
    },
    disposable: { mode: 'deny', shadow },
    phone: { mode: 'allow', countries: ['DE', 'AT'], shadow },
    externalProvider: {
      registration: 'allow-listed',
      autoConfirm: 'verified-email',
    },
    velocity: {
      signUp: { perClient: { limit: 1, windowSeconds: 60, shadow } },
    },
  });

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const domain = fc.oneof(
  fc.constantFrom(
    'corp.example',
    'eu.corp.example',
    'bad.example',
    'mailinator.com',
    'bücher.de',
  ),
  fc
    .array(label, { minLength: 2, maxLength: 4 })
    .map((labels) => labels.join('.')),
  fc.string(),
);
const email = fc.oneof(
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 20 }), domain)
    .map(([local, host]) => `${local}@${host}`),
  fc.string({ maxLength: 300 }),
  fc.emailAddress(),
);
const phone = fc.oneof(
  fc.stringMatching(/^\+[1-9][0-9]{6,14}$/),
  fc.stringMatching(/^\+?[0-9 ()-]{0,20}$/),
  fc.constantFrom('+4915112345678', '+436641234567', '+447700900123'),
  fc.string({ maxLength: 80 }),
);
const attributes = fc.record(
  {
    email,
    phone_number: phone,
    email_verified: fc.constantFrom('true', 'false', ''),
    phone_number_verified: fc.constantFrom('true', 'false'),
  },
  { requiredKeys: [] },
);
const request = fc.record({
  triggerSource: fc.constantFrom(...PRE_SIGN_UP_SOURCES),
  userAttributes: attributes,
  clientId: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
}) as fc.Arbitrary<SignUpRequest>;

describe('policy core properties', () => {
  it('decides every request (total) and the same way twice (deterministic)', () => {
    fc.assert(
      fc.property(request, fc.boolean(), (input, shadow) => {
        // Prepare
        const context = { policy: strict(shadow), disposable: DISPOSABLE };

        // Act
        const first = decideSignUp(input, context);
        const second = decideSignUp(structuredClone(input), context);

        // Assess
        expect(second).toEqual(first);
        for (const refusal of first.refusals)
          expect(refusal.reason).toMatch(/^[a-z_]+$/);
      }),
    );
  });

  it('never refuses in shadow mode, but still reports', () => {
    fc.assert(
      fc.property(request, (input) => {
        // Act
        const verdict = decideSignUp(input, {
          policy: strict(true),
          disposable: DISPOSABLE,
        });

        // Assess
        expect(verdict.denied).toBeUndefined();
        for (const refusal of verdict.refusals)
          expect(refusal.outcome).toBe('would-deny');
      }),
    );
  });

  it("verifies an email only on its provider's word: asserted, and at a trusted domain only by its provider", () => {
    // Prepare: CorpSAML is trusted for corp.example only
    const policy = policySettingsSchema.parse({
      externalProvider: { autoConfirm: 'always' },
      trustedProviders: [{ provider: 'CorpSAML', domains: ['corp.example'] }],
    });
    const provider = fc.constantFrom(
      'CorpSAML',
      'corpsaml',
      'Partner',
      'CorpSAMLx',
      'Google',
    );
    const federated = fc.record({
      triggerSource: fc.constantFrom(...PRE_SIGN_UP_SOURCES),
      userName: fc.oneof(
        provider.map((name) => `${name}_${'8f3c'}`),
        fc.string({ maxLength: 20 }),
      ),
      userAttributes: fc.record(
        {
          email,
          email_verified: fc.constantFrom('true', 'false', 'TRUE', ''),
        },
        { requiredKeys: [] },
      ),
    }) as fc.Arbitrary<SignUpRequest>;

    // The case that matters most, always among the examples: another
    // provider's verified address at CorpSAML's domain.
    const partnerAtCorp: SignUpRequest = {
      triggerSource: 'PreSignUp_ExternalProvider',
      userName: 'Partner_8f3c',
      userAttributes: { email: 'ada@corp.example', email_verified: 'true' },
    };
    fc.assert(
      fc.property(federated, (input) => {
        // Act
        const verdict = decideSignUp(input, { policy });

        // Assess
        if (!verdict.flags?.autoVerifyEmail) return;
        expect(input.triggerSource).toBe('PreSignUp_ExternalProvider');
        const { email_verified: verified } = input.userAttributes;
        const parsed = parseEmail(input.userAttributes.email);
        const isTrusted = (input.userName ?? '')
          .toLowerCase()
          .startsWith('corpsaml_');
        // corp.example belongs to CorpSAML: nobody else's word counts there
        if (parsed?.domain === 'corp.example') {
          expect(isTrusted).toBe(true);
          expect(verified === undefined || verified === 'true').toBe(true);
        } else expect(verified).toBe('true');
      }),
      { numRuns: 2000, examples: [[partnerAtCorp]] },
    );
  });

  it('never auto-verifies a phone number that does not parse', () => {
    fc.assert(
      fc.property(request, (input) => {
        // Act
        const verdict = decideSignUp(input, {
          policy: strict(true),
          disposable: DISPOSABLE,
        });

        // Assess
        if (verdict.flags?.autoVerifyPhone)
          expect(
            parsePhoneNumber(input.userAttributes.phone_number),
          ).toBeDefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('parses numbers and addresses without throwing, into canonical forms', () => {
    fc.assert(
      fc.property(phone, email, (rawPhone, rawEmail) => {
        // Act
        const parsedPhone = parsePhoneNumber(rawPhone);
        const parsedEmail = parseEmail(rawEmail);

        // Assess
        if (parsedPhone) {
          expect(parsedPhone.e164).toMatch(/^\+[1-9]\d{6,15}$/);
          expect(parsedPhone.e164.startsWith(parsedPhone.prefix)).toBe(true);
          expect(parsedPhone.e164.length - parsedPhone.prefix.length).toBe(4);
          expect(parsedPhone.country).toMatch(/^(?:[A-Z]{2}|001)$/);
        }
        if (parsedEmail) expect(parsedEmail.domain).toMatch(/^[a-z0-9.-]+$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives a phone decision that shadow mode only softens', () => {
    fc.assert(
      fc.property(
        phone,
        fc.constantFrom('allow', 'deny'),
        fc.subarray(['DE', 'AT', 'GB', 'US', '001']),
        (raw, mode, countries) => {
          // Prepare
          const parsed = parsePhoneNumber(raw);
          fc.pre(parsed !== undefined && countries.length > 0);
          const rules = { mode, countries, shadow: false } as const;

          // Act
          const enforced = parsed && decidePhone(parsed, rules);
          const shadowed =
            parsed && decidePhone(parsed, { ...rules, shadow: true });

          // Assess
          expect(shadowed?.outcome).toBe(
            enforced?.outcome === 'deny' ? 'would-deny' : 'allow',
          );
        },
      ),
    );
  });
});
