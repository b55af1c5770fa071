import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  maskEmail,
  maskPhoneNumber,
  REDACTED,
  redact,
  redactText,
} from '../../shared/redact';

const stringify = (value: unknown) => JSON.stringify(value, redact);

describe('redact', () => {
  it('replaces secret-bearing keys whatever their case', () => {
    // Prepare
    const record = {
      code: 'AYADexample',
      challengeAnswer: '123456',
      privateChallengeParameters: { answer: '654321' },
      TemporaryPassword: 'Tq7<123>zP!',
    };

    // Act
    const line = stringify(record);

    // Assess
    expect(JSON.parse(line)).toEqual({
      code: REDACTED,
      challengeAnswer: REDACTED,
      privateChallengeParameters: REDACTED,
      TemporaryPassword: REDACTED,
    });
  });

  it('keeps only the last 4 digits of a phone number', () => {
    expect(maskPhoneNumber('+447700900123')).toBe('+********0123');
    expect(JSON.parse(stringify({ phone_number: '+447700900123' }))).toEqual({
      phone_number: '+********0123',
    });
  });

  it('keeps only the domain of an email address', () => {
    expect(maskEmail('ada.lovelace@example.com')).toBe('***@example.com');
    expect(stringify({ email: 'ada@example.com' })).toBe(
      '{"email":"***@example.com"}',
    );
  });

  it('masks numbers, addresses, ciphertexts and otpauth URIs in free text', () => {
    // Act
    const text = redactText(
      'sent to +49 170 1234567 and ada@example.com: AYADeH6uTyyrDejTfQYlnb36pas otpauth://totp/x?secret=JBSWY3DPEHPK3PXP',
    );

    // Assess
    expect(text).not.toContain('1701234567');
    expect(text).toContain('4567');
    expect(text).not.toContain('ada@');
    expect(text).not.toContain('AYADeH6u');
    expect(text).not.toContain('JBSWY3DP');
  });

  it('leaves timestamps, account ids in ARNs and paths readable', () => {
    // Act
    const text = redactText(
      'at 2026-11-22T22:14:58.576Z key arn:aws:kms:eu-central-1:123456789012:key/abc in file:///app/node_modules/@scope/x.js',
    );

    // Assess
    expect(text).toBe(
      'at 2026-11-22T22:14:58.576Z key arn:aws:kms:eu-central-1:123456789012:key/abc in file:///app/node_modules/@scope/x.js',
    );
  });

  it('masks addresses glued together down to the last domain', () => {
    // Prepare
    const texts = [
      'grace@example.org.ada@example.com',
      'mailto:ada@example.com?cc=bob@example.io',
      'a@b.cd.e@f.gh.i@j.kl and x@y.zz',
    ];

    // Act
    const redacted = texts.map(redactText);

    // Assess
    expect(redacted).toEqual([
      '***@example.com',
      'mailto:***@example.io',
      '***@j.kl and ***@y.zz',
    ]);
  });

  it('masks a bare national number and a unicode address', () => {
    expect(redactText('call 07700900123 now')).toBe('call +*******0123 now');
    expect(redactText('to jürgen.müller@bücher.de')).toBe('to ***@bücher.de');
  });

  it('masks every address the Unicode-property pattern matched, and the symbols glued to it', () => {
    // The pattern written with \\p{L}\\p{M}\\p{N}, which cost every cold start
    // 2.4 ms: the reference for what must stay masked.
    const unicodeProperties =
      /(?:"[^"\n]*"|(?<![\p{L}\p{M}\p{N}._%+!#$&'*=?^`{|}~/-])[\p{L}\p{M}\p{N}._%+!#$&'*=?^`{|}~/-]+)@([\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)*\.\p{L}{2,})/gu;
    const piece = fc.constantFrom(
      ...'aZ9_.-+/@"“”: \n\t,;()<>[]\u00e9\u0301\u4e2d\u0661\u00a0\u3002\u2026\u{1d49c}\u{1f600}'.split(
        /(?:)/u,
      ),
      'ada',
      'example',
      '.com',
      '.de',
      '@example.com',
    );

    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        const masked = redactText(text);
        for (const [address] of text.matchAll(unicodeProperties)) {
          expect(masked).not.toContain(address);
        }
      }),
      { numRuns: 3000 },
    );
    expect(redactText('“ada@example.com” or →grace@example.org')).toBe(
      '***@example.com” or ***@example.org',
    );
  });

  it('masks a code or a phone number glued to an address, whatever the glue', () => {
    // Prepare: non-ASCII punctuation is part of a local part, so an address
    // must never swallow the word `code` or a number's digits first
    // (at least one character after `code`: `codea@b.de` is no code word)
    const glue = fc.constantFrom(
      ' ',
      '→',
      '·',
      '–',
      '：',
      '=',
      '…',
      '\u00a0',
      '«',
    );
    const address = fc.constantFrom(
      'a@b.de',
      'ada@example.com',
      'jürgen@bücher.de',
    );

    fc.assert(
      fc.property(
        glue,
        fc.oneof(fc.constant(''), glue),
        address,
        fc.integer({ min: 100000, max: 99999999 }),
        fc.integer({ min: 10000000, max: 99999999 }),
        (before, after, mail, code, subscriber) => {
          const number = `+49 151 ${subscriber}`;
          const text = [
            // (the code pattern allows 16 characters between word and code)
            `code${before}a@b.de${after} ${code}`,
            `call ${number}${before}${mail}`,
            `${mail}${after}${number}`,
          ].join(' | ');

          const masked = redactText(text);

          // No code, and no number beyond a mask's last four digits (a
          // mask may end in 151 when the subscriber number does)
          expect(masked).not.toMatch(/\d{5,}|(?<!\d)151 /);
          expect(masked).not.toMatch(/ada@|a@b|jürgen@/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('recognizes secret keys however they are spelt', () => {
    // Act
    const line = stringify({
      temporary_password: 'Tq7"697\\zP!',
      tempPassword: 'x1',
      totpSecretBase32: 'JBSWY3DPEHPK3PXP',
      codeParameter: '{####}',
      ct: { B: new Uint8Array([1, 2, 3]) },
      smsMessage: 'Your code is 839201',
      phone: 447700900123,
      phoneNumber: 447700900123,
    });

    // Assess
    expect(line).not.toMatch(/Tq7|x1|JBSWY3DP|\{####\}|839201|"B"/);
    expect(line).not.toContain('447700900123');
  });

  it('masks quoted and composed addresses, long base64 and codes in free text', () => {
    // Act
    const text = redactText(
      [
        'to "grace hopper"@example.com',
        'to andre\u0301@example.com and ada/lovelace@example.com',
        'blob AQICAHhkZXJlYWxseWxvbmdrbXNjaXBoZXJ0ZXh0YmxvYjEyMzQ1Njc4OQ==',
        'v2 AgV4bG9uZ2VzZGt2Mm1lc3NhZ2VBYmNkRWZnaDEyMzQ1Njc4OTA',
        'your code is 839201',
      ].join(' | '),
    );

    // Assess
    expect(text).not.toMatch(/grace|andre|lovelace|AQICAH|AgV4|839201/);
    expect(text).toContain('***@example.com');
  });

  it('logs an error as its name, masked message, stack and cause, never its other fields', () => {
    // Prepare
    const cause = Object.assign(new Error('conditional request failed'), {
      name: 'ConditionalCheckFailedException',
      Item: { pk: { S: 'velocity#sms_per_phone#%2B447700900123#1' } },
      $metadata: { httpStatusCode: 400, requestId: 'r-1', cfId: 'x' },
    });
    const error = new Error('velocity counter update failed', { cause });

    // Act
    const line = stringify({ error });

    // Assess
    expect(line).not.toContain('447700900123');
    expect(line).not.toContain('Item');
    expect(JSON.parse(line).error.cause).toMatchObject({
      name: 'ConditionalCheckFailedException',
      $metadata: { httpStatusCode: 400, requestId: 'r-1' },
    });
  });

  it('keeps what operators need: request ids, error codes, names about secrets, ticket numbers', () => {
    // Prepare
    const requestId = 'IF3IJNU7PDSGGJAGLIM47NLJAJVV4KQNSO5AEMVJF66Q9ASUAAJG';
    const error = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      $metadata: { requestId },
    });

    // Act
    const line = stringify({
      error,
      secretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:x',
      answerCorrect: true,
      text: 'ticket #48213 and status code 503',
    });

    // Assess
    const parsed = JSON.parse(line);
    expect(parsed.error).toMatchObject({
      errorCode: 'ECONNREFUSED',
      syscall: 'connect',
      $metadata: { requestId },
    });
    expect(parsed.secretArn).toContain('arn:aws:secretsmanager');
    expect(parsed.answerCorrect).toBe(true);
    expect(parsed.text).toBe('ticket #48213 and status code 503');
  });

  it('takes hashedPassword for a secret and hasSecret for a yes/no, and knows more code and token keys', () => {
    // Act
    const parsed = JSON.parse(
      stringify({
        hashedPassword: 'h4sh',
        hasSecret: true,
        isPasswordSet: false,
        otpCode: '839201',
        mfaCode: '839202',
        pin: '8392',
        idToken: 'eyJ.x.y',
        refreshToken: 'r-1',
      }),
    );

    // Assess
    expect(parsed).toEqual({
      hashedPassword: REDACTED,
      hasSecret: true,
      isPasswordSet: false,
      otpCode: REDACTED,
      mfaCode: REDACTED,
      pin: REDACTED,
      idToken: REDACTED,
      refreshToken: REDACTED,
    });
  });

  it('masks a code after a word ending in "code", as German writes it', () => {
    // Act
    const text = redactText('Ihr Bestätigungscode lautet 839201.');

    // Assess
    expect(text).toBe('Ihr Bestätigungscode lautet [REDACTED].');
  });

  it('logs an error whose cause leads back to it, without end', () => {
    // Prepare
    const error = new Error('outer');
    const inner = new Error('inner', { cause: error });
    Object.defineProperty(error, 'cause', { value: inner });

    // Act
    const line = stringify({ error });

    // Assess
    expect(JSON.parse(line).error.cause.name).toBe('Error');
  });

  it('never lets an E.164 number through, wherever it stands', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\+[1-9]\d{7,14}$/),
        fc.string(),
        fc.string(),
        (phone, before, after) => {
          const line = stringify({ message: `${before} ${phone} ${after}` });
          return !line.includes(phone.slice(1));
        },
      ),
    );
  });
});
