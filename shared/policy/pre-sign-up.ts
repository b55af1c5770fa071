import { DependencyError, InvalidEventError } from '../errors';
import {
  PRE_SIGN_UP_SOURCES,
  type PreSignUpEvent,
  type PreSignUpSource,
} from '../events';
import { logger } from '../logging';
import { countMetric } from '../metrics';
import { type UserMessageKey, userFacingError } from '../user-messages';
import type { Decision, Refusal } from './decision';
import { loadDisposableDomains } from './disposable';
import { loadLineTypeMetadata } from './phone';
import type { PolicySettings } from './settings';
import { type AutoFlags, decideSignUp, NO_FLAGS } from './sign-up';
import type { StateTable } from './state-client';
import {
  countVelocity,
  type VelocityLimit,
  velocityFailsOpen,
} from './velocity';

/**
 * The imperative shell of Pre Sign-up: loads what the enabled rules need,
 * runs the pure decision, counts velocity, reports every decision (reason
 * code only, never the attributes) and throws the user-facing refusal.
 */

/** What {@link applySignUpPolicy} needs besides the event. */
export interface SignUpPolicyDeps {
  readonly policy: PolicySettings;
  /** The state table (`STATE_TABLE`). */
  readonly table: string;
  /** The state-table client; called only when a velocity limit is on. */
  readonly stateTable: () => Promise<StateTable>;
}

const CLIENT_NOT_APPLICABLE = 'CLIENT_ID_NOT_APPLICABLE';

/**
 * The catalogue message of a refusal: short, about the rule's subject, and
 * never about whether an account exists.
 *
 * @param reason - the reason code
 */
export function messageKeyOf(reason: string): UserMessageKey {
  if (reason === 'phone_with_allow_listed_email') return 'signUpEmailOnly';
  if (reason.startsWith('registration_')) return 'signUpInviteOnly';
  if (reason.startsWith('email_')) return 'signUpEmailNotAllowed';
  if (/^(phone|country|line_type)_/.test(reason))
    return 'signUpPhoneNotAllowed';
  if (reason.startsWith('velocity_')) return 'signUpTryLater';
  return 'signUpNotAllowed';
}

/** The user's locale candidates, in the templates' order of preference. */
function localeOf(event: PreSignUpEvent): (string | undefined)[] {
  const { request } = event;
  return [
    request.userAttributes.locale,
    request.clientMetadata?.locale,
    request.validationData?.locale,
  ];
}

function report(decision: Refusal, triggerSource: string): void {
  const { outcome, reason } = decision;
  if (outcome === 'deny') logger.info('sign-up refused', { reason });
  else logger.info('sign-up would be refused (shadow)', { reason });
  countMetric('SignUpPolicy', { outcome, reason, triggerSource });
}

async function prepare(
  policy: PolicySettings,
): Promise<ReadonlySet<string> | undefined> {
  if (policy.phone.lineTypes !== undefined) await loadLineTypeMetadata();
  return policy.disposable.mode === 'off' ? undefined : loadDisposableDomains();
}

/**
 * The identity of one sign-up for the velocity counters: Cognito may invoke
 * Pre Sign-up again for the same request (a timeout), with the same pool and
 * user name, and that must not count twice. Hashed: the user name can be an
 * email address, and the counters never hold one in the clear.
 *
 * @param event - the Pre Sign-up event
 * @returns the id, or `undefined` without a user name (each call then
 *   counts on its own)
 */
export function signUpEventId(event: PreSignUpEvent): string | undefined {
  if (!event.userName) return undefined;
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256')
    .update(`${event.userPoolId}\n${event.userName}`)
    .digest('hex')
    .slice(0, 32);
}

async function countSignUp(
  deps: SignUpPolicyDeps,
  limits: readonly VelocityLimit[],
  event: PreSignUpEvent,
): Promise<Decision> {
  if (limits.length === 0) return { outcome: 'allow' };
  try {
    const { client, UpdateItemCommand } = await deps.stateTable();
    const eventId = signUpEventId(event);
    const options = {
      client,
      table: deps.table,
      limits,
      ...(eventId ? { eventId } : {}),
    };
    return await countVelocity(options, UpdateItemCommand);
  } catch (error) {
    if (
      !(error instanceof DependencyError) ||
      !velocityFailsOpen(deps.policy.failureMode, limits)
    )
      throw error;
    const failureMode =
      deps.policy.failureMode === 'open' ? 'open' : 'shadow-only';
    logger.warn('velocity unavailable; sign-up allowed (fail open)', {
      error,
      failureMode,
    });
    countMetric('PolicyDependencyFailure', {
      dependency: error.dependency,
      failureMode,
    });
    return { outcome: 'allow' };
  }
}

function setFlags(event: PreSignUpEvent, flags: AutoFlags): void {
  // Written whole: a pre-filled or malformed response never survives.
  (event as { response?: unknown }).response = { ...flags };
}

function isKnownSource(source: string): source is PreSignUpSource {
  return (PRE_SIGN_UP_SOURCES as readonly string[]).includes(source);
}

/**
 * Applies the sign-up policy to a Pre Sign-up event.
 *
 * @param event - the parsed event
 * @param deps - settings, state table and its client
 * @returns the event, with the auto-confirm / auto-verify flags set
 * @throws {@link UserFacingError} with a catalogue message on refusal
 * @throws {@link InvalidEventError} (path `triggerSource`) for a trigger
 *   source that is not a Pre Sign-up one (the boundary alarms on it)
 * @throws {@link DependencyError} when DynamoDB fails and `failureMode` is
 *   `closed` (the boundary turns it into the generic message)
 */
export async function applySignUpPolicy(
  event: PreSignUpEvent,
  deps: SignUpPolicyDeps,
): Promise<PreSignUpEvent> {
  const { triggerSource } = event;
  // A source Pre Sign-up does not know is Cognito's (a misrouted trigger, a
  // new source), never the caller's: the boundary logs and counts it as a
  // failure (TriggerFailed, alarmed) and answers with the generic message.
  if (!isKnownSource(triggerSource))
    throw new InvalidEventError('unknown Pre Sign-up trigger source', [
      'triggerSource',
    ]);
  const clientId = event.callerContext?.clientId;
  const verdict = decideSignUp(
    {
      triggerSource,
      userAttributes: event.request.userAttributes,
      ...(clientId && clientId !== CLIENT_NOT_APPLICABLE ? { clientId } : {}),
      ...(event.userName ? { userName: event.userName } : {}),
    },
    { policy: deps.policy, disposable: await prepare(deps.policy) },
  );
  for (const refusal of verdict.refusals) report(refusal, triggerSource);
  if (verdict.denied)
    throw userFacingError(messageKeyOf(verdict.denied.reason), localeOf(event));
  const velocity = await countSignUp(deps, verdict.velocity, event);
  if (velocity.outcome !== 'allow') report(velocity, triggerSource);
  if (velocity.outcome === 'deny')
    throw userFacingError(messageKeyOf(velocity.reason), localeOf(event));
  // Written even where Cognito ignores the flags (AdminCreateUser): the
  // response never carries what came in.
  const flags = verdict.flags ?? NO_FLAGS;
  setFlags(event, flags);
  logger.info('sign-up allowed', { flags });
  return event;
}
