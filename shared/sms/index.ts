import type { Context } from 'aws-lambda';
import { smsSender, stateTableClient } from '../clients';
import { requireEnvironment, requireSettings } from '../config';
import { createCodeDecryptor } from '../crypto/code-decryptor';
import { DependencyError } from '../errors';
import { issuePathOf } from '../events/parse';
import {
  customSmsSenderEventSchema,
  resolveEventSchema,
} from '../events/schemas';
import { provideSection } from '../lazy-settings';
import { logger } from '../logging';
import { countMetric } from '../metrics';
import { preloadPhoneLibrary } from '../policy/phone';
import { policySettingsSchema } from '../policy/settings';
import { templateSettingsSchema } from '../templates/settings';
import { createBudget } from './backoff';
import { claimDelivery } from './idempotency';
import { recordOutcome, recordTransientFailure } from './observe';
import {
  type SenderOutcome,
  TransientSendError,
  UNKNOWN_COUNTRY,
} from './outcome';
import { type PreparedSms, prepareSms } from './prepare';
import {
  ensurePhoneMetadata,
  SENDER_VARIABLES,
  type SenderDeps,
  sendPrepared,
} from './send';
import { smsSettingsSchema } from './settings';

export type { SenderOutcome } from './outcome';

/** The part of the Lambda context the sender uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/**
 * Built once per process, at cold start: validates the environment
 * variables and the three suite.json sections the sender uses (sms,
 * policy, templates), never the others.
 */
const env = requireEnvironment(...SENDER_VARIABLES);
provideSection('sms', smsSettingsSchema);
provideSection('policy', policySettingsSchema);
provideSection('templates', templateSettingsSchema);
const deps: SenderDeps = {
  env,
  settings: requireSettings('sms', 'policy', 'templates'),
  decryptor: createCodeDecryptor(env.KMS_KEY_ARN),
  sender: smsSender,
  stateTable: stateTableClient,
};

const eventSchema = resolveEventSchema(customSmsSenderEventSchema);

// Every SMS is parsed: libphonenumber-js belongs to the cold start.
preloadPhoneLibrary();

/** Without a Lambda context (local runs): the function's own timeout. */
const DEFAULT_REMAINING_MS = 30_000;

/**
 * The Custom SMS Sender: decrypts Cognito's code, checks the destination,
 * claims the delivery (exactly once), renders and sends the SMS.
 *
 * Cognito invokes it asynchronously, so it returns normally for every
 * terminal outcome (sent, refused, failed for good, duplicate) and throws
 * only when every transient path is exhausted, for Lambda to retry.
 *
 * @param event - the raw Cognito event
 * @param context - the Lambda context (its remaining time is the budget)
 * @throws {@link TransientSendError} when a retry may still succeed
 */
export async function handleCustomSmsSender(
  event: unknown,
  context?: InvocationContext,
): Promise<SenderOutcome> {
  if (context && 'awsRequestId' in context) {
    // The request id and cold start on every line: which retry said what.
    logger.addContext(context as Context);
  }
  const triggerSource = (event as { triggerSource?: unknown })?.triggerSource;
  logger.appendKeys({
    trigger: 'customSmsSender',
    triggerSource:
      typeof triggerSource === 'string'
        ? triggerSource.slice(0, 64)
        : 'unknown',
  });
  // The deadline is fixed now: claiming and loading take time of their own.
  const deadline =
    Date.now() + (context?.getRemainingTimeInMillis() ?? DEFAULT_REMAINING_MS);
  try {
    const outcome = await run(event, () => deadline - Date.now());
    recordOutcome(outcome);
    return outcome;
  } catch (error) {
    const transient = asTransient(error);
    recordTransientFailure(transient, deps.env.SMS_TRANSPORT);
    throw transient;
  } finally {
    // Every count is a single-metric EMF line, already written: nothing
    // is stored, so there is nothing to flush.
    logger.resetKeys();
  }
}

/**
 * Names what failed: a dependency (`dynamodb_unavailable`) or a bug, with
 * the destination's country once it is known.
 */
function asTransient(error: unknown, country?: string): TransientSendError {
  if (error instanceof TransientSendError) {
    return error.country !== undefined || country === undefined
      ? error
      : new TransientSendError(error.errorClass, {
          cause: error.cause,
          country,
        });
  }
  const errorClass =
    error instanceof DependencyError
      ? `${error.dependency}_unavailable`
      : 'unexpected';
  return new TransientSendError(errorClass, { cause: error, country });
}

async function run(
  event: unknown,
  remainingMs: () => number,
): Promise<SenderOutcome> {
  const transport = deps.env.SMS_TRANSPORT;
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) {
    logger.warn('invalid sender event', {
      issues: parsed.error.issues
        .slice(0, 10)
        .map((issue) => issuePathOf(issue.path)),
    });
    return {
      outcome: 'failed',
      errorClass: 'invalid_event',
      transport,
      country: UNKNOWN_COUNTRY,
    };
  }
  await ensurePhoneMetadata(deps.settings);
  const prepared = prepareSms(parsed.data, deps.env, deps.settings);
  if ('outcome' in prepared) return prepared;
  try {
    return await deliverOnce(prepared, remainingMs);
  } catch (error) {
    throw asTransient(error, prepared.phone.country);
  }
}

/** Claims the delivery, sends, and completes or releases the claim. */
async function deliverOnce(
  prepared: PreparedSms,
  remainingMs: () => number,
): Promise<SenderOutcome> {
  const transport = deps.env.SMS_TRANSPORT;
  const claim = await claimDelivery({
    client: deps.stateTable(),
    table: deps.env.STATE_TABLE,
    key: {
      userPoolId: prepared.event.userPoolId,
      user:
        prepared.event.userName ??
        prepared.event.request.userAttributes.sub ??
        '',
      triggerSource: prepared.event.triggerSource,
      code: prepared.code,
    },
    leaseMs: remainingMs(),
    ttlSeconds: deps.settings.sms.idempotencyTtlSeconds,
  });
  if (!claim)
    return { outcome: 'duplicate', transport, country: prepared.phone.country };
  const budget = createBudget(remainingMs(), deps.settings.sms.retry.reserveMs);
  const claimState = {
    isCounted: claim.isCounted,
    deliveryId: claim.key,
    beforeSending: () => claim.markSending(),
  };
  let outcome: SenderOutcome;
  try {
    outcome = await sendPrepared(prepared, budget, deps, claimState);
  } catch (error) {
    await claim.release(claimState.isCounted).catch((cause: unknown) => {
      // The claim stays as it was: once marked sending, no retry takes it
      // over, so this SMS is lost. Alarmed (SmsClaimNotReleased).
      logger.error('idempotency release failed', { error: cause });
      countMetric('SmsClaimNotReleased', { transport });
    });
    throw error;
  }
  await claim
    .complete(outcome.outcome)
    .catch((cause: unknown) =>
      logger.error('idempotency completion failed', { error: cause }),
    );
  return outcome;
}
