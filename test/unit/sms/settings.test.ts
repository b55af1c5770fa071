import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGE_KINDS } from '../../../shared/events/trigger-sources';
import { smsSettingsSchema } from '../../../shared/sms/settings';

const issuesOf = (value: unknown) => {
  const result = smsSettingsSchema.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('sms settings', () => {
  it('accepts {} with safe defaults', () => {
    // Act
    const settings = smsSettingsSchema.parse({});

    // Assess
    expect(settings.retry).toEqual({
      attemptsPerRoute: 3,
      baseDelayMs: 100,
      maxDelayMs: 2000,
      attemptTimeoutMs: 5000,
      reserveMs: 1500,
    });
    expect(settings.endUserMessaging.timeToLiveSeconds).toBe(300);
    expect(settings.endUserMessaging.missingIdentity).toBe('account-default');
    expect(settings.sns.countries).toEqual({});
  });

  it('validates the shipped config/suite.json sms section (build-time check)', () => {
    // Prepare
    const suite = JSON.parse(
      readFileSync(
        path.resolve(__dirname, '../../../config/suite.json'),
        'utf8',
      ),
    );

    // Act
    const issues = issuesOf(suite.sms ?? {});

    // Assess
    expect(issues).toEqual([]);
  });

  it.each([
    [
      {
        sns: {
          countries: {
            DE: { senderId: 'Suite', originationNumber: '+4915112345678' },
          },
        },
      },
      'sns.countries.DE: senderId and originationNumber are exclusive',
    ],
    [
      { sns: { countries: { GB: { entityId: '1101' } } } },
      'sns.countries.GB: entityId/templateId apply to India (IN) only',
    ],
    [
      { sns: { countries: { GB: { templateIds: { SignUp: '1107' } } } } },
      'sns.countries.GB: entityId/templateId apply to India (IN) only',
    ],
    [
      { sns: { countries: { IN: { templateIds: { Welcome: '1107' } } } } },
      'sns.countries.IN.templateIds.Welcome: Invalid input',
    ],
    [
      { sns: { countries: { DE: { senderId: 'with space' } } } },
      'sns.countries.DE.senderId: 3-11 letters, digits or -, at least one letter',
    ],
    [{ sns: { maxPrice: '1' } }, 'sns.maxPrice: USD, e.g. "0.05"'],
    [
      { retry: { attemptTimeoutMs: 500 } },
      'retry.attemptTimeoutMs: Invalid input',
    ],
    // Shorter than Lambda keeps retrying an event (maximumEventAge, 1 h).
    [{ idempotencyTtlSeconds: 600 }, 'idempotencyTtlSeconds: Invalid input'],
    [
      {
        endUserMessaging: {
          countries: {
            US: {
              identities: [
                { type: 'toll-free', id: '+18885550100' },
                { type: 'short-code', id: '12345' },
              ],
            },
          },
        },
      },
      'endUserMessaging.countries.US: US order is short-code, then 10dlc, then toll-free',
    ],
    [
      {
        endUserMessaging: {
          countries: {
            US: { identities: [{ type: 'sender-id', id: 'SUITE' }] },
          },
        },
      },
      'endUserMessaging.countries.US: US numbers cannot be reached with a sender ID',
    ],
    [
      { endUserMessaging: { countries: { GB: { identities: [] } } } },
      'endUserMessaging.countries.GB: chain is empty',
    ],
    [
      { endUserMessaging: { timeToLiveSeconds: 1 } },
      'endUserMessaging.timeToLiveSeconds: ',
    ],
    [
      {
        endUserMessaging: {
          countries: {
            '*': {
              identities: [
                { type: 'toll-free', id: '+18885550100' },
                { type: 'short-code', id: '12345' },
                { type: 'sender-id', id: 'SUITE' },
              ],
            },
          },
        },
      },
      'endUserMessaging.countries.*: serves US numbers (no US chain): US order is short-code, then 10dlc, then toll-free',
    ],
    [
      {
        sns: {
          countries: {
            IN: {
              senderId: 'SUITEIN',
              entityId: '1101',
              templateIds: { SignUp: '1107' },
            },
          },
        },
      },
      'sns.countries.IN: entityId needs templateId, or templateIds for every message kind (missing: AdminCreateUser, ResendCode',
    ],
    [
      {
        endUserMessaging: {
          countries: {
            IN: {
              identities: [{ type: 'sender-id', id: 'SUITEIN' }],
              entityId: '1101',
            },
          },
        },
      },
      'endUserMessaging.countries.IN: entityId needs templateId',
    ],
  ])('rejects %j', (value, expected) => {
    // Act
    const issues = issuesOf(value);

    // Assess
    expect(issues.join('\n')).toContain(expected);
  });

  it.each([
    // A `*` chain beside a US chain never serves US numbers.
    {
      endUserMessaging: {
        countries: {
          US: { identities: [{ type: 'short-code', id: '12345' }] },
          '*': {
            identities: [
              { type: 'sender-id', id: 'SUITE' },
              { type: 'toll-free', id: '+18885550100' },
              { type: 'pool', id: 'pool-1' },
            ],
          },
        },
      },
    },
    {
      sns: {
        countries: {
          IN: {
            senderId: 'SUITEIN',
            entityId: '1101',
            templateId: '1107',
            templateIds: { SignUp: '1201' },
          },
        },
      },
    },
    // Template ids registered per locale cover their kind.
    {
      sns: {
        countries: {
          IN: {
            senderId: 'SUITEIN',
            entityId: '1101',
            templateIds: Object.fromEntries(
              MESSAGE_KINDS.flatMap((kind, i) => [
                [`${kind}:en`, `12${i}1`],
                [`${kind}:de`, `12${i}2`],
              ]),
            ),
          },
        },
      },
    },
    // SNS may take the account's default sender ID.
    {
      sns: {
        countries: {
          IN: { entityId: '1101', templateId: '1107' },
        },
      },
    },
  ])('accepts %j', (value) => {
    // Act
    const issues = issuesOf(value);

    // Assess
    expect(issues).toEqual([]);
  });
});
