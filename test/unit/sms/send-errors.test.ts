import { describe, expect, it } from 'vitest';
import { classifySendError } from '../../../shared/sms/send-errors';

const sdkError = (
  name: string,
  status: number,
  extra: Record<string, unknown> = {},
) =>
  Object.assign(new Error(String(extra.message ?? name)), {
    name,
    $metadata: { httpStatusCode: status },
    ...extra,
  });

describe('send error classification', () => {
  it.each([
    [sdkError('Throttling', 400), 'retry', 'throttling'],
    [sdkError('ThrottlingException', 400), 'retry', 'throttling'],
    [sdkError('InternalErrorException', 500), 'retry', 'server'],
    [sdkError('ServiceUnavailable', 503), 'retry', 'server'],
    [
      Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
      'retry',
      'network',
    ],
    [
      sdkError('ValidationException', 400, {
        Reason: 'INVALID_IDENTITY_FOR_DESTINATION_COUNTRY',
      }),
      'next-route',
      'identity_unusable',
    ],
    [
      sdkError('ResourceNotFoundException', 400),
      'next-route',
      'identity_unusable',
    ],
    [
      sdkError('ValidationException', 400, {
        Reason: 'SENDER_ID_REQUIRES_REGISTRATION',
      }),
      'next-route',
      'identity_unusable',
    ],
    [
      sdkError('ValidationException', 400, {
        Reason: 'INTERNATIONAL_SENDING_NOT_SUPPORTED',
      }),
      'next-route',
      'identity_unusable',
    ],
    [
      sdkError('ConflictException', 400, {
        Reason: 'NUMBER_CAPABILITIES_MISMATCH',
      }),
      'next-route',
      'identity_unusable',
    ],
    [
      sdkError('ConflictException', 400, {
        Reason: 'REGISTRATION_NOT_COMPLETE',
      }),
      'next-route',
      'identity_unusable',
    ],
    [
      sdkError('ConflictException', 400, { Reason: 'RESOURCE_NOT_ACTIVE' }),
      'next-route',
      'identity_unusable',
    ],
    [
      sdkError('ConflictException', 400, {
        Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
      }),
      'stop',
      'opted_out',
    ],
    [
      sdkError('ConflictException', 400, {
        Reason: 'DESTINATION_PHONE_NUMBER_NOT_VERIFIED',
      }),
      'stop',
      'sandbox_unverified',
    ],
    [
      sdkError('ServiceQuotaExceededException', 400, {
        Reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT',
      }),
      'stop',
      'spend_limit',
    ],
    [
      sdkError('InvalidParameter', 400, {
        message: 'Phone number is opted out',
      }),
      'stop',
      'opted_out',
    ],
    [
      Object.assign(
        new Error(
          '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 1000 ms.',
        ),
        { name: 'TimeoutError' },
      ),
      'retry',
      'network',
    ],
    [
      Object.assign(
        new Error(
          '@smithy/node-http-handler - the request socket timed out after 2000 ms of inactivity (configured by client requestHandler).',
        ),
        { name: 'TimeoutError' },
      ),
      'ambiguous',
      'unknown',
    ],
    [sdkError('AuthorizationError', 403), 'stop', 'access_denied'],
    [sdkError('InvalidParameterValue', 400), 'stop', 'validation'],
    [new SyntaxError('Unexpected token'), 'ambiguous', 'unknown'],
  ])('classifies %s', (error, action, errorClass) => {
    // Act
    const verdict = classifySendError(error);

    // Assess
    expect(verdict).toEqual({ action, errorClass });
  });

  it('treats our own timeout as ambiguous: the request may have been delivered', () => {
    // Act
    const verdict = classifySendError(
      Object.assign(new Error('aborted'), { name: 'AbortError' }),
      true,
    );

    // Assess
    expect(verdict).toEqual({ action: 'ambiguous', errorClass: 'timeout' });
  });
});
