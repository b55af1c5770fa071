import { buildDecrypt, type DecryptOutput } from '@aws-crypto/decrypt-node';
import {
  cacheClients,
  getClient,
  KMS,
  KmsKeyringNode,
} from '@aws-crypto/kms-keyring-node';
import {
  CommitmentPolicy,
  NodeDefaultCryptographicMaterialsManager,
  type NodeMaterialsManager,
} from '@aws-crypto/material-management-node';
import { classifyDecryptError, DecryptError } from './decrypt-errors';

export {
  DECRYPT_HINTS,
  DecryptError,
  type DecryptFailure,
} from './decrypt-errors';

/** Decrypts the `code` Cognito hands a custom sender. */
export interface CodeDecryptor {
  /**
   * @param code - `event.request.code` (base64 ESDK message)
   * @param userPoolId - `event.userPoolId`; must equal the `userpool-id`
   *   encryption context
   * @returns the plaintext (a code, or an escaped temporary password)
   * @throws {@link DecryptError} with the failure class
   */
  decrypt(code: string | null | undefined, userPoolId: string): Promise<string>;
}

/** Longest `code` accepted: Cognito's messages are about 600 characters. */
const MAX_CODE_LENGTH = 16_384;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Pure check of the transport encoding, before any KMS call. */
export function isWellFormedBase64(code: string): boolean {
  return (
    code.length > 0 &&
    code.length <= MAX_CODE_LENGTH &&
    code.length % 4 === 0 &&
    BASE64.test(code)
  );
}

type DecryptFn = (
  materials: NodeMaterialsManager,
  ciphertext: Buffer,
) => Promise<DecryptOutput>;

/**
 * The keyring's materials manager, behind a check of the header's
 * `userpool-id` encryption context that runs before any KMS call. The key
 * policy lets the function decrypt only for its own pool, so KMS would
 * answer a code minted for another pool with AccessDenied, a class that is
 * retried; checked here first, that code is refused at once, without a KMS
 * call. The context is read from the header before the header's
 * authentication tag is checked: a forged context naming this pool still
 * fails in KMS, which binds the context to the data key, and the decrypted
 * header's context is checked again afterwards.
 */
function poolBoundMaterials(
  inner: NodeDefaultCryptographicMaterialsManager,
  userPoolId: string,
): NodeMaterialsManager {
  return {
    getEncryptionMaterials: () =>
      Promise.reject(new Error('this materials manager only decrypts')),
    decryptMaterials: (request) =>
      request.encryptionContext['userpool-id'] === userPoolId
        ? inner.decryptMaterials(request)
        : Promise.reject(new DecryptError('context_mismatch')),
  };
}

/** The keyring's KMS client fails a slow call instead of waiting on. */
const KMS_CLIENT_OPTIONS = {
  requestHandler: {
    connectionTimeout: 1000,
    requestTimeout: 2000,
    throwOnRequestTimeout: true,
  },
};

/**
 * Builds the decryptor once per process: a KMS keyring restricted to the
 * pool's key ARN (`keyIds`, which is what matches on decrypt), a commitment
 * policy that accepts Cognito's non-committing format-v1 messages, and at
 * most one encrypted data key (Cognito writes exactly one).
 *
 * @param keyArn - the full ARN of the pool's KMS key (`KMS_KEY_ARN`)
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html
 */
export function createCodeDecryptor(keyArn: string): CodeDecryptor {
  const keyring = new KmsKeyringNode({
    keyIds: [keyArn],
    clientProvider: cacheClients(
      getClient(KMS, {
        customUserAgent: 'AwsEncryptionSdkJavascriptNodejs',
        ...KMS_CLIENT_OPTIONS,
      }),
    ),
  });
  const materials = new NodeDefaultCryptographicMaterialsManager(keyring);
  const { decrypt } = buildDecrypt({
    commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
    maxEncryptedDataKeys: 1,
  }) as { decrypt: DecryptFn };
  return {
    async decrypt(code, userPoolId) {
      if (code === null || code === undefined || code === '') {
        throw new DecryptError('missing_code');
      }
      if (!isWellFormedBase64(code)) throw new DecryptError('malformed_base64');
      let output: DecryptOutput;
      try {
        output = await decrypt(
          poolBoundMaterials(materials, userPoolId),
          Buffer.from(code, 'base64'),
        );
      } catch (error) {
        if (error instanceof DecryptError) throw error;
        throw new DecryptError(classifyDecryptError(error), { cause: error });
      }
      const context = output.messageHeader.encryptionContext;
      if (context['userpool-id'] !== userPoolId) {
        throw new DecryptError('context_mismatch');
      }
      return Buffer.from(output.plaintext).toString('utf8');
    },
  };
}
