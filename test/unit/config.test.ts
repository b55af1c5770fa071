import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config';
import { ConfigError } from '../../shared/errors';
import { problemsOf, VALID_ENV } from '../support/config-env';

const validEnv = VALID_ENV;

describe('parseConfig', () => {
  it('accepts a complete environment and the shipped suite.json', () => {
    // Act
    const config = parseConfig(validEnv);

    // Assess
    expect(config.env.SMS_TRANSPORT).toBe('sns');
    expect(config.env.SMS_DRY_RUN).toBe(false);
    expect(config.settings.policy.registration).toBe('open');
  });

  it('rejects a key alias with a reason, naming the key but not the value', () => {
    // Prepare
    const alias = 'alias/cognito-codes';

    // Act
    const act = () => parseConfig({ ...validEnv, KMS_KEY_ARN: alias });

    // Assess
    expect(act).toThrow(ConfigError);
    expect(problemsOf(act)).toMatch(/KMS_KEY_ARN \(must be a full KMS key ARN/);
    expect(problemsOf(act)).not.toMatch(/cognito-codes/);
  });

  it('reports every bad key at once, environment and suite.json alike', () => {
    // Act
    let error: unknown;
    try {
      parseConfig(
        { ...validEnv, STATE_TABLE: undefined, SMS_TRANSPORT: 'pigeon' },
        { policy: { registration: 'whoever' } },
      );
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).keys.join(' ');
    expect(keys).toContain('STATE_TABLE');
    expect(keys).toContain('SMS_TRANSPORT');
    expect(keys).toContain('suite.json:policy.registration');
    expect(keys).not.toContain('pigeon');
    expect(keys).not.toContain('whoever');
  });

  it.each([
    [{ policy: { registraton: 'invite-only' } }, 'registraton'],
    [{ policy: { disposable: { mode: 'deny', shadw: true } } }, 'shadw'],
    [
      { policy: { externalProvider: { registation: 'closed' } } },
      'registation',
    ],
    [{ templates: { maxSmsSegment: 2 } }, 'maxSmsSegment'],
    [{ polcy: {} }, 'polcy'],
  ])('refuses a misspelt key rather than ignoring it: %j', (settings, key) => {
    // Act
    const act = () => parseConfig(validEnv, settings);

    // Assess
    expect(act).toThrow(ConfigError);
    expect(problemsOf(act)).toContain(key);
  });

  it("names a bad record key with its own rule, not zod's generic message", () => {
    // Act
    let error: unknown;
    try {
      parseConfig(validEnv, {
        sms: { sns: { countries: { IN: { templateIds: { Welcome: '1' } } } } },
      });
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect((error as ConfigError).keys).toEqual([
      'suite.json:sms.sns.countries.IN.templateIds.Welcome (a message kind (SignUp, ForgotPassword, ...), optionally :<locale>)',
    ]);
  });

  it('accepts every stage name the Serverless Framework accepts', () => {
    // Prepare: what osls takes (lib/utils/stage-pattern.js)
    const stagePattern = new RegExp(
      createRequire(__filename)('serverless/lib/utils/stage-pattern.js'),
    );

    // Act
    const accepted = ['Prod', 'eu-West-1', 'dev'].map(
      (stage) => parseConfig({ ...validEnv, STAGE: stage }).env.STAGE,
    );
    const refused = () => parseConfig({ ...validEnv, STAGE: 'prod_1' });

    // Assess
    expect(accepted).toEqual(['Prod', 'eu-West-1', 'dev']);
    expect(accepted.every((stage) => stagePattern.test(stage))).toBe(true);
    expect(stagePattern.test('prod_1')).toBe(false);
    expect(problemsOf(refused)).toContain('STAGE');
  });

  it('parses comma lists of sandbox numbers and SNS regions', () => {
    // Act
    const config = parseConfig({
      ...validEnv,
      SMS_SANDBOX_NUMBERS: '+447700900123, +447700900124',
      SNS_REGIONS: 'eu-central-1,eu-west-1',
    });

    // Assess
    expect(config.env.SMS_SANDBOX_NUMBERS).toEqual([
      '+447700900123',
      '+447700900124',
    ]);
    expect(config.env.SNS_REGIONS).toEqual(['eu-central-1', 'eu-west-1']);
  });
});
