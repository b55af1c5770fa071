import type { ChallengeResult } from '../events';
import { parseRoundMetadata } from './context';

/**
 * The pure decision of Define Auth Challenge: the flow is `SRP_A` →
 * `PASSWORD_VERIFIER` → `CUSTOM_CHALLENGE` (TOTP), checked round by round.
 */

/** What Define answers, before the lockout gate. */
export type DefineDecision =
  | {
      readonly outcome: 'challenge';
      readonly challengeName: 'PASSWORD_VERIFIER';
    }
  | {
      readonly outcome: 'challenge';
      readonly challengeName: 'CUSTOM_CHALLENGE';
    }
  | { readonly outcome: 'tokens' }
  | { readonly outcome: 'fail'; readonly reason: string };

const fail = (reason: string): DefineDecision => ({ outcome: 'fail', reason });

function passwordRound(
  session: readonly ChallengeResult[],
): DefineDecision | undefined {
  const [srp, password] = session;
  if (srp?.challengeName !== 'SRP_A') return fail('out_of_order');
  if (!srp.challengeResult) return fail('srp_failed');
  if (!password)
    return { outcome: 'challenge', challengeName: 'PASSWORD_VERIFIER' };
  if (password.challengeName !== 'PASSWORD_VERIFIER')
    return fail('out_of_order');
  if (!password.challengeResult) return fail('wrong_password');
  return undefined;
}

/**
 * Decides the next step from the session.
 *
 * Tokens only when the password was verified and the last round is a
 * successful TOTP round; failure on a wrong password, on anything out of
 * order or unknown, and after `maxSessionAttempts` wrong codes.
 *
 * @param session - Cognito's `request.session`, oldest first
 * @param maxSessionAttempts - wrong codes allowed in this session
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-define-auth-challenge.html
 */
export function decideNextChallenge(
  session: readonly ChallengeResult[],
  maxSessionAttempts: number,
): DefineDecision {
  if (session.length === 0) return fail('no_password_round');
  const password = passwordRound(session);
  if (password) return password;
  const rounds = session.slice(2);
  for (const [index, round] of rounds.entries()) {
    if (round.challengeName !== 'CUSTOM_CHALLENGE') return fail('out_of_order');
    if (!parseRoundMetadata(round.challengeMetadata))
      return fail('unknown_round');
    if (round.challengeResult && index !== rounds.length - 1) {
      return fail('out_of_order');
    }
  }
  // A session that should have ended at the cap never succeeds later.
  const failed = rounds.filter((round) => !round.challengeResult).length;
  if (failed >= maxSessionAttempts) return fail('too_many_attempts');
  if (rounds.at(-1)?.challengeResult === true) return { outcome: 'tokens' };
  return { outcome: 'challenge', challengeName: 'CUSTOM_CHALLENGE' };
}
