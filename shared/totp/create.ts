import type { OtpParameters } from '../crypto/otp';
import { InvalidEventError, PolicyError } from '../errors';
import type { CreateAuthChallengeEvent } from '../events';
import { logger } from '../logging';
import { countMetric } from '../metrics';
import {
  parseRoundMetadata,
  ROUNDS,
  roundMetadata,
  subjectOf,
  type TotpDeployment,
} from './context';
import { enrollmentUri, selfPendingFor } from './enrollment';
import { maskedAccountLabel, uriAccountLabel } from './label';
import { livePending } from './record';
import { getRecord } from './store';

/** Create's answer to Cognito. */
export interface CreateResponse {
  publicChallengeParameters: Record<string, string>;
  privateChallengeParameters: Record<string, string>;
  challengeMetadata: string;
}

const publicParameters = (
  type: string,
  parameters: OtpParameters,
  accountLabel: string,
): Record<string, string> => ({
  type,
  algorithm: parameters.algorithm,
  digits: String(parameters.digits),
  period: String(parameters.period),
  accountLabel,
});

/**
 * Create Auth Challenge: the TOTP round, or (with `enrollment: self`, for a
 * user without a secret) the enrollment round, whose public parameters carry
 * the `otpauth://` URI and the recovery codes. No other round ever carries a
 * secret. Which secret an enrollment round shows: see `selfPendingFor`;
 * its private parameters bind Verify to that secret.
 *
 * @param event - the parsed event
 * @param deployment - table, key, settings and clock
 * @throws PolicyError when the user has no secret and may not enrol
 * @throws DependencyError when DynamoDB or KMS fails
 */
export async function createAuthChallenge(
  event: CreateAuthChallengeEvent,
  deployment: TotpDeployment,
): Promise<CreateResponse> {
  if (event.request.challengeName !== 'CUSTOM_CHALLENGE') {
    throw new InvalidEventError('unexpected challenge', [
      'request.challengeName',
    ]);
  }
  const subject = subjectOf(event, deployment);
  const record = await getRecord(subject.target);
  const nowSeconds = Math.floor(deployment.now() / 1000);
  const pending = livePending(record, nowSeconds);
  const { userAttributes } = event.request;
  const accountLabel = maskedAccountLabel(userAttributes, event.userName);
  const answerable =
    record.active ?? (pending?.origin === 'admin' ? pending : undefined);
  if (answerable) {
    logger.info('challenge created', { round: ROUNDS.totp });
    countMetric('TotpChallenge', { round: ROUNDS.totp });
    return {
      publicChallengeParameters: publicParameters(
        'TOTP',
        answerable,
        accountLabel,
      ),
      privateChallengeParameters: { round: ROUNDS.totp },
      challengeMetadata: ROUNDS.totp,
    };
  }
  if (deployment.settings.enrollment !== 'self') {
    throw new PolicyError('not_enrolled');
  }
  const previous = parseRoundMetadata(
    event.request.session.at(-1)?.challengeMetadata,
  );
  const { material, tag } = await selfPendingFor(
    subject,
    deployment,
    pending,
    previous?.tag,
  );
  const otpauthUri = enrollmentUri(material, {
    issuer: deployment.settings.issuer,
    label: uriAccountLabel(userAttributes, event.userName),
  });
  logger.info('challenge created', { round: ROUNDS.enroll });
  countMetric('TotpChallenge', { round: ROUNDS.enroll });
  return {
    publicChallengeParameters: {
      ...publicParameters('TOTP_ENROLL', material.parameters, accountLabel),
      otpauthUri,
      recoveryCodes: material.recoveryCodes.join(' '),
    },
    privateChallengeParameters: { round: ROUNDS.enroll, pending: tag },
    challengeMetadata: roundMetadata(ROUNDS.enroll, tag),
  };
}
