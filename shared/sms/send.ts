import {
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { SmsSender } from '../clients/types';
import type { Environment } from '../config';
import type { CodeDecryptor } from '../crypto/code-decryptor';
import { DecryptError } from '../crypto/decrypt-errors';
import { DependencyError } from '../errors';
import { logger } from '../logging';
import { countMetric } from '../metrics';
// Deep imports of the policy core: the index also carries Pre Sign-up's
// modules, and consumeVelocity's namespace import of the DynamoDB SDK would
// keep every command of it in this bundle (about 10 ms of cold init).
import {
  isLineTypeMetadataLoaded,
  loadLineTypeMetadata,
} from '../policy/phone';
import { countVelocity, velocityFailsOpen } from '../policy/velocity';
import { smsDestinationOf, smsVelocityLimits } from '../policy/velocity-limits';
import { routeForMessage } from '../routing/plan';
import type { SuiteSettings } from '../settings';
import { type Rendered, renderSms, TemplateError } from '../templates';
import type { Budget } from './backoff';
import { deliver } from './deliver';
import { type SenderOutcome, TransientSendError } from './outcome';
import type { PreparedSms } from './prepare';
import { unescapeTemporaryPassword } from './unescape';

/** The environment variables the sender reads (required at cold start). */
export const SENDER_VARIABLES = [
  'KMS_KEY_ARN',
  'STATE_TABLE',
  'SMS_TRANSPORT',
  'SMS_DRY_RUN',
  'SMS_SANDBOX_NUMBERS',
  'SNS_REGIONS',
  'SMS_CONFIGURATION_SET',
  'SMS_PROTECT_CONFIGURATION_ID',
] as const;

/** The sender's view of the environment: only what it required. */
export type SenderEnvironment = Pick<
  Environment,
  (typeof SENDER_VARIABLES)[number]
>;

/** What the send step uses; built once per process. */
export interface SenderDeps {
  readonly env: SenderEnvironment;
  readonly settings: SuiteSettings;
  readonly decryptor: CodeDecryptor;
  readonly sender: SmsSender;
  /** The state table's client, built on first use. */
  readonly stateTable: () => DynamoDBClient;
}

/** What the delivery's claim knows and does for the send step. */
export interface DeliveryClaimState {
  /**
   * Whether this delivery has charged the velocity counters: set by an
   * earlier, released attempt (see `Claim.isCounted`) or by this one.
   */
  isCounted: boolean;
  /**
   * Called once, right before the SMS is handed to AWS (the claim's
   * `markSending`); a failure stops the delivery before anything is sent.
   */
  readonly beforeSending?: () => Promise<void>;
  /**
   * The delivery's stable id: a counter refuses to count it twice, so a
   * retry after some counters were charged and one failed charges only the
   * one that failed.
   */
  readonly deliveryId?: string;
}

/**
 * Decrypts, applies the velocity limits, renders and delivers one claimed
 * SMS. Terminal outcomes are returned; transient failures throw
 * {@link TransientSendError} (the caller releases the claim).
 *
 * @param sms - the prepared request
 * @param budget - time left for this invocation
 * @param deps - clients and configuration
 * @param claimState - whether the counters were charged already (a retry
 *   of a released delivery; set when this call charges them), the
 *   delivery's id and the hook that marks it as sending
 */
export async function sendPrepared(
  sms: PreparedSms,
  budget: Budget,
  deps: SenderDeps,
  claimState: DeliveryClaimState = { isCounted: false },
): Promise<SenderOutcome> {
  const base = { transport: sms.transport, country: sms.phone.country };
  const secret = await decryptSecret(sms, deps);
  if (typeof secret !== 'string')
    return { outcome: 'failed', errorClass: secret.failure, ...base };
  const refusal = claimState.isCounted
    ? undefined
    : await checkVelocity(sms, deps, claimState);
  if (refusal) return { outcome: 'refused', reason: refusal, ...base };
  const rendered = renderText(sms, secret);
  if (rendered === undefined)
    return { outcome: 'failed', errorClass: 'template_error', ...base };
  const { text, locale, isLocaleFallback } = rendered;
  await claimState.beforeSending?.().catch((cause: unknown) => {
    throw new DependencyError('dynamodb', 'idempotency update failed', {
      cause,
    });
  });
  const result = await deliver({
    sender: deps.sender,
    sms: { phoneNumber: sms.phone.e164, text },
    routes: sms.routes.map((route) => routeForMessage(route, sms.kind, locale)),
    budget,
    retry: deps.settings.sms.retry,
    dryRun: deps.env.SMS_DRY_RUN === true,
    onFailure: (failure) => {
      logger.warn('sms attempt failed', {
        ...failure,
        route: describe(failure.route),
      });
      countMetric('SmsAttemptFailed', {
        class: failure.errorClass,
        transport: sms.transport,
      });
    },
  });
  if (result.status === 'exhausted')
    throw new TransientSendError(result.errorClass);
  if (result.status === 'failed')
    return { outcome: 'failed', errorClass: result.errorClass, ...base };
  return {
    outcome: 'sent',
    ...base,
    region: result.route.region,
    attempts: result.attempts,
    dryRun: deps.env.SMS_DRY_RUN === true,
    locale,
    localeFallback: isLocaleFallback,
  };
}

function describe(route: PreparedSms['routes'][number]) {
  return route.transport === 'sns'
    ? { region: route.region }
    : {
        region: route.region,
        identityType: route.identity?.type ?? 'account-default',
      };
}

async function decryptSecret(
  sms: PreparedSms,
  deps: SenderDeps,
): Promise<string | DecryptError> {
  try {
    const plaintext = await deps.decryptor.decrypt(
      sms.code,
      sms.event.userPoolId,
    );
    return sms.kind === 'AdminCreateUser'
      ? unescapeTemporaryPassword(plaintext)
      : plaintext;
  } catch (error) {
    if (!(error instanceof DecryptError)) throw error;
    if (error.isTransient)
      throw new TransientSendError(error.failure, { cause: error });
    return error;
  }
}

async function checkVelocity(
  sms: PreparedSms,
  deps: SenderDeps,
  claimState: DeliveryClaimState,
): Promise<string | undefined> {
  const { policy } = deps.settings;
  const attributes = sms.event.request.userAttributes;
  const limits = smsVelocityLimits(policy.velocity, {
    phone: sms.phone,
    user: attributes.sub ?? sms.event.userName,
    destination: smsDestinationOf(sms.event.triggerSource),
  });
  try {
    const decision = await countVelocity(
      {
        client: deps.stateTable(),
        table: deps.env.STATE_TABLE,
        limits,
        eventId: claimState.deliveryId,
      },
      UpdateItemCommand,
    );
    claimState.isCounted = limits.length > 0;
    if (decision.outcome === 'deny') return decision.reason;
    if (decision.outcome === 'would-deny') {
      logger.warn('sms would be refused (shadow mode)', {
        reason: decision.reason,
      });
      countMetric('SmsWouldRefuse', {
        reason: decision.reason,
        country: sms.phone.country,
      });
    }
    return undefined;
  } catch (error) {
    if (
      !(error instanceof DependencyError) ||
      !velocityFailsOpen(policy.failureMode, limits)
    ) {
      throw new TransientSendError('velocity_unavailable', { cause: error });
    }
    logger.warn('velocity counters unavailable; failing open', {
      failureMode:
        policy.failureMode === 'open' ? policy.failureMode : 'shadow-only',
    });
    return undefined;
  }
}

function renderText(sms: PreparedSms, secret: string): Rendered | undefined {
  const { request, callerContext, userName } = sms.event;
  try {
    return renderSms({
      kind: sms.kind,
      locales: [request.userAttributes.locale, request.clientMetadata?.locale],
      ...(callerContext?.clientId ? { clientId: callerContext.clientId } : {}),
      placeholders: {
        code: secret,
        ...(userName ? { username: userName } : {}),
      },
      userAttributes: request.userAttributes,
      withWebOtp: true,
    });
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    logger.error('sms template failed', { error: error.message });
    return undefined;
  }
}

/** Loads the line-type metadata once when `policy.phone.lineTypes` is set. */
export async function ensurePhoneMetadata(
  settings: SuiteSettings,
): Promise<void> {
  if (settings.policy.phone.lineTypes && !isLineTypeMetadataLoaded()) {
    await loadLineTypeMetadata();
  }
}
