import { matchOtp } from '../crypto/otp';
import { findRecoveryCode, type RecoveryCodeSet } from '../crypto/otp-recovery';
import type { Answer } from './answer';
import {
  ROUNDS,
  type RoundName,
  type TotpDeployment,
  type TotpSubject,
} from './context';
import { pendingTag } from './enrollment';
import { livePending, type PendingSecret, type TotpRecord } from './record';
import { openSecret } from './secret-box';

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
 * @throws DependencyError when a secret does not decrypt (corrupted, moved)
 */
export async function matchAnswer(options: MatchAnswerOptions): Promise<Match> {
  const { subject, deployment, record, round, answer } = options;
  const now = deployment.now();
  if (answer.kind === 'recovery') {
    if (round !== ROUNDS.totp || !record.recovery) {
      return { kind: 'none', reason: 'no_recovery_codes' };
    }
    const id = await findRecoveryCode(answer.code, record.recovery);
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
  const owner = {
    keyArn: deployment.keyArn,
    userPoolId: subject.userPoolId,
    sub: subject.sub,
  };
  for (const candidate of candidates) {
    if (answer.code.length !== candidate.digits) continue;
    const secret = await openSecret(owner, candidate.ct);
    const step = matchOtp({
      secret,
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
