import { describe, expect, it, vi } from 'vitest';
import { loadConfig, parseConfig, requireVariables } from '../../shared/config';
import { ConfigError } from '../../shared/errors';
import { provideSection } from '../../shared/lazy-settings';
import { SECTION_SCHEMAS, type SectionName } from '../../shared/settings';
import { VALID_ENV } from '../support/config-env';

// The readers give their sections' schemas; here, all of them.
for (const [name, schema] of Object.entries(SECTION_SCHEMAS)) {
  provideSection(name as SectionName, schema);
}

const validEnv = VALID_ENV;

const badTotp = { totp: { digits: 7, issuer: 'secret issuer value!' } };

function errorOf(act: () => unknown): ConfigError {
  try {
    act();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig (per-section validation on first access)', () => {
  it('parseConfig still validates every section eagerly (the build-time check)', () => {
    // Act
    const error = errorOf(() => parseConfig(validEnv, badTotp));

    // Assess
    expect(error.keys.join(' ')).toContain('suite.json:totp.digits');
  });

  it('validates a section when it is first read, naming keys, never values', () => {
    // Prepare
    const config = loadConfig(validEnv, badTotp);

    // Act
    const error = errorOf(() => config.settings.totp);

    // Assess
    const keys = error.keys.join(' ');
    expect(keys).toContain('suite.json:totp.digits');
    expect(keys).toContain('suite.json:totp.issuer');
    expect(`${error.message} ${keys}`).not.toContain('secret issuer value');
    expect(() => config.settings.totp).toThrow(ConfigError);
  });

  it('returns the same parsed section as parseConfig, and caches it', () => {
    // Prepare
    const settings = { policy: { registration: 'invite-only' } };
    const config = loadConfig(validEnv, settings);

    // Act
    const policy = config.settings.policy;

    // Assess
    expect(policy).toEqual(parseConfig(validEnv, settings).settings.policy);
    expect(config.settings.policy).toBe(policy);
    expect(config.settings.templates.defaultLocale).toBe('en');
  });

  it('refuses to read a section whose reader gave no schema (a programming error, loud)', async () => {
    // Prepare: a fresh module registry, where no reader has run
    vi.resetModules();
    const fresh = await import('../../shared/lazy-settings');

    // Act
    const settings = fresh.lazySettings({ totp: {} });

    // Assess
    expect(() => settings.totp).toThrow(/totp read without its schema/);
    vi.resetModules();
  });

  it('still fails at load on a refused override', () => {
    // Act
    const error = errorOf(() =>
      loadConfig({
        ...validEnv,
        SUITE_SETTINGS_OVERRIDE: '{"policy":{}}',
      }),
    );

    // Assess
    expect(error.keys.join(' ')).toContain('SUITE_SETTINGS_OVERRIDE');
  });

  it('validates an environment variable when it is first read or required, naming every bad one', () => {
    // Prepare
    const env = {
      ...validEnv,
      STATE_TABLE: undefined,
      SMS_TRANSPORT: 'carrier-pigeon',
      KMS_KEY_ARN: 'alias/secret-alias-value',
    };
    const config = loadConfig(env);

    // Act
    const required = errorOf(() =>
      requireVariables(config, ['STAGE', 'STATE_TABLE', 'KMS_KEY_ARN']),
    );
    const read = errorOf(() => config.env.SMS_TRANSPORT);

    // Assess
    expect(config.env.TOTP_TABLE).toBe(validEnv.TOTP_TABLE);
    expect(config.env.STAGE).toBe('dev');
    // The variables asked for, then every other bad one that is set (a
    // missing one counts only where it is read)
    expect(required.keys).toEqual([
      expect.stringMatching(/^STATE_TABLE \(/),
      expect.stringMatching(/^KMS_KEY_ARN \(must be a full KMS key ARN/),
      expect.stringMatching(/^SMS_TRANSPORT \(/),
    ]);
    expect(required.keys.join(' ')).not.toContain('secret-alias-value');
    expect(read.keys).toEqual([
      expect.stringMatching(/^SMS_TRANSPORT \(/),
      expect.stringMatching(/^KMS_KEY_ARN \(/),
    ]);
    expect(() => requireVariables(config, ['TOTP_KEY_ARN'])).not.toThrow();
  });

  it('reads the same environment as parseConfig', () => {
    // Prepare
    const env = {
      ...validEnv,
      SMS_SANDBOX_NUMBERS: '+447700900123, +447700900124',
      SMS_DRY_RUN: '1',
    };

    // Act
    const lazy = loadConfig(env).env;
    const eager = parseConfig(env).env;

    // Assess
    expect({ ...lazy }).toEqual({ ...eager });
    expect(lazy.SMS_SANDBOX_NUMBERS).toEqual([
      '+447700900123',
      '+447700900124',
    ]);
    expect(lazy.SMS_DRY_RUN).toBe(true);
  });

  it('applies the override on the test stage, section by section', () => {
    // Prepare
    const env = {
      ...validEnv,
      STAGE: 'test',
      SUITE_SETTINGS_OVERRIDE: '{"totp":{"enrollment":"admin"}}',
    };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.settings.totp.enrollment).toBe('admin');
    expect(config.settings.totp.digits).toBe(6);
  });

  it('refuses the override inside the Lambda runtime, even on a stage named test', () => {
    // Act
    const error = errorOf(() =>
      loadConfig({
        ...validEnv,
        STAGE: 'test',
        AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
        SUITE_SETTINGS_OVERRIDE: '{"policy":{"failureMode":"open"}}',
      }),
    );

    // Assess
    expect(error.keys.join(' ')).toContain('SUITE_SETTINGS_OVERRIDE');
  });

  it('rejects an unknown section at load, naming it', () => {
    // Act
    const error = errorOf(() =>
      loadConfig(validEnv, { polcy: { registration: 'invite-only' } }),
    );

    // Assess
    expect(error.keys).toEqual(['suite.json:polcy (not a section)']);
  });

  it('rejects a misspelt key inside a section when the section is read', () => {
    // Prepare
    const config = loadConfig(validEnv, {
      policy: { registraton: 'invite-only' },
    });

    // Act
    const error = errorOf(() => config.settings.policy);

    // Assess
    expect(error.keys.join(' ')).toContain('suite.json:policy');
    expect(error.keys.join(' ')).toContain('registraton');
  });

  it('rejects a suite.json that is not an object at load', () => {
    // Act
    const error = errorOf(() => loadConfig(validEnv, ['not', 'an', 'object']));

    // Assess
    expect(error.keys).toEqual(['suite.json:(root) (a JSON object)']);
  });
});
