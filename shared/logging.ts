import { Logger } from '@aws-lambda-powertools/logger';
import { redact } from './redact';

/**
 * The suite's one logger. Every line passes through {@link redact}; the
 * event is never logged (`logEvent` stays off).
 *
 * Log decisions, not payloads: static messages, data in the extra object.
 */
export const logger = new Logger({
  serviceName: 'cognito-trigger-suite',
  jsonReplacerFn: redact,
});
