import { randomBytes } from 'node:crypto';
import {
  findRecoveryCode,
  hashRecoveryCodes,
  type RecoveryCodeSet,
} from '../crypto/otp-recovery';
import { DependencyError } from '../errors';
import { logger } from '../logging';
import { countMetric } from '../metrics';
import { openSecret, type SecretOwner, sealSecret } from './secret-box';

/**
 * Recovery code sets with their own HMAC key, sealed with the TOTP KMS key
 * under the owner's encryption context (like the TOTP secret): the hashes
 * of a set copied to another user, or read from a stolen table, cannot be
 * checked against anything.
 *
 * The key's bytes this module holds are wiped after use; its base64url
 * text and the SDK's own buffers are not (JavaScript strings cannot be).
 */

const KEY_BYTES = 32;

/**
 * Hashes fresh codes under a new key and seals the key for their owner.
 *
 * @param owner - the TOTP key and the user the set belongs to
 * @param codes - the plaintext codes (canonical form)
 * @throws DependencyError when KMS fails
 */
export async function newRecoverySet(
  owner: SecretOwner,
  codes: readonly string[],
): Promise<RecoveryCodeSet> {
  const key = randomBytes(KEY_BYTES);
  try {
    const hashed = hashRecoveryCodes(codes, key);
    const sealed = await sealSecret(owner, key.toString('base64url'));
    return { ...hashed, key: sealed };
  } finally {
    key.fill(0);
  }
}

/**
 * Which code of a stored set an answer is: opens the set's key first (a set
 * without one is checked with scrypt, its format before).
 *
 * @param owner - the TOTP key and the user the set belongs to
 * @param code - the canonical candidate
 * @param set - the stored set
 * @returns the code's id, or `undefined`
 * @throws DependencyError when the key does not open (another user's set,
 *   another key, KMS down)
 */
export async function matchRecoveryCode(
  owner: SecretOwner,
  code: string,
  set: RecoveryCodeSet,
): Promise<string | undefined> {
  if (set.key === undefined) {
    // Not bound to its user: counted, so operators see what to reissue.
    countMetric('TotpRecoveryLegacySet');
    return findRecoveryCode(code, set);
  }
  const key = Buffer.from(await openKey(owner, set.key), 'base64url');
  try {
    return await findRecoveryCode(code, set, key);
  } finally {
    key.fill(0);
  }
}

/**
 * Opens a set's key. One that can never open (another user's set, another
 * key) fails every recovery answer of its user until an operator issues a
 * new set: logged and counted apart from a secret that does not open.
 */
async function openKey(
  owner: SecretOwner,
  sealed: Uint8Array,
): Promise<string> {
  try {
    return await openSecret(owner, sealed);
  } catch (error) {
    if (error instanceof DependencyError && !error.isTransient) {
      logger.error('recovery code set unreadable', { reason: error.message });
      countMetric('TotpRecoveryUnreadable');
    }
    throw error;
  }
}
