import { DependencyError } from '../errors';
import { totpAws } from './dynamo';

/**
 * TOTP secrets at rest: encrypted with the TOTP KMS key under an encryption
 * context that binds each ciphertext to its pool and user, so a ciphertext
 * copied to another user's record does not decrypt.
 */

/** Whom a ciphertext belongs to (its KMS encryption context). */
export interface SecretOwner {
  readonly keyArn: string;
  readonly userPoolId: string;
  readonly sub: string;
}

const contextOf = (owner: SecretOwner) => ({
  'userpool-id': owner.userPoolId,
  sub: owner.sub,
});

function failure(action: string, error: unknown): DependencyError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  return new DependencyError('kms', `TOTP key ${action} failed: ${name}`, {
    cause: error,
    isTransient: !/InvalidCiphertext|IncorrectKey|AccessDenied/.test(name),
  });
}

/**
 * Encrypts a secret for its owner.
 *
 * @param owner - key and encryption context
 * @param plaintext - the secret (UTF-8)
 * @throws DependencyError when KMS fails
 */
export async function sealSecret(
  owner: SecretOwner,
  plaintext: string,
): Promise<Uint8Array> {
  try {
    const { sdk, kms } = await totpAws();
    const output = await kms.send(
      new sdk.EncryptCommand({
        KeyId: owner.keyArn,
        Plaintext: Buffer.from(plaintext, 'utf8'),
        EncryptionContext: contextOf(owner),
      }),
    );
    if (!output.CiphertextBlob) throw new Error('empty ciphertext');
    return output.CiphertextBlob;
  } catch (error) {
    throw failure('encrypt', error);
  }
}

/**
 * Decrypts a secret of its owner; a ciphertext of another pool or user, or a
 * corrupted one, fails.
 *
 * @param owner - key and encryption context
 * @param ciphertext - what {@link sealSecret} returned
 * @throws DependencyError (not transient) when the ciphertext does not open
 */
export async function openSecret(
  owner: SecretOwner,
  ciphertext: Uint8Array,
): Promise<string> {
  try {
    const { sdk, kms } = await totpAws();
    const output = await kms.send(
      new sdk.DecryptCommand({
        KeyId: owner.keyArn,
        CiphertextBlob: ciphertext,
        EncryptionContext: contextOf(owner),
      }),
    );
    if (!output.Plaintext) throw new Error('empty plaintext');
    return Buffer.from(output.Plaintext).toString('utf8');
  } catch (error) {
    throw failure('decrypt', error);
  }
}
