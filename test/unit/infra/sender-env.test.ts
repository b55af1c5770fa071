import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config';

/**
 * The sender's stage parameters (smsDryRun, smsSandboxNumbers, snsRegion)
 * are checked when the stack is packaged (infra/sender-env.js), by the same
 * rules the function applies at cold start (shared/config.ts): a value one
 * accepts and the other refuses would either block a good deployment or
 * deploy a sender that fails every event.
 */

interface Params {
  smsDryRun?: string;
  smsSandboxNumbers?: string;
  snsRegion?: string;
}

const { senderEnvironment } = createRequire(import.meta.url)(
  '../../../infra/sender-env.js',
) as {
  senderEnvironment(params: Params): Record<string, string>;
};

const BASE = {
  STAGE: 'ci',
  KMS_KEY_ARN:
    'arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-555555555555',
  STATE_TABLE: 'state',
};

function packagingAccepts(params: Params): boolean {
  try {
    senderEnvironment(params);
    return true;
  } catch {
    return false;
  }
}

function functionAccepts(params: Params): boolean {
  const { env } = loadConfig({
    ...BASE,
    SMS_DRY_RUN: params.smsDryRun,
    SMS_SANDBOX_NUMBERS: params.smsSandboxNumbers,
    SNS_REGIONS: params.snsRegion,
  });
  try {
    void env.SMS_DRY_RUN;
    void env.SMS_SANDBOX_NUMBERS;
    void env.SNS_REGIONS;
    return true;
  } catch {
    return false;
  }
}

describe("the sender's stage parameters, checked when packaging", () => {
  it.each<[string, Params]>([
    [
      'the defaults',
      { smsDryRun: 'false', smsSandboxNumbers: '', snsRegion: '' },
    ],
    ['dry run on', { smsDryRun: 'true' }],
    ['dry run as 1', { smsDryRun: '1' }],
    ['dry run yes', { smsDryRun: 'yes' }],
    ['dry run TRUE', { smsDryRun: 'TRUE' }],
    [
      'two sandbox numbers',
      { smsSandboxNumbers: '+4915112345678, +447700900123' },
    ],
    ['a national number', { smsSandboxNumbers: '+4915112345678,015112345678' }],
    ['a number with spaces', { smsSandboxNumbers: '+44 7700 900123' }],
    ['a trailing comma', { smsSandboxNumbers: '+4915112345678,' }],
    ['two regions', { snsRegion: 'eu-west-1,eu-central-1' }],
    ['a misspelt region', { snsRegion: 'eu-west1' }],
    ['no region at all', { snsRegion: 'moon' }],
  ])('agrees with the function on %s', (_name, params) => {
    // Act
    const atPackaging = packagingAccepts(params);
    const atColdStart = functionAccepts(params);

    // Assess
    expect(atPackaging).toBe(atColdStart);
  });

  it('names every bad parameter, never a sandbox number', () => {
    // Act
    const refuse = () =>
      senderEnvironment({
        smsDryRun: 'yes',
        smsSandboxNumbers: '+4915112345678,0151 1234 5678',
        snsRegion: 'moon',
      });

    // Assess
    expect(refuse).toThrow(
      'stage parameters the SMS sender cannot use: smsDryRun "yes" (one of true, false); smsSandboxNumbers entry 2 (E.164: + country code and number, no spaces); snsRegion "moon" (AWS region names, e.g. eu-west-1)',
    );
  });

  it('passes good values through as the environment', () => {
    // Act
    const environment = senderEnvironment({
      smsDryRun: 'true',
      smsSandboxNumbers: '+4915112345678',
      snsRegion: 'eu-west-1',
    });

    // Assess
    expect(environment).toEqual({
      SMS_DRY_RUN: 'true',
      SMS_SANDBOX_NUMBERS: '+4915112345678',
      SNS_REGIONS: 'eu-west-1',
    });
  });
});
