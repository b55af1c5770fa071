import { describe, expect, it } from 'vitest';
import { logger } from '../../shared/logging';
import { countMetric } from '../../shared/metrics';
import {
  capturedLogRecords,
  capturedLogs,
  findTrackedSecrets,
  trackSecret,
} from '../support/log-capture';

describe('logger', () => {
  it('redacts secrets and PII in every field of a real log line', () => {
    // Prepare
    const phone = '+447700900123';
    const email = 'ada.lovelace@example.com';
    const code = '839201';
    trackSecret(phone, email, code);

    // Act
    logger.info(`sending to ${phone}`, {
      phone_number: phone,
      email,
      code,
      note: `copy to ${email}`,
    });

    // Assess
    const [record] = capturedLogRecords();
    expect(record).toMatchObject({
      level: 'INFO',
      message: 'sending to +********0123',
      phone_number: '+********0123',
      email: '***@example.com',
      code: '[REDACTED]',
      note: 'copy to ***@example.com',
      service: 'cognito-trigger-suite',
    });
  });

  it('redacts inside a logged error, which carries its own message', () => {
    // Prepare
    const phone = '+4915112345678';
    trackSecret(phone);

    // Act
    logger.error('publish failed', {
      error: new Error(`Invalid parameter: PhoneNumber ${phone}`),
    });

    // Assess
    const line = JSON.stringify(capturedLogRecords());
    expect(line).toContain('PhoneNumber +*********5678');
    expect(line).not.toContain('12345678');
    expect(line).toContain('node_modules/@vitest');
  });
});

describe('the suite-wide log capture', () => {
  it('sees console output, which vitest keeps from process.stdout', () => {
    // Act
    console.log('console line %s', 'seen');
    console.error(new Error('console error seen'));

    // Assess
    const text = capturedLogs().join('');
    expect(text).toContain('console line seen');
    expect(text).toContain('console error seen');
  });

  it('finds a secret in the forms a log line would carry it', () => {
    // Prepare
    trackSecret('Tq7"697\\zP<1>', 'Grace.Hopper@Example.com');

    // Act
    const found = findTrackedSecrets(
      '{"m":"Tq7\\"697\\\\zP<1>"} Tq7&quot;697\\zP&lt;1&gt; grace.hopper@example.com',
    );

    // Assess
    expect(found).toHaveLength(2);
  });
});

describe('countMetric', () => {
  it('carries only classification dimensions, never a value that could name a person', () => {
    // Act
    countMetric('Probe', { country: 'GB', prefix: '+4477009001' });

    // Assess
    const lines = capturedLogs().join('');
    const emf = capturedLogRecords().find((record) => 'Probe' in record);
    expect(emf).toMatchObject({ country: 'GB', stage: 'test', Probe: 1 });
    expect(lines).not.toContain('+4477009001');
    expect(capturedLogRecords()).toContainEqual(
      expect.objectContaining({
        message: 'metric dimension dropped',
        dimension: 'prefix',
      }),
    );
  });
});

describe('countMetric values', () => {
  it.each([
    ['an email address', 'ada@example.com'],
    ['a phone number', '+447700900123'],
    ['digits of a phone number', '447700900123'],
    ['free text', 'not a code'],
  ])('drops %s given as an allowed dimension', (_what, value) => {
    // Act
    countMetric('Probe', { country: 'GB', reason: value });

    // Assess
    const emf = capturedLogRecords().find((record) => 'Probe' in record);
    expect(emf).toMatchObject({ country: 'GB', Probe: 1 });
    expect(emf?.reason).toBeUndefined();
    expect(capturedLogs().join('')).not.toContain(value);
  });
});

describe('the secret check on codes', () => {
  it('finds a code standing alone, not inside a longer number', () => {
    // Prepare
    trackSecret('590123');

    // Act
    const inTimestamp = findTrackedSecrets('"expiresAt":1795901234567');
    const alone = findTrackedSecrets('"text":"code 590123."');

    // Assess
    expect(inTimestamp).toEqual([]);
    expect(alone).toEqual(['590123']);
  });
});
