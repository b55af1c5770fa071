import {
  randomBytes,
  randomInt,
  type ScryptOptions,
  scrypt,
} from 'node:crypto';
import { constantTimeEqual } from './constant-time';

/**
 * Single-use recovery codes: shown once, stored only as salted scrypt
 * hashes.
 *
 * A code is 10 characters from a 31-letter alphabet (about 49.5 bits), so a
 * moderate scrypt cost already puts an offline search of one stolen hash set
 * out of reach, while hashing ten codes stays fast enough for a synchronous
 * Cognito trigger. One random salt per set; one scrypt per verification.
 */

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUP = 5;
const SCRYPT: ScryptOptions = { N: 8192, r: 8, p: 1, maxmem: 32 * 1024 * 1024 };
const KEY_LENGTH = 32;
const FORMAT = new RegExp(`^[${ALPHABET}]{${GROUP}}-?[${ALPHABET}]{${GROUP}}$`);

/** A stored set of recovery code hashes (base64url), keyed by code id. */
export interface RecoveryCodeSet {
  readonly salt: string;
  readonly hashes: Readonly<Record<string, string>>;
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

function hashCode(code: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(code, salt, KEY_LENGTH, SCRYPT, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes a set of codes with one fresh salt.
 *
 * @param codes - the plaintext codes (canonical form)
 */
export async function hashRecoveryCodes(
  codes: readonly string[],
): Promise<RecoveryCodeSet> {
  const salt = randomBytes(16);
  const keys = await Promise.all(codes.map((code) => hashCode(code, salt)));
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
 * @returns the id of the matching code, or `undefined`
 */
export async function findRecoveryCode(
  code: string,
  set: RecoveryCodeSet,
): Promise<string | undefined> {
  const key = await hashCode(code, Buffer.from(set.salt, 'base64url'));
  let found: string | undefined;
  for (const [id, hash] of Object.entries(set.hashes)) {
    const isEqual = constantTimeEqual(key, Buffer.from(hash, 'base64url'));
    if (isEqual && found === undefined) found = id;
  }
  return found;
}
