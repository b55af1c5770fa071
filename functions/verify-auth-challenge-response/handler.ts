import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { syncTrigger } from '../../shared/boundary';

/** Verify Auth Challenge Response. Planned (issue 5): rejects every answer. */
export const handler = syncTrigger<VerifyAuthChallengeResponseTriggerEvent>(
  'verifyAuthChallengeResponse',
  (event) => {
    event.response = { answerCorrect: false };
    return event;
  },
);
