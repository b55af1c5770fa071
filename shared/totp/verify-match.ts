import { matchOtp } from '../crypto/otp';
import type { RecoveryCodeSet } from '../crypto/otp-recovery';
import { DependencyError } from '../errors';
import { logger } from '../logging';
import { countMetric } from '../metrics';
import type { Answer } from './answer';
import {
  ROUNDS,
  type RoundName,
  type TotpDeployment,
  type TotpSubject,
} from './context';
import { pendingTag } from './enrollment';
import { livePending, type PendingSecret, type TotpRecord } from './record';
import { matchRecoveryCode } from './recovery';
import { openSecret, type SecretOwner } from './secret-box';

/** What an answer matched, before it is recorded. */
export type Match =
  | {
      readonly kind: 'totp';
      readonly step: number;
      /** The secret's ciphertext, so the step is accepted only for it. */
      readonly ct: Uint8Array;
      readonly pending?: PendingSecret;
    }
  | {
      readonly kind: 'recovery';
      readonly id: string;
      /** The set it matched in, so it is used up only in that set. */
      readonly set: RecoveryCodeSet;
    }
  | { readonly kind: 'none'; readonly reason: string };

type Candidate = {
  readonly ct: Uint8Array;
  readonly algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  readonly digits: number;
  readonly period: number;
  readonly pending?: PendingSecret;
};

/**
 * The secrets an answer may come from: in a TOTP round the active one, then
 * a live pending one (an operator's re-enrollment: the old secret keeps
 * working until the new one is verified); in the enrollment round only the
 * user's own pending secret.
 */
function candidatesOf(
  record: TotpRecord,
  round: RoundName,
  nowSeconds: number,
  enrollmentTag: string | undefined,
): Candidate[] {
  const pending = livePending(record, nowSeconds);
  if (round === ROUNDS.enroll) {
    const isShown =
      pending?.origin === 'self' &&
      enrollmentTag !== undefined &&
      pendingTag(pending) === enrollmentTag;
    return isShown && !record.active ? [{ ...pending, pending }] : [];
  }
  const candidates: Candidate[] = record.active ? [record.active] : [];
  if (pending?.origin === 'admin') candidates.push({ ...pending, pending });
  return candidates;
}

/**
 * Decrypts every candidate before any code is compared, so that whether a
 * decryption fails never depends on the answer: were the active secret
 * compared first, a right code would return before a broken second secret
 * is opened, and a wrong one would fail on it (and, failing, not count
 * towards the lockout): a guessing oracle with no lockout.
 *
 * An operator's pending secret that cannot be opened for good (another
 * key, a corrupted item) is left out, logged and counted, so the answer is
 * still judged against the active secret and a wrong one counts; every
 * other failure (the active secret's, any transient one) is thrown.
 *
 * @throws DependencyError when a secret that is needed does not decrypt
 */
async function openCandidates(
  owner: SecretOwner,
  candidates: readonly Candidate[],
): Promise<Array<Candidate & { readonly secret: string }>> {
  const settled = await Promise.allSettled(
    candidates.map((candidate) => openSecret(owner, candidate.ct)),
  );
  const opened: Array<Candidate & { readonly secret: string }> = [];
  let failure: unknown;
  settled.forEach((result, index) => {
    const candidate = candidates[index] as Candidate;
    if (result.status === 'fulfilled') {
      opened.push({ ...candidate, secret: result.value });
      return;
    }
    const isUnreadablePending =
      candidate.pending?.origin === 'admin' &&
      result.reason instanceof DependencyError &&
      !result.reason.isTransient;
    if (!isUnreadablePending) {
      failure ??= result.reason;
      return;
    }
    logger.warn('pending secret unreadable: left out', {
      reason: result.reason.message,
    });
    countMetric('TotpPendingUnreadable');
  });
  if (failure !== undefined) throw failure;
  return opened;
}

/** Options of {@link matchAnswer}. */
export interface MatchAnswerOptions {
  readonly subject: TotpSubject;
  readonly deployment: TotpDeployment;
  readonly record: TotpRecord;
  readonly round: RoundName;
  /** The enrollment round's binding to the pending secret it showed. */
  readonly enrollmentTag?: string;
  readonly answer: Exclude<Answer, { kind: 'malformed' }>;
}

/**
 * Finds what a well-formed answer matches: a time step of a candidate secret
 * later than the last accepted one, or an unused recovery code (TOTP round
 * only, never while enrolling).
 *
 * @throws DependencyError when a secret does not decrypt (corrupted, moved),
 *   except an operator's pending secret that can never be opened (left out)
 */
export async function matchAnswer(options: MatchAnswerOptions): Promise<Match> {
  const { subject, deployment, record, round, answer } = options;
  const now = deployment.now();
  const owner = {
    keyArn: deployment.keyArn,
    userPoolId: subject.userPoolId,
    sub: subject.sub,
  };
  if (answer.kind === 'recovery') {
    if (round !== ROUNDS.totp || !record.recovery) {
      return { kind: 'none', reason: 'no_recovery_codes' };
    }
    const id = await matchRecoveryCode(owner, answer.code, record.recovery);
    return id
      ? { kind: 'recovery', id, set: record.recovery }
      : { kind: 'none', reason: 'wrong_recovery_code' };
  }
  const candidates = candidatesOf(
    record,
    round,
    Math.floor(now / 1000),
    options.enrollmentTag,
  );
  if (candidates.length === 0) return { kind: 'none', reason: 'no_secret' };
  // A secret of another length cannot match: not even decrypted.
  const sameLength = candidates.filter(
    (candidate) => candidate.digits === answer.code.length,
  );
  for (const candidate of await openCandidates(owner, sameLength)) {
    const step = matchOtp({
      secret: candidate.secret,
      parameters: candidate,
      code: answer.code,
      window: deployment.settings.window,
      now,
    });
    if (step === undefined) continue;
    // lastStep belongs to the active secret (its period): a pending one is
    // used once, and its activation replaces lastStep with its own step.
    const isReplay =
      candidate.pending === undefined &&
      record.lastStep !== undefined &&
      step <= record.lastStep;
    if (isReplay) return { kind: 'none', reason: 'replayed' };
    return { kind: 'totp', step, ct: candidate.ct, pending: candidate.pending };
  }
  return { kind: 'none', reason: 'wrong_code' };
}
