import { describe, expect, it } from 'vitest';
import { isWellFormedBase64 } from '../../../shared/crypto/code-decryptor';
import {
  classifyDecryptError,
  DecryptError,
} from '../../../shared/crypto/decrypt-errors';

const kmsFailure = (inner: string) =>
  new Error(
    `Unable to decrypt data key and one or more KMS CMKs had an error. \n  Error #1 \n ${inner}: details \n`,
  );

describe('decrypt failure classification', () => {
  it.each([
    [kmsFailure('AccessDeniedException'), 'kms_access_denied'],
    [kmsFailure('ThrottlingException'), 'kms_unavailable'],
    [kmsFailure('Error: connect ECONNREFUSED 127.0.0.1:9'), 'kms_unavailable'],
    [kmsFailure('KMSInternalException'), 'kms_unavailable'],
    [kmsFailure('DisabledException'), 'kms_key_unusable'],
    [kmsFailure('KMSInvalidStateException'), 'kms_key_unusable'],
    [kmsFailure('NotFoundException'), 'kms_key_unusable'],
    [kmsFailure('InvalidCiphertextException'), 'wrong_key'],
    [kmsFailure('IncorrectKeyException'), 'wrong_key'],
    [new Error('unencryptedDataKey has not been set'), 'wrong_key'],
    [new Error('Incomplete Header'), 'malformed_message'],
    [new Error('Not a supported message format version.'), 'malformed_message'],
    [new Error('Invalid Signature'), 'malformed_message'],
    ['a string', 'malformed_message'],
  ])('classifies %s as %s', (error, expected) => {
    // Act
    const failure = classifyDecryptError(error);

    // Assess
    expect(failure).toBe(expected);
  });

  it('retries KMS outages and denied access, nothing else', () => {
    // Act
    const outage = new DecryptError('kms_unavailable');
    const denied = new DecryptError('kms_access_denied');
    const mismatch = new DecryptError('context_mismatch');
    const wrongKey = new DecryptError('wrong_key');
    const keyUnusable = new DecryptError('kms_key_unusable');

    // Assess
    expect(outage.isTransient).toBe(true);
    expect(denied.isTransient).toBe(true);
    expect(keyUnusable.isTransient).toBe(true);
    expect(mismatch.isTransient).toBe(false);
    expect(wrongKey.isTransient).toBe(false);
    expect(mismatch.message).toBe('cannot decrypt code: context_mismatch');
  });
});

describe('base64 shape check', () => {
  it.each([
    ['AYADeH6u', true],
    ['AYADeH6uTw==', true],
    ['not base64!', false],
    ['AYADe', false],
    ['', false],
    ['A'.repeat(16_388), false],
  ])('judges %j as %s', (code, expected) => {
    // Act
    const result = isWellFormedBase64(code);

    // Assess
    expect(result).toBe(expected);
  });
});
