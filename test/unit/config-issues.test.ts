import { describe, expect, it } from 'vitest';
import { describeIssues } from '../../shared/lazy-settings';
import { suiteSettingsSchema } from '../../shared/settings';

/** The lines describeIssues writes for an invalid suite.json. */
function problemsOf(suite: Record<string, unknown>): string[] {
  const parsed = suiteSettingsSchema.safeParse(suite);
  return parsed.success ? [] : describeIssues('suite.json:', parsed.error);
}

describe('describeIssues', () => {
  it.each([
    [
      { sms: { idempotencyTtlSeconds: 600 } },
      'suite.json:sms.idempotencyTtlSeconds (at least 3600)',
    ],
    [
      { totp: { maxSessionAttempts: 11 } },
      'suite.json:totp.maxSessionAttempts (at most 10)',
    ],
    [{ totp: { digits: 7 } }, 'suite.json:totp.digits (one of 6, 8)'],
    [
      {
        sms: {
          endUserMessaging: {
            regions: [],
            countries: {
              GB: {
                identities: Array.from({ length: 11 }, () => ({
                  type: 'sender-id',
                  id: 'SUITE',
                })),
              },
            },
          },
        },
      },
      'suite.json:sms.endUserMessaging.countries.GB.identities (at most 10 entries)',
    ],
    [
      { totp: { algorithm: 'MD5' } },
      'suite.json:totp.algorithm (one of "SHA1", "SHA256", "SHA512")',
    ],
    [{ totp: { period: '30' } }, 'suite.json:totp.period (expected number)'],
  ])('names the rule a value broke: %j', (suite, line) => {
    // Act
    const problems = problemsOf(suite);

    // Assess
    expect(problems).toEqual([line]);
  });

  it('names the allowed values, never the value given', () => {
    // Act
    const problems = problemsOf({
      policy: { registration: 'closed-secret-value' },
    });

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^suite\.json:policy\.registration \(one of "/);
    expect(problems[0]).toContain('"open"');
    expect(problems.join('\n')).not.toContain('secret-value');
  });
});
