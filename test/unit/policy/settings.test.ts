import { describe, expect, it } from 'vitest';
import suiteJson from '../../../config/suite.json';
import { precheck } from '../../../infra/precheck';
import { parseConfig } from '../../../shared/config';
import { ConfigError } from '../../../shared/errors';
import { policySettingsSchema } from '../../../shared/policy';
import { applySettingsOverride } from '../../../shared/settings-override';
import { problemsOf, VALID_ENV } from '../../support/config-env';

const env = VALID_ENV;

const withPolicy = (policy: unknown) => ({ ...suiteJson, policy });

describe('policy settings', () => {
  it('validates the shipped suite.json at build time: open, nothing switched on', () => {
    // Act
    const { policy } = parseConfig(env, suiteJson).settings;

    // Assess
    expect(policy.registration).toBe('open');
    expect(policy.email).toEqual({ allow: [], deny: [], shadow: false });
    expect(policy.disposable.mode).toBe('off');
    expect(policy.phone.mode).toBe('off');
    expect(policy.velocity.signUp).toEqual({
      perPrefix: false,
      perEmailDomain: false,
      perClient: false,
    });
    expect(policy.velocity.sms.perPhone).toEqual({
      limit: 5,
      windowSeconds: 3600,
      shadow: false,
    });
  });

  it('normalizes domains and subdomain patterns (case, IDN, trailing dot)', () => {
    // Act
    const policy = policySettingsSchema.parse({
      email: { deny: ['Bücher.DE.', '*.Example.com'] },
    });

    // Assess
    expect(policy.email.deny).toEqual(['xn--bcher-kva.de', '*.example.com']);
  });

  it('names every malformed key, never its value', () => {
    // Prepare
    const policy = {
      email: { deny: ['not a domain'] },
      velocity: { signUp: { perClient: { limit: 0, windowSeconds: 60 } } },
    };

    // Act
    const act = () => parseConfig(env, withPolicy(policy));

    // Assess
    expect(act).toThrow(ConfigError);
    expect(problemsOf(act)).toMatch(/policy\.email\.deny\.0/);
    expect(problemsOf(act)).toMatch(/policy\.velocity\.signUp\.perClient/);
    expect(problemsOf(act)).not.toMatch(/not a domain/);
  });

  it('names settings that parse but could never work', () => {
    // Prepare
    const policy = {
      registration: 'allow-listed',
      phone: { mode: 'deny', countries: [] },
    };

    // Act
    const act = () => parseConfig(env, withPolicy(policy));

    // Assess
    expect(problemsOf(act)).toMatch(
      /policy\.email\.allow \(allow-listed needs a domain\)/,
    );
    expect(problemsOf(act)).toMatch(
      /policy\.phone\.countries \(a country list needs/,
    );
  });

  it('requires a domain when federated sign-up is allow-listed', () => {
    // Act
    const result = policySettingsSchema.safeParse({
      externalProvider: { registration: 'allow-listed' },
    });
    const ownDenyOnly = policySettingsSchema.safeParse({
      externalProvider: {
        registration: 'allow-listed',
        email: { deny: ['blocked.example'] },
      },
    });

    // Assess
    expect(result.success).toBe(false);
    expect(ownDenyOnly.success).toBe(false);
  });

  it('leaves the keys externalProvider.email omits unset, for the self sign-up values to apply', () => {
    // Act
    const result = policySettingsSchema.safeParse({
      registration: 'allow-listed',
      email: { allow: ['corp.example'] },
      externalProvider: {
        registration: 'allow-listed',
        email: { deny: ['blocked.example'] },
      },
    });

    // Assess: the federated allow list is the self sign-up one, not []
    expect(result.success).toBe(true);
    expect(result.data?.externalProvider.email).toEqual({
      deny: ['blocked.example'],
    });
  });

  it('passes the build-time precheck with a partial externalProvider.email, which it embeds as set', () => {
    // Prepare
    const policy = {
      email: { deny: ['blocked.example'] },
      externalProvider: { email: { allow: ['Corp.Example'] } },
    };

    // Act
    const { settings } = precheck(withPolicy(policy));

    // Assess
    expect(settings.policy.externalProvider.email).toEqual({
      allow: ['corp.example'],
    });
  });

  it('validates the domains of externalProvider.email', () => {
    // Act
    const result = policySettingsSchema.safeParse({
      externalProvider: { email: { allow: ['not a domain'], shadow: 'yes' } },
    });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'externalProvider.email.allow.0',
      'externalProvider.email.shadow',
    ]);
  });
});

describe('SUITE_SETTINGS_OVERRIDE', () => {
  const override = JSON.stringify({ policy: { registration: 'invite-only' } });

  it('merges sections over suite.json on local and test stages', () => {
    // Act
    const config = parseConfig(
      { ...env, STAGE: 'local', SUITE_SETTINGS_OVERRIDE: override },
      suiteJson,
    );

    // Assess
    expect(config.settings.policy.registration).toBe('invite-only');
    expect(config.settings.templates.defaultLocale).toBe(
      suiteJson.templates.defaultLocale,
    );
  });

  it('fails the cold start of any other stage', () => {
    // Act
    const act = () =>
      parseConfig({ ...env, SUITE_SETTINGS_OVERRIDE: override }, suiteJson);

    // Assess
    expect(problemsOf(act)).toMatch(
      /SUITE_SETTINGS_OVERRIDE \(only for local and test/,
    );
  });

  it('refuses an override that is not a JSON object', () => {
    // Act
    const result = applySettingsOverride(
      { STAGE: 'test', SUITE_SETTINGS_OVERRIDE: '[1' },
      suiteJson,
    );

    // Assess
    expect(result.problems).toEqual([
      'SUITE_SETTINGS_OVERRIDE (a JSON object)',
    ]);
    expect(result.settings).toBe(suiteJson);
  });
});
