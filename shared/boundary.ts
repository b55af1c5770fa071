import type { Context } from 'aws-lambda';
import {
  DependencyError,
  InvalidEventError,
  PolicyError,
  UserFacingError,
} from './errors';
import { issuePathOf } from './events/parse';
import { logger } from './logging';
import { countMetric, flushMetrics } from './metrics';
import { userFacingError } from './user-messages';

/** A Cognito trigger handler: returns the (mutated) event. */
export type TriggerHandler<E> = (event: E, context?: Context) => Promise<E>;

interface LocaleCarrier {
  request?: {
    clientMetadata?: Record<string, string> | null;
    validationData?: Record<string, string> | null;
    userAttributes?: Record<string, string>;
  };
}

function localeOf(event: unknown): unknown[] {
  const request = (event as LocaleCarrier | null)?.request;
  return [
    request?.userAttributes?.locale,
    request?.clientMetadata?.locale,
    request?.validationData?.locale,
  ];
}

/** Runs reporting code whose failure must not replace the outcome. */
function quietly(report: () => void): void {
  try {
    report();
  } catch {
    // Nothing to report it with: the logger or the metrics failed.
  }
}

function errorNameOf(error: unknown): string {
  try {
    return error instanceof Error && /^\w{1,64}$/.test(error.name)
      ? error.name
      : 'UnknownError';
  } catch {
    return 'UnknownError';
  }
}

function triggerSourceOf(event: unknown): string {
  const source = (event as { triggerSource?: unknown } | null)?.triggerSource;
  return typeof source === 'string' ? source.slice(0, 64) : 'unknown';
}

/**
 * The shared error boundary of every synchronous trigger (Cognito waits for
 * the answer and shows a thrown message to the user).
 *
 * It logs the full error, rethrows a {@link UserFacingError} as is, and
 * replaces anything else with the catalogue's generic message, so no stack
 * trace or internal detail reaches the user. Metrics are flushed once per
 * invocation.
 *
 * @param trigger - the function key, e.g. `preSignUp`
 * @param run - the trigger's logic
 */
export function syncTrigger<E>(
  trigger: string,
  run: (event: E, context?: Context) => Promise<E> | E,
): TriggerHandler<E> {
  return async (event, context) => {
    if (context) logger.addContext(context);
    const triggerSource = triggerSourceOf(event);
    logger.appendKeys({ trigger, triggerSource });
    try {
      return await run(event, context);
    } catch (error) {
      // Refusals and invalid events are thrown too (Cognito only refuses
      // on an error), so each is counted as RequestRefused: the function's
      // Errors alarm subtracts them (infra/resources/alarms-functions.yml).
      if (error instanceof UserFacingError) {
        // An expected refusal (the feature logged and counted its reason).
        logger.info('request refused', { messageKey: error.key });
        countMetric('RequestRefused', { trigger });
        throw error;
      }
      if (error instanceof PolicyError) {
        // A rule the deployment chose refused the request (an unenrolled
        // user where enrollment is admin-only): not a failure.
        logger.info('request refused by policy', { reason: error.reason });
        countMetric('RequestRefused', { trigger });
        throw userFacingError('generic', localeOf(event), { cause: error });
      }
      // A wrong triggerSource is Cognito's (a misrouted trigger, a
      // configuration error), never a caller's: it is a failure, alarmed.
      if (
        error instanceof InvalidEventError &&
        !error.issues.includes('triggerSource')
      ) {
        // Bad input, often the caller's own (clientMetadata keys): counted
        // apart from failures, so a client cannot set off the failure alarm.
        logger.warn('invalid event', {
          // Paths only, keys a caller chose as `*` (parseEvent does so
          // already; an error built elsewhere may not have).
          issues: error.issues
            .slice(0, 10)
            .map((path) => issuePathOf(path.split('.'))),
        });
        countMetric('InvalidEvent', { trigger });
        countMetric('RequestRefused', { trigger });
        throw userFacingError('generic', localeOf(event), { cause: error });
      }
      // Whatever the error holds, the caller gets the generic message:
      // reporting it must never throw something else in its place.
      quietly(() =>
        logger.error('trigger failed', {
          error,
          dependency:
            error instanceof DependencyError ? error.dependency : undefined,
        }),
      );
      quietly(() =>
        countMetric('TriggerFailed', { trigger, error: errorNameOf(error) }),
      );
      throw userFacingError('generic', localeOf(event), { cause: error });
    } finally {
      quietly(flushMetrics);
      logger.resetKeys();
    }
  };
}
