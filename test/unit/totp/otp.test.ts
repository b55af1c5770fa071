import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  generateOtpSecret,
  matchOtp,
  type OtpAlgorithm,
  otpauthUri,
  otpForStep,
  timeStepAt,
} from '../../../shared/crypto/otp';
import { trackSecret } from '../../support/secrets';

// RFC 6238 Appendix B: the seeds are ASCII digits, 20/32/64 bytes long.
const SEEDS: Record<OtpAlgorithm, string> = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
};
const VECTORS: Array<[number, Record<OtpAlgorithm, string>]> = [
  [59, { SHA1: '94287082', SHA256: '46119246', SHA512: '90693936' }],
  [1111111109, { SHA1: '07081804', SHA256: '68084774', SHA512: '25091201' }],
  [1111111111, { SHA1: '14050471', SHA256: '67062674', SHA512: '99943326' }],
  [1234567890, { SHA1: '89005924', SHA256: '91819424', SHA512: '93441116' }],
  [2000000000, { SHA1: '69279037', SHA256: '90698825', SHA512: '38618901' }],
  [20000000000, { SHA1: '65353130', SHA256: '77737706', SHA512: '47863826' }],
];
const base32 = (seed: string) => Secret.fromLatin1(seed).base32;

describe('RFC 6238 Appendix B', () => {
  for (const [time, expected] of VECTORS) {
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
      it(`gives ${expected[algorithm]} at T=${time} with ${algorithm}`, () => {
        // Prepare
        const parameters = { algorithm, digits: 8, period: 30 };
        const step = timeStepAt(30, time * 1000);

        // Act
        const code = otpForStep(base32(SEEDS[algorithm]), parameters, step);

        // Assess
        expect(code).toBe(expected[algorithm]);
        expect(
          matchOtp({
            secret: base32(SEEDS[algorithm]),
            parameters,
            code: expected[algorithm],
            window: 0,
            now: time * 1000,
          }),
        ).toBe(step);
      });
    }
  }
});

describe('matchOtp window', () => {
  // Fixed, so that every run judges the same codes: with a random secret,
  // a code of one step equals a neighbour's now and then (once in a million),
  // and the window would then answer with the neighbour's step.
  const secret = base32(SEEDS.SHA1);
  const parameters = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
  const now = 1_800_000_000_000;
  const current = timeStepAt(30, now);

  it('has a different code for each step T−3 … T+3 (fixture check)', () => {
    // Act
    const codes = [-3, -2, -1, 0, 1, 2, 3].map((offset) =>
      otpForStep(secret, parameters, current + offset),
    );

    // Assess
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each([
    [-1, true],
    [0, true],
    [1, true],
    [-2, false],
    [2, false],
  ])('with window 1, a code of step T%+d matches: %s', (offset, isAccepted) => {
    // Prepare
    trackSecret(secret);
    const code = otpForStep(secret, parameters, current + offset);
    trackSecret(code);

    // Act
    const step = matchOtp({ secret, parameters, code, window: 1, now });

    // Assess
    expect(step).toBe(isAccepted ? current + offset : undefined);
  });

  it('accepts T−2 once the window is widened to 2', () => {
    // Prepare
    const code = otpForStep(secret, parameters, current - 2);
    trackSecret(secret, code);

    // Act
    const step = matchOtp({ secret, parameters, code, window: 2, now });

    // Assess
    expect(step).toBe(current - 2);
  });

  it('rejects a code of the right length that is no window code', () => {
    // Prepare
    trackSecret(secret);
    const window = new Set(
      [-1, 0, 1].map((offset) =>
        otpForStep(secret, parameters, current + offset),
      ),
    );
    let candidate = 0;
    while (window.has(String(candidate).padStart(6, '0'))) candidate += 1;
    const code = String(candidate).padStart(6, '0');

    // Act
    const step = matchOtp({ secret, parameters, code, window: 1, now });

    // Assess
    expect(step).toBeUndefined();
  });
});

describe('generateOtpSecret', () => {
  it.each([
    ['SHA1', 20],
    ['SHA256', 32],
    ['SHA512', 64],
  ] as const)('makes a %s secret of %d random bytes', (algorithm, size) => {
    // Act
    const first = generateOtpSecret(algorithm);
    const second = generateOtpSecret(algorithm);
    trackSecret(first, second);

    // Assess
    expect(Secret.fromBase32(first).bytes).toHaveLength(size);
    expect(first).not.toBe(second);
  });
});

describe('otpauthUri', () => {
  it('writes issuer, label, secret and parameters', () => {
    // Prepare
    const secret = generateOtpSecret('SHA256');
    trackSecret(secret);

    // Act
    const uri = otpauthUri({
      issuer: 'Example',
      label: 'ada@example.com',
      secret,
      parameters: { algorithm: 'SHA256', digits: 8, period: 30 },
    });

    // Assess
    const url = new URL(uri);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('algorithm')).toBe('SHA256');
    expect(url.searchParams.get('digits')).toBe('8');
    expect(url.searchParams.get('period')).toBe('30');
    expect(url.searchParams.get('issuer')).toBe('Example');
  });
});
