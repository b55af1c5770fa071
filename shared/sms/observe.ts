import {
  DECRYPT_HINTS,
  DecryptError,
  type DecryptFailure,
} from '../crypto/decrypt-errors';
import { logger } from '../logging';
import { countMetric } from '../metrics';
import type { Transport } from '../routing/plan';
import {
  type SenderOutcome,
  TransientSendError,
  UNKNOWN_COUNTRY,
} from './outcome';

/** Static explanations of refusals and failures, for the log. */
const HINTS: Readonly<Record<string, string>> = {
  ...DECRYPT_HINTS,
  invalid_event: 'the event does not have the Custom SMS Sender shape',
  unknown_trigger_source:
    'not a CustomSMSSender_* trigger source; nothing sent',
  invalid_phone_number:
    'userAttributes.phone_number is missing or not a valid E.164 number',
  sandbox_not_verified:
    'SMS_SANDBOX_NUMBERS is set and this number is not on it',
  no_origination_identity:
    'no identity chain for this country and sms.endUserMessaging.missingIdentity is refuse',
  template_error:
    'the SMS template could not be rendered (see the template error)',
  timeout:
    'the provider did not answer in time; it may have delivered, so no retry (no second SMS)',
};

/**
 * Logs and counts a terminal outcome: one log line with the decision and
 * one metric (`SmsSent`, `SmsRefused`, `SmsFailed`, `SmsDuplicateSuppressed`)
 * with transport and country dimensions. Never the code, text or number.
 *
 * @param outcome - how the invocation ended
 */
export function recordOutcome(outcome: SenderOutcome): void {
  const dims = { transport: outcome.transport, country: outcome.country };
  switch (outcome.outcome) {
    case 'sent':
      logger.info(outcome.dryRun ? 'sms dry run: not sent' : 'sms sent', {
        ...outcome,
      });
      countMetric(outcome.dryRun ? 'SmsDryRun' : 'SmsSent', dims);
      if (outcome.localeFallback) {
        countMetric('LocaleFallback', { trigger: 'customSmsSender' });
      }
      return;
    case 'refused':
      logger.warn('sms refused', { ...outcome, hint: HINTS[outcome.reason] });
      countMetric('SmsRefused', { ...dims, reason: outcome.reason });
      return;
    case 'failed':
      logger.error('sms failed (terminal, not retried)', {
        ...outcome,
        hint: HINTS[outcome.errorClass],
      });
      countMetric('SmsFailed', { ...dims, class: outcome.errorClass });
      return;
    case 'duplicate':
      logger.info('sms duplicate suppressed', { ...outcome });
      countMetric('SmsDuplicateSuppressed', dims);
      return;
  }
}

/**
 * Logs and counts a failure that Lambda will retry.
 *
 * @param error - the error about to be thrown
 * @param transport - the configured transport
 */
export function recordTransientFailure(
  error: unknown,
  transport: Transport,
): void {
  const errorClass =
    error instanceof TransientSendError ? error.errorClass : 'unexpected';
  const country =
    (error instanceof TransientSendError ? error.country : undefined) ??
    UNKNOWN_COUNTRY;
  const cause = error instanceof Error ? error.cause : undefined;
  const failure: DecryptFailure | undefined =
    cause instanceof DecryptError ? cause.failure : undefined;
  logger.error('sms not sent yet; Lambda will retry', {
    errorClass,
    country,
    hint: failure ? DECRYPT_HINTS[failure] : undefined,
    // What KMS or DynamoDB said (which principal, key or table), redacted
    // like every log line. Never an SMS transport's error: those can name
    // the destination number.
    error: causeToLog(error, cause),
  });
  countMetric('SmsFailed', {
    transport,
    country,
    class: errorClass,
    retried: 'true',
  });
}

/**
 * The error behind a retried failure, for the log: KMS's for a decrypt
 * failure, DynamoDB's or the bug's otherwise. A transport's exhausted
 * retries carry none (their attempts were logged one by one).
 */
function causeToLog(error: unknown, cause: unknown): unknown {
  if (!(error instanceof TransientSendError)) return error;
  return cause instanceof DecryptError ? cause.cause : cause;
}
