import { DependencyError } from '../errors';
import type { VerifyAuthChallengeEvent } from '../events';
import { logger } from '../logging';
import { countMetric } from '../metrics';
import { classifyAnswer } from './answer';
import {
  isRoundName,
  subjectOf,
  type TotpDeployment,
  type TotpSubject,
} from './context';
import {
  type FailureOptions,
  GIVE_BACK_MS,
  lockIfDue,
  releaseAttempt,
  reserveAttempt,
  undoReservation,
} from './failures';
import { isLockedOut, type TotpRecord } from './record';
import {
  acceptStep,
  consumeRecoveryCode,
  getRecord,
  newWriteId,
} from './store';
import { type Match, matchAnswer } from './verify-match';

/** Verify's answer to Cognito. */
export interface VerifyResponse {
  answerCorrect: boolean;
}

type Outcome =
  | { readonly isCorrect: true; readonly detail: string }
  | { readonly isCorrect: false; readonly reason: string };

async function record(
  match: Match,
  subject: TotpSubject,
  deployment: TotpDeployment,
): Promise<Outcome> {
  const nowSeconds = Math.floor(deployment.now() / 1000);
  if (match.kind === 'none') return { isCorrect: false, reason: match.reason };
  if (subject.isUnknown) return { isCorrect: false, reason: 'user_not_found' };
  if (match.kind === 'recovery') {
    const left = await consumeRecoveryCode(subject.target, {
      id: match.id,
      set: match.set,
      nowSeconds,
    });
    if (left === undefined)
      return { isCorrect: false, reason: 'recovery_code_used' };
    logger.warn('recovery code used', { recoveryCodesLeft: left });
    countMetric('TotpRecoveryCodeUsed');
    return { isCorrect: true, detail: 'recovery_code' };
  }
  const pending = match.pending;
  const isAccepted = await acceptStep(subject.target, {
    step: match.step,
    ct: match.ct,
    nowSeconds,
    activate: pending && {
      pendingCt: pending.ct,
      active: {
        ct: pending.ct,
        algorithm: pending.algorithm,
        digits: pending.digits,
        period: pending.period,
        activatedAt: nowSeconds,
      },
      recovery: pending.recovery,
    },
  });
  if (!isAccepted) return { isCorrect: false, reason: 'replayed' };
  return { isCorrect: true, detail: pending ? 'activated' : 'totp' };
}

async function judge(
  event: VerifyAuthChallengeEvent,
  subject: TotpSubject,
  deployment: TotpDeployment,
  stored: TotpRecord,
  signal: AbortSignal,
): Promise<Outcome> {
  const privateParameters = event.request.privateChallengeParameters;
  const round = privateParameters?.round;
  if (!isRoundName(round)) return { isCorrect: false, reason: 'unknown_round' };
  const answer = classifyAnswer(event.request.challengeAnswer);
  if (answer.kind === 'malformed')
    return { isCorrect: false, reason: 'malformed_answer' };
  const match = await matchAnswer({
    subject,
    deployment,
    record: stored,
    round,
    enrollmentTag: privateParameters?.pending,
    answer,
  });
  // Past the deadline the caller has already given the attempt back and
  // failed the sign-in: spending the code (or activating a secret) now
  // would leave the user refused with a used-up code.
  signal.throwIfAborted();
  return record(match, subject, deployment);
}

/** What Verify needs from the invocation. */
export interface VerifyOptions {
  /** The Lambda context's time left (`getRemainingTimeInMillis`). */
  readonly remainingMs?: () => number;
}

/**
 * Time kept back from the function's timeout to give a reserved attempt
 * back (at most {@link GIVE_BACK_MS}): an answer Lambda's timeout cut off
 * would otherwise stay counted as a failure, though nobody judged it.
 */
export const RELEASE_MARGIN_MS = GIVE_BACK_MS + 100;

/**
 * The deadline of one answer: `RELEASE_MARGIN_MS` before the function's
 * timeout. Work raced against it fails with a transient DependencyError
 * when it passes, and its signal tells the work still running to stop
 * before it changes anything.
 */
function answerDeadline(remainingMs: (() => number) | undefined) {
  const controller = new AbortController();
  const error = new DependencyError('dynamodb', 'answer not judged in time', {
    isTransient: true,
  });
  let timer: NodeJS.Timeout | undefined;
  const passed = new Promise<never>((_resolve, reject) => {
    if (!remainingMs) return;
    timer = setTimeout(
      () => {
        controller.abort(error);
        reject(error);
      },
      Math.max(0, remainingMs() - RELEASE_MARGIN_MS),
    );
  });
  passed.catch(() => undefined);
  return {
    signal: controller.signal,
    race: <T>(work: Promise<T>): Promise<T> => Promise.race([work, passed]),
    clear: () => clearTimeout(timer),
  };
}

function refuseLocked(subject: TotpSubject): VerifyResponse {
  logger.info('answer refused', {
    reason: 'locked_out',
    userNotFound: subject.isUnknown,
  });
  countMetric('TotpAnswer', { outcome: 'locked_out' });
  return { answerCorrect: false };
}

/**
 * Verify Auth Challenge Response: checks a TOTP code (or a recovery code)
 * against the user's secret. A wrong or malformed answer is simply wrong
 * and counts towards the user's lockout; a replayed one (a valid code used
 * before) is wrong but no guess, and does not count; a locked-out user's
 * answers are all wrong. An unknown user takes the same path and is always wrong.
 *
 * Each answer reserves its attempt (counts it as a failure) before it is
 * judged, so a burst of parallel answers from many sessions gets no more
 * tries than the lockout threshold allows.
 *
 * @param event - the parsed event
 * @param deployment - table, key, settings and clock
 * @throws DependencyError when DynamoDB or KMS fails, or a stored secret
 *   does not decrypt (the boundary fails closed)
 */
export async function verifyAuthChallengeResponse(
  event: VerifyAuthChallengeEvent,
  deployment: TotpDeployment,
  invocation: VerifyOptions = {},
): Promise<VerifyResponse> {
  const subject = subjectOf(event, deployment);
  // A round Cognito did not carry over is not the user's doing: refused,
  // never counted against their lockout.
  if (!isRoundName(event.request.privateChallengeParameters?.round)) {
    logger.info('answer refused', { reason: 'unknown_round' });
    countMetric('TotpAnswer', { outcome: 'unknown_round' });
    return { answerCorrect: false };
  }
  const stored = await getRecord(subject.target);
  const nowSeconds = Math.floor(deployment.now() / 1000);
  if (isLockedOut(stored, nowSeconds)) return refuseLocked(subject);
  const options = { lockout: deployment.settings.lockout, nowSeconds };
  const deadline = answerDeadline(invocation.remainingMs);
  try {
    return await reserveAndJudge(event, subject, deployment, stored, {
      ...options,
      deadline,
    });
  } finally {
    deadline.clear();
  }
}

async function reserveAndJudge(
  event: VerifyAuthChallengeEvent,
  subject: TotpSubject,
  deployment: TotpDeployment,
  stored: TotpRecord,
  {
    deadline,
    ...options
  }: FailureOptions & {
    deadline: ReturnType<typeof answerDeadline>;
  },
): Promise<VerifyResponse> {
  const writeId = newWriteId();
  let reservation: Awaited<ReturnType<typeof reserveAttempt>>;
  try {
    reservation = await deadline.race(
      reserveAttempt(subject.target, options, writeId),
    );
  } catch (error) {
    // The reservation may have applied before its reply was lost, or may
    // still apply: an answer nobody judged must not count.
    await undoReservation(subject.target, writeId);
    throw error;
  }
  if (reservation === undefined) {
    // Locked meanwhile, or the threshold's worth of attempts is counted:
    // lock now if no lock is in force yet (the write's condition decides).
    const count = {
      failures: options.lockout.threshold,
      lockouts: Number(stored.lockouts ?? 0),
    };
    const lockedUntil = await lockIfDue(subject.target, count, options);
    if (lockedUntil !== undefined) countMetric('TotpLockout');
    return refuseLocked(subject);
  }
  let outcome: Outcome;
  try {
    outcome = await deadline.race(
      judge(event, subject, deployment, stored, deadline.signal),
    );
  } catch (error) {
    await releaseAttempt(subject.target);
    throw error;
  }
  if (outcome.isCorrect) {
    logger.info('answer accepted', { detail: outcome.detail });
    countMetric('TotpAnswer', { outcome: outcome.detail });
    return { answerCorrect: true };
  }
  if (outcome.reason === 'replayed') {
    // A valid code used before: refused, but no guess. Cognito invoking
    // Verify again after the first call's reply was lost sends exactly this,
    // and must not push the user towards a lockout.
    await releaseAttempt(subject.target);
    logger.info('answer refused', {
      reason: outcome.reason,
      userNotFound: subject.isUnknown,
    });
    countMetric('TotpAnswer', { outcome: outcome.reason });
    return { answerCorrect: false };
  }
  const lockedUntil = await lockIfDue(subject.target, reservation, options);
  logger.info('answer refused', {
    reason: outcome.reason,
    failures: reservation.failures,
    isLockedOut: lockedUntil !== undefined,
    userNotFound: subject.isUnknown,
  });
  countMetric('TotpAnswer', { outcome: outcome.reason });
  if (lockedUntil !== undefined) countMetric('TotpLockout');
  return { answerCorrect: false };
}
