import {
  DECRYPT_HINTS,
  DecryptError,
  type DecryptFailure,
} from '../crypto/decrypt-errors';
import { logger } from '../logging';
import { countMetric } from '../metrics';
import type { Transport } from '../routing/plan';
import { type SenderOutcome, TransientSendError } from './outcome';

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
  const cause = error instanceof Error ? error.cause : undefined;
  const failure: DecryptFailure | undefined =
    cause instanceof DecryptError ? cause.failure : undefined;
  logger.error('sms not sent yet; Lambda will retry', {
    errorClass,
    hint: failure ? DECRYPT_HINTS[failure] : undefined,
    error: errorClass === 'unexpected' ? error : undefined,
  });
  countMetric('SmsFailed', { transport, class: errorClass, retried: 'true' });
}
