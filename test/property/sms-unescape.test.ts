import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unescapeTemporaryPassword } from '../../shared/sms/unescape';
import { escapeLikeCognito } from '../support/cognito-ciphertext';

describe('temporary password unescaping (property)', () => {
  it('undoes Cognito escaping for every password without a literal entity', () => {
    // Prepare
    const password = fc
      .string({ unit: 'grapheme', maxLength: 40 })
      .filter((value) => !/&(lt|gt);/.test(value));

    // Act / Assess
    fc.assert(
      fc.property(password, (value) => {
        expect(unescapeTemporaryPassword(escapeLikeCognito(value))).toBe(value);
      }),
    );
  });

  it('never leaves an escaped angle bracket behind', () => {
    // Act / Assess
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        expect(unescapeTemporaryPassword(escapeLikeCognito(value))).not.toMatch(
          /&(lt|gt);/,
        );
      }),
    );
  });
});
