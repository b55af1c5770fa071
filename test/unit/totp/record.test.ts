import { describe, expect, it } from 'vitest';
import { maskedAccountLabel } from '../../../shared/totp/label';
import { isLockedOut, lockoutSeconds } from '../../../shared/totp/record';
import {
  CorruptRecordError,
  parseRecord,
} from '../../../shared/totp/record-schema';

describe('lockoutSeconds', () => {
  it('doubles with every lockout up to the maximum', () => {
    // Prepare
    const lockout = { baseSeconds: 60, maxSeconds: 600 };

    // Act
    const seconds = [0, 1, 2, 3, 4, 40].map((n) => lockoutSeconds(n, lockout));

    // Assess
    expect(seconds).toEqual([60, 120, 240, 480, 600, 600]);
  });
});

describe('isLockedOut', () => {
  it('is locked strictly before lockedUntil', () => {
    // Act + Assess
    expect(isLockedOut({ lockedUntil: 100 }, 99)).toBe(true);
    expect(isLockedOut({ lockedUntil: 100 }, 100)).toBe(false);
    expect(isLockedOut({}, 100)).toBe(false);
  });
});

describe('parseRecord', () => {
  it('reads an absent item as an empty record', () => {
    // Act
    const record = parseRecord(undefined);

    // Assess
    expect(record).toEqual({ failures: 0, lockouts: 0 });
  });

  it('refuses a corrupted secret, naming the field but not the value', () => {
    // Prepare
    const item = {
      active: {
        ct: 'not-bytes-SECRETVALUE',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        activatedAt: 1,
      },
    };

    // Act
    let error: Error | undefined;
    try {
      parseRecord(item);
    } catch (caught) {
      error = caught as Error;
    }

    // Assess
    expect(error).toBeInstanceOf(CorruptRecordError);
    expect(error?.message).toContain('active.ct');
    expect(error?.message).not.toContain('SECRETVALUE');
  });
});

describe('parseRecord, recovery code sets', () => {
  const set = (extra: Record<string, unknown>) => ({
    recovery: {
      salt: 'a'.repeat(22),
      hashes: { c0: 'b'.repeat(43) },
      ...extra,
    },
  });

  it('reads a set with its sealed key, and one without (scrypt hashes)', () => {
    // Act
    const keyed = parseRecord(set({ key: new Uint8Array([1, 2, 3]) }));
    const legacy = parseRecord(set({}));

    // Assess
    expect(keyed.recovery?.key).toEqual(new Uint8Array([1, 2, 3]));
    expect(legacy.recovery).toBeDefined();
    expect(legacy.recovery?.key).toBeUndefined();
  });

  it.each([
    ['an empty key', new Uint8Array()],
    ['a key as text', 'c2VjcmV0LWtleQ'],
  ])('refuses %s, naming the field but not the value', (_title, key) => {
    // Act
    const attempt = () => parseRecord(set({ key }));

    // Assess
    expect(attempt).toThrow(CorruptRecordError);
    expect(attempt).toThrow('recovery.key');
    expect(attempt).not.toThrow('c2VjcmV0');
  });
});

describe('maskedAccountLabel', () => {
  it.each([
    [{ email: 'ada.lovelace@example.com' }, 'x', 'a***@e***.com'],
    [{}, 'ada.lovelace@example.co.uk', 'a***@e***.uk'],
    [{ phone_number: '+447700900123' }, 'uuid', '+*******0123'],
    [{}, 'ada', 'ad***'],
  ])('masks %j / %s as %s', (attributes, userName, expected) => {
    // Act
    const label = maskedAccountLabel(attributes, userName);

    // Assess
    expect(label).toBe(expected);
  });

  it.each([
    [{ email: '😀x@example.com' }, 'x', '😀***@e***.com'],
    [{ email: 'x@😀.example' }, 'x', 'x***@😀***.example'],
    [{}, 'a😀b', 'a😀***'],
    [{}, '\ud83dab', '\ufffda***'],
  ])(
    'never cuts a character in half: %j / %s',
    (attributes, userName, expected) => {
      // Act
      const label = maskedAccountLabel(attributes, userName);

      // Assess
      expect(label).toBe(expected);
      expect(label.isWellFormed()).toBe(true);
    },
  );
});
