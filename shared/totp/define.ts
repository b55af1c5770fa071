import type { DefineAuthChallengeEvent } from '../events';
import { logger } from '../logging';
import { countMetric } from '../metrics';
import { subjectOf, type TotpDeployment } from './context';
import { type DefineDecision, decideNextChallenge } from './define-decision';
import { isLockedOut, livePending } from './record';

/** Define's answer to Cognito. */
export interface DefineResponse {
  challengeName?: string;
  issueTokens: boolean;
  failAuthentication: boolean;
}

/**
 * The DynamoDB client is loaded when a round first needs it: the SRP_A round
 * and a wrong password (most Define calls) never do, so Define's cold start
 * stays as small as the boundary's.
 */
const loadStore = () => import('./store');

/**
 * Before a TOTP round: refuse a locked-out user at once, and (with
 * `enrollment: admin`) a user with no secret to answer with.
 */
async function gate(
  event: DefineAuthChallengeEvent,
  deployment: TotpDeployment,
): Promise<DefineDecision> {
  const subject = subjectOf(event, deployment);
  const { getRecord } = await loadStore();
  const record = await getRecord(subject.target);
  const nowSeconds = Math.floor(deployment.now() / 1000);
  if (isLockedOut(record, nowSeconds)) {
    return { outcome: 'fail', reason: 'locked_out' };
  }
  // With `admin`, only what Create can ask for counts: the active secret
  // or an operator's enrollment (not a self-enrollment left over from
  // before the setting changed, which Create would refuse).
  const pending = livePending(record, nowSeconds);
  const hasSecret = record.active !== undefined || pending?.origin === 'admin';
  if (!hasSecret && deployment.settings.enrollment === 'admin') {
    return { outcome: 'fail', reason: 'not_enrolled' };
  }
  return { outcome: 'challenge', challengeName: 'CUSTOM_CHALLENGE' };
}

async function decide(
  event: DefineAuthChallengeEvent,
  deployment: TotpDeployment,
): Promise<DefineDecision> {
  const decision = decideNextChallenge(
    event.request.session,
    deployment.settings.maxSessionAttempts,
  );
  if (
    decision.outcome === 'challenge' &&
    decision.challengeName === 'CUSTOM_CHALLENGE'
  ) {
    return gate(event, deployment);
  }
  return decision;
}

/**
 * Define Auth Challenge: password first, then TOTP. An unknown user
 * (`userNotFound`) takes exactly the same path, reads a record of their own,
 * and can never be issued tokens.
 *
 * @param event - the parsed event
 * @param deployment - table, key, settings and clock
 * @throws InvalidEventError when a real user has no `sub`
 * @throws DependencyError when DynamoDB fails (the boundary fails closed)
 */
export async function defineAuthChallenge(
  event: DefineAuthChallengeEvent,
  deployment: TotpDeployment,
): Promise<DefineResponse> {
  let decision = await decide(event, deployment);
  const isUnknown = event.request.userNotFound === true;
  if (isUnknown && decision.outcome === 'tokens') {
    decision = { outcome: 'fail', reason: 'user_not_found' };
  }
  const reason = decision.outcome === 'fail' ? decision.reason : undefined;
  logger.info('define decision', {
    outcome: decision.outcome,
    reason,
    rounds: event.request.session.length,
    userNotFound: isUnknown,
  });
  countMetric('TotpDefine', { outcome: decision.outcome });
  switch (decision.outcome) {
    case 'challenge':
      return {
        challengeName: decision.challengeName,
        issueTokens: false,
        failAuthentication: false,
      };
    case 'tokens':
      return { issueTokens: true, failAuthentication: false };
    case 'fail':
      return { issueTokens: false, failAuthentication: true };
  }
}
