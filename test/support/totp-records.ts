import { randomUUID } from 'node:crypto';

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
