import { afterEach, describe, expect, it, vi } from 'vitest';
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

  it.each(Object.entries(FUNCTIONS))(
    '%s fails its cold start on a bad environment with the catalogue text only, the key in the log',
    async (_name, [load]) => {
      // Prepare
      vi.resetModules();
      vi.stubEnv('KMS_KEY_ARN', 'alias/cognito-codes');
      const phone = await import('../../shared/policy/phone');
      await phone.loadPhoneLibrary();
      const logged = capturedLogRecords().length;

      // Act
      const error = await load().then(
        () => undefined,
        (reason: unknown) => reason,
      );

      // Assess
      expect((error as Error)?.message).toBe(USER_MESSAGES.en.generic);
      const record = capturedLogRecords()
        .slice(logged)
        .find((r) => r.message === 'invalid configuration');
      expect(JSON.stringify(record?.keys)).toContain('KMS_KEY_ARN');
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
