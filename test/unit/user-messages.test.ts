import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../shared/errors';
import {
  resolveUserMessageLocale,
  USER_MESSAGES,
  userFacingError,
} from '../../shared/user-messages';

describe('user-facing catalogue', () => {
  it('has every key in every locale, without a trailing period', () => {
    // Prepare
    const keys = Object.keys(USER_MESSAGES.en).sort();

    // Act + Assess
    for (const catalogue of Object.values(USER_MESSAGES)) {
      expect(Object.keys(catalogue).sort()).toEqual(keys);
      for (const message of Object.values(catalogue)) {
        expect(message.length).toBeGreaterThan(0);
        expect(message.endsWith('.')).toBe(false);
      }
    }
  });

  it.each([
    ['de-AT', 'de'],
    ['DE', 'de'],
    ['de_CH', 'de'],
    ['de_AT.UTF-8', 'de'],
    ['de@euro', 'de'],
    ['fr-CA', 'en'],
    [undefined, 'en'],
    [42, 'en'],
    ['__proto__', 'en'],
  ])('resolves %s to %s', (tag, expected) => {
    expect(resolveUserMessageLocale(tag)).toBe(expected);
  });

  it.each([
    [['fr', 'de'], 'de'],
    [[undefined, 'de-AT', 'en'], 'de'],
    [['en', 'de'], 'en'],
    [['fr', 'it'], 'en'],
    [[], 'en'],
  ])(
    'takes the first of %j the catalogue has (%s), as the templates do',
    (candidates, expected) => {
      expect(resolveUserMessageLocale(candidates)).toBe(expected);
    },
  );

  it('builds errors only from catalogue keys', () => {
    // Act
    const error = userFacingError('tooManyAttempts', 'de');

    // Assess
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.key).toBe('tooManyAttempts');
    expect(error.message).toBe(USER_MESSAGES.de.tooManyAttempts);
  });
});
