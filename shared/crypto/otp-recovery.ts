import {
  createHmac,
  randomBytes,
  randomInt,
  type ScryptOptions,
  scrypt,
} from 'node:crypto';
import { constantTimeEqual } from './constant-time';

/**
 * Single-use recovery codes: shown once, stored only as hashes.
 *
 * A code is 10 characters from a 31-letter alphabet (about 49.5 bits). A set
 * is hashed with HMAC-SHA-256 under a random key of its own, which is stored
 * only sealed with the TOTP KMS key for the set's owner (see
 * shared/totp/recovery.ts). A stolen table is then no offline target at all
 * without that key; whoever can decrypt with it can also decrypt the TOTP
 * secret, which is the factor itself. Hashing ten codes costs microseconds.
 *
 * Sets stored before carry no key: salted scrypt hashes. Ten of them took
 * about 0.2 s of CPU and 30 MB of memory to make on the bench machine, and
 * Lambda gives a 256 MB function about a seventh of a vCPU (a full one at
 * 1,769 MB): over a second of a synchronous trigger's 5. Such sets are
 * still checked (one scrypt), never made any more.
 */

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUP = 5;
const SCRYPT: ScryptOptions = { N: 8192, r: 8, p: 1, maxmem: 32 * 1024 * 1024 };
const KEY_LENGTH = 32;
const FORMAT = new RegExp(`^[${ALPHABET}]{${GROUP}}-?[${ALPHABET}]{${GROUP}}$`);

/** A stored set of recovery code hashes (base64url), keyed by code id. */
export interface RecoveryCodeSet {
  /** Random per set: also what names the set in a conditional write. */
  readonly salt: string;
  readonly hashes: Readonly<Record<string, string>>;
  /**
   * The set's HMAC key, sealed with the TOTP KMS key (opaque here). Absent
   * in a set of scrypt hashes.
   */
  readonly key?: Uint8Array;
}

/**
 * Generates fresh recovery codes, e.g. `k7m2p-xq4rt`.
 *
 * @param count - how many
 */
export function generateRecoveryCodes(count: number): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from(
      { length: GROUP * 2 },
      () => ALPHABET[randomInt(0, ALPHABET.length)],
    ).join('');
    return `${chars.slice(0, GROUP)}-${chars.slice(GROUP)}`;
  });
}

/**
 * Normalizes a typed recovery code (case, surrounding space, dash).
 *
 * @param answer - what the user typed
 * @returns the canonical form, or `undefined` if it is not shaped like one
 */
export function normalizeRecoveryCode(answer: string): string | undefined {
  const candidate = answer.trim().toLowerCase();
  if (!FORMAT.test(candidate)) return undefined;
  const bare = candidate.replace('-', '');
  return `${bare.slice(0, GROUP)}-${bare.slice(GROUP)}`;
}

function scryptCode(code: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(code, salt, KEY_LENGTH, SCRYPT, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

const hmacCode = (code: string, salt: Buffer, key: Uint8Array) =>
  createHmac('sha256', key).update(salt).update(code).digest();

/**
 * Hashes a set of codes under the set's key, with a fresh salt.
 *
 * @param codes - the plaintext codes (canonical form)
 * @param key - the set's HMAC key (32 random bytes), never stored in clear
 * @returns the set without its key: the caller adds the sealed key
 */
export function hashRecoveryCodes(
  codes: readonly string[],
  key: Uint8Array,
): { readonly salt: string; readonly hashes: Record<string, string> } {
  const salt = randomBytes(16);
  const hashes: Record<string, string> = {};
  codes.forEach((code, index) => {
    hashes[`c${index}`] = hmacCode(code, salt, key).toString('base64url');
  });
  return { salt: salt.toString('base64url'), hashes };
}

/**
 * A set in the earlier format (salted scrypt, no key): what older records
 * hold. Only tests make one now.
 *
 * @param codes - the plaintext codes (canonical form)
 */
export async function hashRecoveryCodesWithScrypt(
  codes: readonly string[],
): Promise<RecoveryCodeSet> {
  const salt = randomBytes(16);
  const keys = await Promise.all(codes.map((code) => scryptCode(code, salt)));
  const hashes: Record<string, string> = {};
  keys.forEach((key, index) => {
    hashes[`c${index}`] = key.toString('base64url');
  });
  return { salt: salt.toString('base64url'), hashes };
}

/**
 * Finds which stored code a candidate is, comparing against every hash in
 * constant time.
 *
 * @param code - the canonical candidate (see {@link normalizeRecoveryCode})
 * @param set - the stored hashes
 * @param key - the set's HMAC key, opened; none for a set without one
 *   (scrypt)
 * @returns the id of the matching code, or `undefined`
 * @throws Error when the set has a key and none is given
 */
export async function findRecoveryCode(
  code: string,
  set: RecoveryCodeSet,
  key?: Uint8Array,
): Promise<string | undefined> {
  if (set.key !== undefined && key === undefined) {
    throw new Error('recovery code set: key not opened');
  }
  const salt = Buffer.from(set.salt, 'base64url');
  const hash = key ? hmacCode(code, salt, key) : await scryptCode(code, salt);
  let found: string | undefined;
  for (const [id, stored] of Object.entries(set.hashes)) {
    const isEqual = constantTimeEqual(hash, Buffer.from(stored, 'base64url'));
    if (isEqual && found === undefined) found = id;
  }
  return found;
}
