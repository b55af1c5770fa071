import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  findRecoveryCode,
  generateRecoveryCodes,
  hashRecoveryCodes,
  hashRecoveryCodesWithScrypt,
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

  it('stores only keyed hashes and finds each code with the set key', async () => {
    // Prepare
    const codes = generateRecoveryCodes(3);
    trackSecret(...codes);
    const key = randomBytes(32);

    // Act
    const set = hashRecoveryCodes(codes, key);
    const found = await Promise.all(
      codes.map((code) => findRecoveryCode(code, set, key)),
    );

    // Assess
    expect(JSON.stringify(set)).not.toContain(codes[0]);
    expect(found).toEqual(['c0', 'c1', 'c2']);
  });

  it('finds nothing for another code, under another key or another salt', async () => {
    // Prepare
    const [code, other] = generateRecoveryCodes(2) as [string, string];
    trackSecret(code, other);
    const key = randomBytes(32);
    const set = hashRecoveryCodes([code], key);
    const resalted = hashRecoveryCodes([code], key);

    // Act
    const results = await Promise.all([
      findRecoveryCode(other, set, key),
      findRecoveryCode(code, set, randomBytes(32)),
    ]);

    // Assess
    expect(results).toEqual([undefined, undefined]);
    expect(resalted.hashes.c0).not.toBe(set.hashes.c0);
  });

  it('refuses to check a keyed set whose key was not opened', async () => {
    // Prepare
    const [code] = generateRecoveryCodes(1) as [string];
    trackSecret(code);
    const set = {
      ...hashRecoveryCodes([code], randomBytes(32)),
      key: new Uint8Array([1, 2, 3]),
    };

    // Act
    const attempt = findRecoveryCode(code, set);

    // Assess
    await expect(attempt).rejects.toThrow('key not opened');
  });

  it('still finds the codes of a set stored with scrypt hashes (no key)', async () => {
    // Prepare
    const [code, other] = generateRecoveryCodes(2) as [string, string];
    trackSecret(code, other);
    const set = await hashRecoveryCodesWithScrypt([code, other]);

    // Act
    const found = await Promise.all([
      findRecoveryCode(other, set),
      findRecoveryCode('zzzzz-zzzzz', set),
    ]);

    // Assess
    expect(set.key).toBeUndefined();
    expect(found).toEqual(['c1', undefined]);
  });
});
