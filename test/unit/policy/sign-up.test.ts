import { describe, expect, it } from 'vitest';
import {
  decideSignUp,
  type PolicySettings,
  policySettingsSchema,
  type SignUpRequest,
} from '../../../shared/policy';

const policyOf = (settings: unknown = {}): PolicySettings =>
  policySettingsSchema.parse(settings);

const signUp = (
  userAttributes: Record<string, string>,
  triggerSource: SignUpRequest['triggerSource'] = 'PreSignUp_SignUp',
): SignUpRequest => ({ triggerSource, userAttributes, clientId: 'client-1' });

const ada = { email: 'ada@corp.example', phone_number: '+4915112345678' };

function reasonsOf(request: SignUpRequest, settings: unknown = {}) {
  const verdict = decideSignUp(request, { policy: policyOf(settings) });
  return {
    denied: verdict.denied?.reason,
    reported: verdict.refusals.map((refusal) => refusal.reason),
    flags: verdict.flags,
  };
}

describe('registration modes', () => {
  it('lets everyone through in the shipped open mode, setting no flag', () => {
    // Act
    const verdict = decideSignUp(signUp(ada), { policy: policyOf() });

    // Assess
    expect(verdict).toEqual({
      refusals: [],
      velocity: [],
      flags: {
        autoConfirmUser: false,
        autoVerifyEmail: false,
        autoVerifyPhone: false,
      },
    });
  });

  it('refuses self sign-up when invite-only and lets administrators pass', () => {
    // Prepare
    const settings = { registration: 'invite-only' };

    // Act
    const self = reasonsOf(signUp(ada), settings);
    const admin = decideSignUp(signUp(ada, 'PreSignUp_AdminCreateUser'), {
      policy: policyOf(settings),
    });

    // Assess
    expect(self.denied).toBe('registration_invite_only');
    expect(admin).toEqual({ refusals: [], velocity: [] });
  });

  it('allows self sign-up only from allowed domains when allow-listed', () => {
    // Prepare
    const settings = {
      registration: 'allow-listed',
      email: { allow: ['*.corp.example', 'corp.example'] },
    };

    // Act
    const inside = reasonsOf(
      signUp({ email: 'ada@eu.corp.example' }),
      settings,
    );
    const outside = reasonsOf(signUp({ email: 'ada@other.example' }), settings);
    const missing = reasonsOf(
      signUp({ phone_number: ada.phone_number }),
      settings,
    );
    const invalid = reasonsOf(signUp({ email: 'not-an-address' }), settings);

    // Assess
    expect(inside.denied).toBeUndefined();
    expect(outside.denied).toBe('email_domain_not_allowed');
    expect(missing.denied).toBe('email_missing');
    expect(invalid.denied).toBe('email_invalid');
  });

  it('refuses a phone number on an allow-listed self sign-up, unless the pool verifies email alone', () => {
    // Prepare
    const settings = {
      registration: 'allow-listed',
      email: { allow: ['corp.example'] },
    };
    const emailOnlyPool = { ...settings, allowListedPhoneAtSignUp: true };

    // Act
    const withPhone = reasonsOf(signUp(ada), settings);
    const allowed = reasonsOf(signUp(ada), emailOnlyPool);
    const federated = reasonsOf(
      signUp({ ...ada, email_verified: 'true' }, 'PreSignUp_ExternalProvider'),
      settings,
    );
    const open = reasonsOf(signUp(ada));

    // Assess
    expect(withPhone.denied).toBe('phone_with_allow_listed_email');
    expect(allowed.denied).toBeUndefined();
    expect(federated.denied).toBeUndefined();
    expect(open.denied).toBeUndefined();
  });

  it('reports every refusal but denies with the first enforced one', () => {
    // Prepare
    const settings = {
      registrationShadow: true,
      registration: 'invite-only',
      phone: { mode: 'deny', countries: ['DE'] },
    };

    // Act
    const result = reasonsOf(signUp(ada), settings);

    // Assess
    expect(result.reported).toEqual([
      'registration_invite_only',
      'country_denied',
    ]);
    expect(result.denied).toBe('country_denied');
  });
});

const federated = (attributes: Record<string, string>) =>
  signUp(attributes, 'PreSignUp_ExternalProvider');

describe('federated first sign-in (PreSignUp_ExternalProvider)', () => {
  it('is closed when invite-only is inherited, open when chosen', () => {
    // Act
    const inherited = reasonsOf(federated(ada), {
      registration: 'invite-only',
    });
    const opened = reasonsOf(federated(ada), {
      registration: 'invite-only',
      externalProvider: { registration: 'open' },
    });

    // Assess
    expect(inherited.denied).toBe('registration_closed');
    expect(opened.denied).toBeUndefined();
  });

  it('uses its own email lists when it has them', () => {
    // Prepare
    const settings = {
      email: { deny: ['corp.example'] },
      externalProvider: { email: { deny: [] } },
    };

    // Act
    const self = reasonsOf(signUp(ada), settings);
    const sso = reasonsOf(federated(ada), settings);

    // Assess
    expect(self.denied).toBe('email_domain_denied');
    expect(sso.denied).toBeUndefined();
  });

  it('keeps the self sign-up deny list when only a federated allow list is set', () => {
    // Prepare: the audit's repro
    const settings = {
      email: { deny: ['blocked.example'] },
      externalProvider: { email: { allow: ['corp.example'] } },
    };
    const blocked = { email: 'a@blocked.example', email_verified: 'true' };

    // Act
    const sso = reasonsOf(federated(blocked), settings);
    const self = reasonsOf(signUp(blocked), settings);

    // Assess
    expect(sso.denied).toBe('email_domain_denied');
    expect(self.denied).toBe('email_domain_denied');
  });

  it('takes each federated email key it sets, the self sign-up value for the others', () => {
    // Prepare
    const self = {
      allow: ['corp.example'],
      deny: ['blocked.example'],
      shadow: true,
    };
    const asserted = (email: string) =>
      federated({ email, email_verified: 'true' });
    const allowListed = { registration: 'allow-listed', email: self };

    // Act
    const ownAllow = reasonsOf(asserted('a@partner.example'), {
      ...allowListed,
      externalProvider: { email: { allow: ['partner.example'] } },
    });
    const inheritedAllow = reasonsOf(asserted('a@partner.example'), {
      ...allowListed,
      externalProvider: { email: { deny: ['other.example'] } },
    });
    const inheritedShadow = reasonsOf(asserted('a@blocked.example'), {
      email: self,
      externalProvider: { email: { allow: ['partner.example'] } },
    });
    const ownShadow = reasonsOf(asserted('a@blocked.example'), {
      email: self,
      externalProvider: { email: { shadow: false } },
    });

    // Assess
    expect(ownAllow.denied).toBeUndefined();
    expect(inheritedAllow.denied).toBe('email_domain_not_allowed');
    expect(inheritedShadow.denied).toBeUndefined();
    expect(inheritedShadow.reported).toEqual(['email_domain_denied']);
    expect(ownShadow.denied).toBe('email_domain_denied');
  });

  it('confirms and verifies only what the provider asserted', () => {
    // Prepare
    const settings = { externalProvider: { autoConfirm: 'verified-email' } };

    // Act
    const verified = reasonsOf(
      federated({
        ...ada,
        email_verified: 'true',
        phone_number_verified: 'true',
      }),
      settings,
    );
    const unverified = reasonsOf(
      federated({ ...ada, email_verified: 'false' }),
      settings,
    );
    const badPhone = reasonsOf(
      federated({
        email: ada.email,
        email_verified: 'true',
        phone_number: '0151 1234',
        phone_number_verified: 'true',
      }),
      settings,
    );

    // Assess
    expect(verified.flags).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: true,
    });
    expect(unverified.flags?.autoConfirmUser).toBe(false);
    expect(badPhone.flags).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    });
  });

  it('never verifies a missing phone number, whatever the provider says', () => {
    // Act
    const result = reasonsOf(
      federated({
        email: ada.email,
        email_verified: 'true',
        phone_number_verified: 'true',
      }),
      { externalProvider: { autoConfirm: 'always' } },
    );

    // Assess
    expect(result.flags?.autoVerifyPhone).toBe(false);
  });

  it('never verifies a phone number that is not strict E.164', () => {
    // Act
    const result = reasonsOf(
      federated({
        email: ada.email,
        phone_number: '+49 151 12345678',
        phone_number_verified: 'true',
      }),
      { externalProvider: { autoConfirm: 'always' } },
    );

    // Assess
    expect(result.flags?.autoVerifyPhone).toBe(false);
  });

  it('confirms without verifying anything when set to always', () => {
    // Act
    const result = reasonsOf(federated(ada), {
      externalProvider: { autoConfirm: 'always' },
    });

    // Assess
    expect(result.flags).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });
});

/** A federated sign-in through the named identity provider. */
const via = (provider: string, attributes: Record<string, string>) => ({
  ...federated(attributes),
  userName: `${provider}_8f3c2a`,
});

describe('trusted providers', () => {
  const trusted = {
    trustedProviders: [{ provider: 'CorpSAML', domains: ['corp.example'] }],
    externalProvider: { autoConfirm: 'verified-email' },
  };

  it('never confirms or verifies a self sign-up, whose email is only typed', () => {
    // Act
    const result = reasonsOf(signUp(ada), trusted);

    // Assess
    expect(result.flags).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it('confirms and verifies an email at its domain that the trusted provider sends without a flag', () => {
    // Act
    const result = reasonsOf(via('CorpSAML', { email: ada.email }), trusted);
    const lowerCased = reasonsOf(
      via('corpsaml', { email: ada.email }),
      trusted,
    );

    // Assess
    expect(result.flags).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    });
    expect(lowerCased.flags).toEqual(result.flags);
  });

  it("never takes another provider's word for a trusted domain", () => {
    // Act: a second provider of the pool, silent about email_verified or
    // saying it is verified, claims an address at the domain only CorpSAML
    // may assert
    const other = reasonsOf(via('PartnerIdP', { email: ada.email }), trusted);
    const otherVerified = reasonsOf(
      via('PartnerIdP', { email: ada.email, email_verified: 'true' }),
      trusted,
    );
    const prefixed = reasonsOf(via('CorpSAMLx', { email: ada.email }), trusted);
    const nameless = reasonsOf(federated({ email: ada.email }), trusted);
    const namelessVerified = reasonsOf(
      federated({ email: ada.email, email_verified: 'true' }),
      trusted,
    );

    // Assess
    for (const result of [
      other,
      otherVerified,
      prefixed,
      nameless,
      namelessVerified,
    ]) {
      expect(result.flags).toEqual({
        autoConfirmUser: false,
        autoVerifyEmail: false,
        autoVerifyPhone: false,
      });
    }
  });

  it('never verifies a federated email the provider calls unverified, trusted or not', () => {
    // Act
    const result = reasonsOf(
      via('CorpSAML', { email: ada.email, email_verified: 'false' }),
      trusted,
    );

    // Assess
    expect(result.flags).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it('respects autoConfirm always: confirms, and verifies only the trusted email', () => {
    // Act
    const settings = {
      ...trusted,
      externalProvider: { autoConfirm: 'always' },
    };
    const atTrusted = reasonsOf(
      via('CorpSAML', { email: ada.email }),
      settings,
    );
    const elsewhere = reasonsOf(
      via('CorpSAML', { email: 'ada@elsewhere.example' }),
      settings,
    );

    // Assess
    expect(atTrusted.flags?.autoVerifyEmail).toBe(true);
    expect(elsewhere.flags).toMatchObject({
      autoConfirmUser: true,
      autoVerifyEmail: false,
    });
  });

  it('believes only the trusted providers about a phone number', () => {
    // Prepare: a number has no domain; any provider could assert a
    // victim's, and a verified number is an alias Cognito moves to the
    // new user
    const settings = {
      ...trusted,
      externalProvider: { autoConfirm: 'always' },
    };
    const phone = {
      phone_number: ada.phone_number,
      phone_number_verified: 'true',
    };

    // Act
    const partner = reasonsOf(
      via('PartnerOIDC', { email: 'mallory@partner.example', ...phone }),
      settings,
    );
    const corp = reasonsOf(
      via('CorpSAML', { email: ada.email, ...phone }),
      settings,
    );
    const anyProvider = reasonsOf(
      via('PartnerOIDC', { email: 'mallory@partner.example', ...phone }),
      { externalProvider: { autoConfirm: 'always' } },
    );

    // Assess
    expect(partner.flags).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(corp.flags?.autoVerifyPhone).toBe(true);
    expect(anyProvider.flags?.autoVerifyPhone).toBe(true);
  });

  it('refuses trusted providers that could never apply, or that name no domain', () => {
    // Act
    const unused = policySettingsSchema.safeParse({
      trustedProviders: trusted.trustedProviders,
    });
    const noDomain = policySettingsSchema.safeParse({
      ...trusted,
      trustedProviders: [{ provider: 'CorpSAML' }],
    });
    const forAllowList = policySettingsSchema.safeParse({
      trustedProviders: trusted.trustedProviders,
      externalProvider: { registration: 'allow-listed' },
      email: { allow: ['corp.example'] },
    });

    // Assess
    expect(unused.success).toBe(false);
    expect(noDomain.success).toBe(false);
    expect(forAllowList.success).toBe(true);
  });
});

describe('allow-listed federated registration', () => {
  const allowListed = {
    externalProvider: { registration: 'allow-listed' },
    email: { allow: ['corp.example', 'partner.example'] },
    trustedProviders: [{ provider: 'CorpSAML', domains: ['corp.example'] }],
  };
  it('admits an allowed address the provider vouches for', () => {
    // Act
    const verified = reasonsOf(
      via('Google', { email: 'bo@partner.example', email_verified: 'true' }),
      allowListed,
    );
    const trustedSilent = reasonsOf(
      via('CorpSAML', { email: ada.email }),
      allowListed,
    );
    const trustedVerified = reasonsOf(
      via('CorpSAML', { email: ada.email, email_verified: 'true' }),
      allowListed,
    );

    // Assess
    expect(verified.denied).toBeUndefined();
    expect(trustedSilent.denied).toBeUndefined();
    expect(trustedVerified.denied).toBeUndefined();
  });

  it("refuses another provider's verified address at a trusted provider's domain", () => {
    // Act
    const result = reasonsOf(
      via('Google', { email: ada.email, email_verified: 'true' }),
      allowListed,
    );

    // Assess
    expect(result.denied).toBe('email_unasserted');
  });

  it('applies an enforced deny list to an unproven address when the allow list is in shadow mode', () => {
    // Act
    const result = reasonsOf(
      via('PartnerIdP', { email: 'x@hr.corp.example' }),
      {
        ...allowListed,
        registrationShadow: true,
        email: {
          allow: ['corp.example', '*.corp.example'],
          deny: ['hr.corp.example'],
        },
      },
    );

    // Assess
    expect(result.denied).toBe('email_domain_denied');
  });

  it('refuses an allowed address the provider does not vouch for', () => {
    // Act
    const unverified = reasonsOf(
      via('Google', { email: ada.email, email_verified: 'false' }),
      allowListed,
    );
    const untrustedSilent = reasonsOf(
      via('PartnerIdP', { email: ada.email }),
      allowListed,
    );

    // Assess
    expect(unverified.denied).toBe('email_unasserted');
    expect(untrustedSilent.denied).toBe('email_unasserted');
  });

  it('still refuses a vouched-for address outside the allow list', () => {
    // Act
    const result = reasonsOf(
      via('Google', { email: 'ada@elsewhere.example', email_verified: 'true' }),
      allowListed,
    );

    // Assess
    expect(result.denied).toBe('email_domain_not_allowed');
  });
});

describe('bad input', () => {
  const strict = {
    email: { deny: ['blocked.example'] },
    disposable: { mode: 'deny' },
    phone: { mode: 'allow', countries: ['DE'] },
  };

  it.each([
    [{}, undefined],
    [{ email: 'ada@bücher.de' }, undefined],
    [{ email: '"a b"@corp.example' }, undefined],
    [{ email: 'ada+tag@corp.example' }, undefined],
    [{ email: 'ada@blocked.example' }, 'email_domain_denied'],
    [{ email: 'ada@' }, 'email_invalid'],
    [{ email: 'eve@evil.example@corp.example' }, 'email_invalid'],
    [{ email: 'eve@evil.example,ada@corp.example' }, 'email_invalid'],
    [{ email: 'eve@evil.example>ada@corp.example' }, 'email_invalid'],
    [{ email: '"eve@evil.example"@corp.example' }, undefined],
    [{ email: 'x'.repeat(100_000) }, 'email_invalid'],
    [{ phone_number: '+49 151 12345678' }, undefined],
    [{ phone_number: '015112345678' }, 'phone_invalid'],
    [{ phone_number: '+447700900123' }, 'country_not_allowed'],
    [{ phone_number: '9'.repeat(100_000) }, 'phone_invalid'],
  ])('gives %j a defined decision (%s)', (attributes, reason) => {
    // Act
    const result = reasonsOf(signUp(attributes), strict);

    // Assess
    expect(result.denied).toBe(reason);
  });

  it('allows missing or malformed attributes when no rule needs them', () => {
    // Act
    const result = reasonsOf(signUp({ email: 'ada@', phone_number: 'abc' }));

    // Assess
    expect(result.denied).toBeUndefined();
  });

  it('never auto-verifies a phone number on self sign-up', () => {
    // Act
    const result = reasonsOf(
      signUp({ ...ada, phone_number_verified: 'true' }),
      { externalProvider: { autoConfirm: 'always' } },
    );

    // Assess
    expect(result.flags?.autoVerifyPhone).toBe(false);
  });
});

describe('the per-email-domain velocity key', () => {
  const perDomain = {
    velocity: { signUp: { perEmailDomain: { limit: 5, windowSeconds: 60 } } },
  };
  const keyOf = (email: string, settings: unknown = perDomain) =>
    decideSignUp(signUp({ email }), {
      policy: policyOf(settings),
    }).velocity.find((limit) => limit.name === 'sign_up_per_email_domain')?.key;

  it.each([
    ['ada@evil.example', 'evil.example'],
    ['ada@a.evil.example', 'evil.example'],
    ['ada@x.y.z.evil.co.uk', 'evil.co.uk'],
    ['ada@MAIL.Bücher.de', 'xn--bcher-kva.de'],
    ['ada@pages.github.io', 'github.io'],
    ['ada@co.uk', 'co.uk'],
  ])('counts %s under its registered domain (%s)', (email, key) => {
    // Act
    const actual = keyOf(email);

    // Assess
    expect(actual).toBe(key);
  });

  it('has no domain to count for an address at an IP address', () => {
    // Act
    const actual = keyOf('ada@10.0.0.1');

    // Assess
    expect(actual).toBeUndefined();
  });

  it('is not computed when the limit is off', () => {
    // Act
    const verdict = decideSignUp(signUp({ email: 'ada@a.evil.example' }), {
      policy: policyOf(),
    });

    // Assess
    expect(verdict.velocity).toEqual([]);
  });
});
