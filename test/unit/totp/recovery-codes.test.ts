import { describe, expect, it } from 'vitest';
import {
  findRecoveryCode,
  generateRecoveryCodes,
  hashRecoveryCodes,
  normalizeRecoveryCode,
} from '../../../shared/crypto/otp-recovery';
import { trackSecret } from '../../support/secrets';

describe('recovery codes', () => {
  it('generates distinct codes in the canonical format', () => {
    // Act
    const codes = generateRecoveryCodes(10);
    trackSecret(...codes);

    // Assess
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(normalizeRecoveryCode(code)).toBe(code);
    }
  });

  it('stores only salted hashes and finds each code by its hash', async () => {
    // Prepare
    const codes = generateRecoveryCodes(3);
    trackSecret(...codes);

    // Act
    const set = await hashRecoveryCodes(codes);
    const found = await Promise.all(
      codes.map((code) => findRecoveryCode(code, set)),
    );

    // Assess
    expect(JSON.stringify(set)).not.toContain(codes[0]);
    expect(found).toEqual(['c0', 'c1', 'c2']);
  });

  it('finds nothing for another code or under another salt', async () => {
    // Prepare
    const [code, other] = generateRecoveryCodes(2) as [string, string];
    trackSecret(code, other);
    const set = await hashRecoveryCodes([code]);
    const resalted = await hashRecoveryCodes([code]);

    // Act
    const result = await findRecoveryCode(other, set);

    // Assess
    expect(result).toBeUndefined();
    expect(resalted.hashes.c0).not.toBe(set.hashes.c0);
  });
});
