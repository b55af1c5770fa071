import { describe, expect, it } from 'vitest';
import { unescapeTemporaryPassword } from '../../../shared/sms/unescape';

describe('unescapeTemporaryPassword', () => {
  it.each([
    ['Tq7&lt;697&gt;zP!', 'Tq7<697>zP!'],
    ['&lt;&lt;&gt;&gt;', '<<>>'],
    ['plain-Passw0rd!', 'plain-Passw0rd!'],
    ['a&amp;b&quot;c', 'a&amp;b&quot;c'],
    ['&lt', '&lt'],
  ])('turns %j into %j', (escaped, expected) => {
    // Act
    const password = unescapeTemporaryPassword(escaped);

    // Assess
    expect(password).toBe(expected);
  });
});
