import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../shared/errors';
import {
  CUSTOM_MESSAGE_SOURCES,
  CUSTOM_SMS_SENDER_SOURCES,
  createAuthChallengeEventSchema,
  customMessageEventSchema,
  customSmsSenderEventSchema,
  defineAuthChallengeEventSchema,
  issuePathOf,
  messageKindOf,
  PRE_SIGN_UP_SOURCES,
  parseEvent,
  preSignUpEventSchema,
  verifyAuthChallengeEventSchema,
} from '../../shared/events';
import { loadEvent } from '../support/events';

const FIXTURES = path.resolve(__dirname, '../fixtures/events');
const SCHEMAS = {
  customSmsSender: customSmsSenderEventSchema,
  customMessage: customMessageEventSchema,
  defineAuthChallenge: defineAuthChallengeEventSchema,
  createAuthChallenge: createAuthChallengeEventSchema,
  verifyAuthChallengeResponse: verifyAuthChallengeEventSchema,
  preSignUp: preSignUpEventSchema,
} as const;

function casesOf(key: string): string[] {
  return readdirSync(path.join(FIXTURES, key))
    .filter((file) => file.endsWith('.json') && !file.startsWith('_'))
    .map((file) => file.replace(/\.json$/, ''));
}

describe('event schemas', () => {
  for (const [key, schema] of Object.entries(SCHEMAS)) {
    it.each(casesOf(key))(`accept the ${key} fixture %s`, (name) => {
      // Prepare
      const event = loadEvent(key, name);

      // Act
      const parsed = parseEvent(schema, event);

      // Assess
      expect(parsed.triggerSource).toBe(event.triggerSource);
      expect(parsed.version).toBe('1');
    });
  }

  it.each(Object.entries(SCHEMAS))(
    'accepts a %s event whose version is the number 1 (as in AWS samples)',
    (key, schema) => {
      // Prepare
      const event = {
        ...loadEvent(key, casesOf(key)[0] as string),
        version: 1,
      };

      // Act
      const parsed = parseEvent(schema, event);

      // Assess
      expect(parsed.version).toBe(1);
    },
  );

  it('has a fixture for every sender, message and pre sign-up source', () => {
    // Act
    const sources = Object.keys(SCHEMAS).flatMap((key) =>
      casesOf(key).map((name) => loadEvent(key, name).triggerSource),
    );

    // Assess
    for (const source of [
      ...CUSTOM_SMS_SENDER_SOURCES,
      ...CUSTOM_MESSAGE_SOURCES,
      ...PRE_SIGN_UP_SOURCES,
    ]) {
      expect(sources).toContain(source);
    }
  });

  it('keeps fields AWS may add in the future', () => {
    // Prepare
    const event = loadEvent('preSignUp', 'sign-up');
    event.request.somethingNew = { nested: true };

    // Act
    const parsed = parseEvent(preSignUpEventSchema, event);

    // Assess
    expect((parsed.request as Record<string, unknown>).somethingNew).toEqual({
      nested: true,
    });
  });

  it('rejects a malformed event naming the paths, not the values', () => {
    // Prepare
    const event = loadEvent('customSmsSender', 'sign-up');
    event.userPoolId = 'not a pool id +447700900123';
    event.request.userAttributes = { phone_number: 42 };

    // Act
    let error: unknown;
    try {
      parseEvent(customSmsSenderEventSchema, event);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).issues).toEqual([
      'userPoolId',
      'request.userAttributes.phone_number',
    ]);
    expect((error as Error).message).not.toContain('447700900123');
  });

  it('rejects prototype-polluting keys in string maps', () => {
    // Prepare
    const event = loadEvent('preSignUp', 'sign-up');
    event.request.userAttributes = JSON.parse(
      '{"email": "ada@example.com", "__proto__": "x"}',
    );

    // Act + Assess
    expect(() => parseEvent(preSignUpEventSchema, event)).toThrow(
      InvalidEventError,
    );
  });
});

describe('the SMS sender event', () => {
  it('drops a bad clientMetadata map instead of the code', () => {
    // Prepare
    const event = loadEvent('customSmsSender', 'forgot-password');
    event.request.clientMetadata = JSON.parse('{"constructor": "x"}');

    // Act
    const parsed = parseEvent(customSmsSenderEventSchema, event);

    // Assess
    expect(parsed.request.clientMetadata).toBeUndefined();
    expect(parsed.request.code).toBe(event.request.code);
  });
});

describe('the Custom Message event', () => {
  it('drops a bad clientMetadata map instead of the custom message', () => {
    // Prepare: the caller's own map (ForgotPassword needs no sign-in)
    const event = loadEvent('customMessage', 'forgot-password');
    event.request.clientMetadata = JSON.parse(
      '{"locale": "de", "constructor": "x"}',
    );

    // Act
    const parsed = parseEvent(customMessageEventSchema, event);

    // Assess
    expect(parsed.request.clientMetadata).toBeUndefined();
    expect(parsed.request.codeParameter).toBe(event.request.codeParameter);
  });
});

describe('the Pre Sign-up event', () => {
  it.each([
    ['a locale that is not a string', { locale: 5 }],
    ['an array', ['de']],
    ['a __proto__ key', JSON.parse('{"locale": "de", "__proto__": "x"}')],
    ['a number', 42],
  ])(
    'drops clientMetadata and validationData holding %s instead of the sign-up',
    (_what, bad) => {
      // Prepare
      const event = loadEvent('preSignUp', 'sign-up');
      event.request.clientMetadata = bad;
      event.request.validationData = bad;

      // Act
      const parsed = parseEvent(preSignUpEventSchema, event);

      // Assess
      expect(parsed.request.clientMetadata).toBeUndefined();
      expect(parsed.request.validationData).toBeUndefined();
      expect(parsed.request.userAttributes).toEqual(
        event.request.userAttributes,
      );
    },
  );

  it('keeps well-formed caller maps', () => {
    // Prepare
    const event = loadEvent('preSignUp', 'sign-up');
    event.request.validationData = { locale: 'de' };

    // Act
    const parsed = parseEvent(preSignUpEventSchema, event);

    // Assess
    expect(parsed.request.clientMetadata).toEqual({ locale: 'en' });
    expect(parsed.request.validationData).toEqual({ locale: 'de' });
  });
});

describe('messageKindOf', () => {
  it('maps both triggers to the same kind', () => {
    expect(messageKindOf('CustomMessage_ForgotPassword')).toBe(
      'ForgotPassword',
    );
    expect(messageKindOf('CustomSMSSender_ForgotPassword')).toBe(
      'ForgotPassword',
    );
  });

  it('returns undefined for unknown or foreign sources', () => {
    expect(messageKindOf('CustomSMSSender_AccountTakeOverNotification')).toBe(
      undefined,
    );
    expect(messageKindOf('CustomEmailSender_SignUp')).toBe(undefined);
    expect(messageKindOf('')).toBe(undefined);
  });
});

describe('auth challenge events', () => {
  it.each([
    [defineAuthChallengeEventSchema, 'createAuthChallenge', 'custom-challenge'],
    [
      createAuthChallengeEventSchema,
      'defineAuthChallenge',
      'password-verifier',
    ],
    [verifyAuthChallengeEventSchema, 'createAuthChallenge', 'custom-challenge'],
  ])('refuse another trigger’s event (misrouted)', (schema, key, name) => {
    // Act
    let error: unknown;
    try {
      parseEvent(schema, loadEvent(key, name));
    } catch (caught) {
      error = caught;
    }

    // Assess: named by its path, so the boundary counts it as a failure
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).issues).toContain('triggerSource');
  });

  it('read a missing userAttributes map as empty (userNotFound rounds)', () => {
    // Prepare
    const event = loadEvent('defineAuthChallenge', 'user-not-found');
    delete event.request.userAttributes;

    // Act
    const parsed = parseEvent(defineAuthChallengeEventSchema, event);

    // Assess
    expect(parsed.request.userAttributes).toEqual({});
  });
});

describe('issuePathOf', () => {
  it.each([
    [
      ['request', 'clientMetadata', 'grace@example.com'],
      'request.clientMetadata.*',
    ],
    [
      ['request', 'validationData', '+14155550100', 0],
      'request.validationData.*',
    ],
    [['request', 'userAttributes', 'email'], 'request.userAttributes.email'],
    [['request', 'clientMetadata'], 'request.clientMetadata'],
    [['triggerSource'], 'triggerSource'],
  ])('writes %j as %s', (path, expected) => {
    // Prepare
    const keys = path as PropertyKey[];

    // Act
    const written = issuePathOf(keys);

    // Assess
    expect(written).toBe(expected);
  });
});
