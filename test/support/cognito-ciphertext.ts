import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  KmsKeyringNode,
} from '@aws-crypto/client-node';
import { KMS } from '@aws-sdk/client-kms';

/**
 * Makes a custom-sender `code` the way Cognito does: an AWS Encryption SDK
 * message, format v1, algorithm suite 0x0378
 * (ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384, non-committing and
 * signed), encryption context `{"userpool-id": <pool>}`, one data key from a
 * KMS keyring (GenerateDataKey under the pool's key), base64-encoded.
 *
 * Encrypting with a non-committing suite needs FORBID_ENCRYPT_ALLOW_DECRYPT.
 */
const { encrypt } = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);

export interface CognitoCiphertextInput {
  /** Full ARN of the pool's KMS key (LambdaConfig.KMSKeyID). */
  keyArn: string;
  /** The pool the code is for; goes into the encryption context. */
  userPoolId: string;
  /** The code or temporary password (Cognito HTML-escapes `<` and `>`). */
  plaintext: string;
  /** KMS endpoint; defaults to the SDK's resolution (AWS_ENDPOINT_URL). */
  endpoint?: string;
}

/**
 * Encrypts like Cognito; the result starts with `AYADe`.
 *
 * @param input - key, pool and plaintext
 * @returns the base64 ESDK message
 */
export async function encryptLikeCognito(
  input: CognitoCiphertextInput,
): Promise<string> {
  return encryptUnderKeys(input, []);
}

/**
 * Encrypts like Cognito, but wraps the data key under more KMS keys too, so
 * the message carries one encrypted data key per key (the pool's first).
 * Cognito never writes more than one: this is what a decryptor limited to
 * one data key must refuse.
 *
 * @param input - key, pool and plaintext
 * @param extraKeyArns - full ARNs of the other keys to wrap the data key under
 * @returns the base64 ESDK message
 */
export async function encryptWithExtraDataKeys(
  input: CognitoCiphertextInput,
  extraKeyArns: readonly string[],
): Promise<string> {
  return encryptUnderKeys(input, extraKeyArns);
}

async function encryptUnderKeys(
  input: CognitoCiphertextInput,
  extraKeyArns: readonly string[],
): Promise<string> {
  const keyring = new KmsKeyringNode({
    generatorKeyId: input.keyArn,
    ...(extraKeyArns.length > 0 ? { keyIds: [...extraKeyArns] } : {}),
    clientProvider: (region: string) =>
      new KMS({
        region,
        ...(input.endpoint ? { endpoint: input.endpoint } : {}),
      }),
  });
  const { result } = await encrypt(keyring, input.plaintext, {
    encryptionContext: { 'userpool-id': input.userPoolId },
    suiteId:
      AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
  });
  return Buffer.from(result).toString('base64');
}

/** Cognito's escaping of a temporary password before it encrypts it. */
export function escapeLikeCognito(password: string): string {
  return password.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
