import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VariableName } from '../../shared/config';
import { SETTINGS_OVERRIDE_KEY } from '../../shared/settings-override';
import { USER_MESSAGES } from '../../shared/user-messages';
import { capturedLogRecords } from '../support/log-capture';

// Each function validates, at cold start, only the suite.json sections it
// uses. The bad sections below reach a function through the test-stage
// override (SUITE_SETTINGS_OVERRIDE), the way a changed suite.json would.

type Section = 'templates' | 'sms' | 'policy' | 'totp';

/** One invalid value per section, and the key it must be reported by. */
const INVALID: Record<Section, { value: object; key: string }> = {
  templates: {
    value: { maxSmsSegments: 99 },
    key: 'suite.json:templates.maxSmsSegments',
  },
  sms: {
    value: { idempotencyTtlSeconds: 1 },
    key: 'suite.json:sms.idempotencyTtlSeconds',
  },
  policy: {
    value: { registration: 'whoever-secret-value' },
    key: 'suite.json:policy.registration',
  },
  totp: { value: { digits: 7 }, key: 'suite.json:totp.digits' },
};

const FUNCTIONS: Record<string, [() => Promise<unknown>, Section[]]> = {
  customMessage: [
    () => import('../../functions/custom-message/handler'),
    ['templates'],
  ],
  preSignUp: [() => import('../../functions/pre-sign-up/handler'), ['policy']],
  defineAuthChallenge: [
    () => import('../../functions/define-auth-challenge/handler'),
    ['totp'],
  ],
  createAuthChallenge: [
    () => import('../../functions/create-auth-challenge/handler'),
    ['totp'],
  ],
  verifyAuthChallengeResponse: [
    () => import('../../functions/verify-auth-challenge-response/handler'),
    ['totp'],
  ],
  customSmsSender: [
    () => import('../../functions/custom-sms-sender/handler'),
    ['sms', 'policy', 'templates'],
  ],
};

const SECTIONS: Section[] = ['templates', 'sms', 'policy', 'totp'];

/** A bad value of every environment variable the suite reads. */
const BAD_VARIABLE: Record<VariableName, string> = {
  STAGE: 'no spaces',
  KMS_KEY_ARN: 'alias/cognito-codes',
  TOTP_KEY_ARN: 'alias/cognito-totp',
  STATE_TABLE: 'x',
  TOTP_TABLE: 'x',
  EMAIL_SENDING_ACCOUNT: 'SES',
  SMS_TRANSPORT: 'carrier-pigeon',
  SMS_DRY_RUN: 'maybe',
  SMS_SANDBOX_NUMBERS: '0151 1234',
  SNS_REGIONS: 'moon',
  SMS_CONFIGURATION_SET: 'two words',
  SMS_PROTECT_CONFIGURATION_ID: 'two words',
};

const TOTP_VARIABLES: VariableName[] = ['STAGE', 'TOTP_TABLE', 'TOTP_KEY_ARN'];

/** The variables each function reads, so validates at its cold start. */
const READS: Record<keyof typeof FUNCTIONS, VariableName[]> = {
  customMessage: ['STAGE', 'EMAIL_SENDING_ACCOUNT'],
  preSignUp: ['STAGE', 'STATE_TABLE'],
  defineAuthChallenge: TOTP_VARIABLES,
  createAuthChallenge: TOTP_VARIABLES,
  verifyAuthChallengeResponse: TOTP_VARIABLES,
  customSmsSender: [
    'STAGE',
    'KMS_KEY_ARN',
    'STATE_TABLE',
    'SMS_TRANSPORT',
    'SMS_DRY_RUN',
    'SMS_SANDBOX_NUMBERS',
    'SNS_REGIONS',
    'SMS_CONFIGURATION_SET',
    'SMS_PROTECT_CONFIGURATION_ID',
  ],
};

const variableCases = Object.entries(FUNCTIONS).flatMap(([name, [load]]) =>
  (Object.keys(BAD_VARIABLE) as VariableName[]).map((variable) => ({
    name,
    load,
    variable,
    isRead: READS[name]?.includes(variable) ?? false,
  })),
);

/**
 * Loads a handler module afresh (a cold start) with one bad environment
 * variable; returns the keys the failure logged.
 */
async function coldStartWithVariable(
  load: () => Promise<unknown>,
  variable: VariableName,
): Promise<{ handler?: unknown; error?: unknown; keys?: unknown }> {
  vi.resetModules();
  vi.stubEnv(variable, BAD_VARIABLE[variable]);
  const phone = await import('../../shared/policy/phone');
  await phone.loadPhoneLibrary();
  const logged = capturedLogRecords().length;
  try {
    const module = (await load()) as { handler?: unknown };
    return { handler: module.handler };
  } catch (error) {
    const record = capturedLogRecords()
      .slice(logged)
      .find((r) => r.message === 'invalid configuration');
    return { error, keys: record?.keys };
  }
}

/** Loads a handler module afresh (a cold start) under one bad section. */
async function coldStart(
  load: () => Promise<unknown>,
  section: Section,
): Promise<{ handler?: unknown; error?: unknown }> {
  vi.resetModules();
  vi.stubEnv('STAGE', 'test');
  vi.stubEnv(
    SETTINGS_OVERRIDE_KEY,
    JSON.stringify({ [section]: INVALID[section].value }),
  );
  // The fresh module registry has no libphonenumber yet, and the runner
  // cannot require its TypeScript chunk (test/support/chunk-modules.ts).
  const phone = await import('../../shared/policy/phone');
  await phone.loadPhoneLibrary();
  try {
    const module = (await load()) as { handler?: unknown };
    return { handler: module.handler };
  } catch (error) {
    return { error };
  }
}

const cases = Object.entries(FUNCTIONS).flatMap(([name, [load, uses]]) =>
  SECTIONS.map((section) => ({
    name,
    load,
    section,
    isUsed: uses.includes(section),
  })),
);

describe('cold start validates the sections a function uses', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it.each(cases.filter((c) => c.isUsed))(
    '$name fails its cold start with ConfigError when $section is invalid',
    async ({ load, section }) => {
      // Act
      const { handler, error } = await coldStart(load, section);

      // Assess: Cognito shows a failed cold start's message to the user
      expect(handler).toBeUndefined();
      expect((error as Error)?.name).toBe('ConfigError');
      expect((error as Error).message).toBe(USER_MESSAGES.en.generic);
      expect((error as { keys: string[] }).keys).toEqual([
        expect.stringContaining(INVALID[section].key),
      ]);
    },
  );

  it.each(cases.filter((c) => !c.isUsed))(
    '$name starts although $section (unused by it) is invalid: by design, the build-time check (npm test) validates every section',
    async ({ load, section }) => {
      // Act
      const { handler, error } = await coldStart(load, section);

      // Assess
      expect(error).toBeUndefined();
      expect(typeof handler).toBe('function');
    },
  );

  it.each(variableCases.filter((c) => c.isRead))(
    '$name fails its cold start when $variable (which it reads) is bad: catalogue text only, the key in the log',
    async ({ load, variable }) => {
      // Act
      const { handler, error, keys } = await coldStartWithVariable(
        load,
        variable,
      );

      // Assess
      expect(handler).toBeUndefined();
      expect((error as Error)?.message).toBe(USER_MESSAGES.en.generic);
      expect(keys).toEqual([
        expect.stringMatching(`^${variable}(\\.\\d+)? \\(`),
      ]);
      expect(JSON.stringify(keys)).not.toContain(BAD_VARIABLE[variable]);
    },
  );

  it.each(variableCases.filter((c) => !c.isRead))(
    '$name starts although $variable (unused by it) is bad',
    async ({ load, variable }) => {
      // Act
      const { handler, error } = await coldStartWithVariable(load, variable);

      // Assess
      expect(error).toBeUndefined();
      expect(typeof handler).toBe('function');
    },
  );

  it('names the bad key in ConfigError, never its value', async () => {
    // Act
    const { error } = await coldStart(
      FUNCTIONS.preSignUp?.[0] ?? (() => Promise.resolve()),
      'policy',
    );

    // Assess
    const text = `${(error as Error).message} ${(error as { keys: string[] }).keys.join(' ')}`;
    expect(text).toContain('suite.json:policy.registration');
    expect(text).not.toContain('whoever-secret-value');
  });
});
