import { randomBytes, randomUUID } from 'node:crypto';
import {
  hashRecoveryCodes,
  type RecoveryCodeSet,
} from '../../shared/crypto/otp-recovery';

/**
 * Fixtures for tests of the TOTP record's writes against the local stack:
 * one active secret, and a fresh record key per call.
 */

export const NOW = Math.floor(Date.now() / 1000);
export const CT = new Uint8Array([1, 2, 3, 4]);
export const ACTIVE = {
  ct: CT,
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  activatedAt: NOW,
} as const;

/**
 * A record of its own in the TOTP table.
 *
 * @param table - the TOTP table's name
 * @param prefix - names the test file in the key
 */
export function freshRecord(table: string | undefined, prefix: string) {
  return { table: table ?? '', key: `totp#${prefix}#${randomUUID()}` };
}

/**
 * A recovery code set as the store keeps it: keyed hashes and a stand-in
 * for the sealed key (the store never opens it).
 *
 * @param codes - the plaintext codes
 */
export function storedRecoverySet(codes: readonly string[]): RecoveryCodeSet {
  return {
    ...hashRecoveryCodes(codes, randomBytes(32)),
    key: new Uint8Array(randomBytes(16)),
  };
}
