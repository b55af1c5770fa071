import { TriggerError } from '../errors';

/**
 * Why a Cognito `code` could not be used. `kms_unavailable`,
 * `kms_access_denied` and `kms_key_unusable` are retried (Lambda's retries,
 * then the dead-letter queue keeps the event): access is often denied only
 * for a while, as a new role or key policy propagates after a deployment,
 * and otherwise it is a setting an operator fixes (a role, a key policy, a
 * disabled key, a key whose deletion can still be cancelled), after which
 * the queued event can be sent. Every
 * other class is terminal: trying again cannot help, so nothing is sent and
 * the event is not retried.
 */
export type DecryptFailure =
  | 'missing_code'
  | 'malformed_base64'
  | 'malformed_message'
  | 'kms_access_denied'
  | 'kms_key_unusable'
  | 'wrong_key'
  | 'context_mismatch'
  | 'kms_unavailable';

/** What an operator should check, per failure class (logged). */
export const DECRYPT_HINTS: Readonly<Record<DecryptFailure, string>> = {
  missing_code: 'the event has no request.code; nothing to send',
  malformed_base64:
    'request.code is not base64; the event did not come from Cognito',
  malformed_message:
    'request.code is not a valid, untampered AWS Encryption SDK message',
  kms_access_denied:
    'the function role lacks kms:Decrypt on KMS_KEY_ARN for this userpool-id encryption context (check the role and the key policy); Lambda will retry, then the dead-letter queue keeps the event',
  kms_key_unusable:
    'KMS_KEY_ARN is disabled, pending deletion or not found (check the key state and the ARN); Lambda will retry, then the dead-letter queue keeps the event',
  wrong_key:
    "the code was encrypted under a KMS key other than KMS_KEY_ARN (check the pool's LambdaConfig.KMSKeyID)",
  context_mismatch:
    'the userpool-id in the encryption context is not this event userPoolId; refusing a code minted for another pool',
  kms_unavailable: 'KMS was throttled or unreachable; Lambda will retry',
};

/** A decrypt failure, classified. */
export class DecryptError extends TriggerError {
  override name = 'DecryptError';
  /** The failure class (a stable code, used in logs and metrics). */
  readonly failure: DecryptFailure;
  /** Whether a later retry may succeed (KMS throttled, unreachable, or denying access for now). */
  readonly isTransient: boolean;

  /**
   * @param failure - the class
   * @param options - standard `ErrorOptions` (keeps `cause`)
   */
  constructor(failure: DecryptFailure, options?: ErrorOptions) {
    super(`cannot decrypt code: ${failure}`, options);
    this.failure = failure;
    this.isTransient =
      failure === 'kms_unavailable' ||
      failure === 'kms_access_denied' ||
      failure === 'kms_key_unusable';
  }
}

const KMS_FAILED = /one or more KMS CMKs had an error/;
const ACCESS_DENIED = /AccessDenied|NotAuthorized|UnrecognizedClient/;
const KMS_TRANSIENT =
  /Throttl|TooManyRequests|KMSInternal|DependencyTimeout|KeyUnavailable|ServiceUnavailable|InternalFailure|ECONN|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|socket hang up|TimeoutError|AbortError/;
// The key itself cannot be used now: disabled, pending deletion (both can
// be undone), or not found (a wrong ARN, which a redeploy fixes).
const KEY_UNUSABLE = /NotFoundException|DisabledException|KMSInvalidState/;
const NO_DATA_KEY =
  /unencryptedDataKey has not been set|Unencrypted data key not set|IncorrectKey|InvalidCiphertext/;

/**
 * Maps whatever the Encryption SDK threw to a failure class. KMS errors
 * arrive folded into one message ("… one or more KMS CMKs had an error …"),
 * so the class is read from that text.
 *
 * @param error - the error thrown by `decrypt`
 */
export function classifyDecryptError(error: unknown): DecryptFailure {
  const text =
    error instanceof Error ? `${error.name} ${error.message}` : String(error);
  if (KMS_FAILED.test(text) || ACCESS_DENIED.test(text)) {
    if (ACCESS_DENIED.test(text)) return 'kms_access_denied';
    if (KMS_TRANSIENT.test(text)) return 'kms_unavailable';
    if (KEY_UNUSABLE.test(text)) return 'kms_key_unusable';
    return 'wrong_key';
  }
  if (KMS_TRANSIENT.test(text)) return 'kms_unavailable';
  if (NO_DATA_KEY.test(text)) return 'wrong_key';
  return 'malformed_message';
}
