import { describe, expect, it } from 'vitest';
import { classifyAnswer } from '../../../shared/totp/answer';

describe('classifyAnswer', () => {
  it.each([
    ['123456', { kind: 'totp', code: '123456' }],
    ['12345678', { kind: 'totp', code: '12345678' }],
    [' 123456 ', { kind: 'totp', code: '123456' }],
    ['ABCDE-FGHJK', { kind: 'recovery', code: 'abcde-fghjk' }],
    ['abcdefghjk', { kind: 'recovery', code: 'abcde-fghjk' }],
  ])('reads %j', (answer, expected) => {
    // Act
    const result = classifyAnswer(answer);

    // Assess
    expect(result).toEqual(expected);
  });

  it.each([
    ['empty', ''],
    ['non-numeric', '12a456'],
    ['too short', '12345'],
    ['seven digits', '1234567'],
    ['too long', '1'.repeat(40)],
    ['JSON', '{"code":"123456"}'],
    ['prototype pollution', '{"__proto__":{"admin":true}}'],
    ['a number', 123456],
    ['null', null],
    ['an object', { code: '123456' }],
    ['unicode digits', '١٢٣٤٥٦'],
    ['a recovery code with ambiguous letters', 'abcde-fghi1'],
  ])('calls %s malformed', (_title, answer) => {
    // Act
    const result = classifyAnswer(answer);

    // Assess
    expect(result).toEqual({ kind: 'malformed' });
  });
});
