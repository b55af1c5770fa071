import type { CreateAuthChallengeTriggerEvent } from 'aws-lambda';
import { syncTrigger } from '../../shared/boundary';

/** Create Auth Challenge. Planned (issue 5): issues no challenge. */
export const handler = syncTrigger<CreateAuthChallengeTriggerEvent>(
  'createAuthChallenge',
  (event) => {
    event.response = {
      publicChallengeParameters: {},
      privateChallengeParameters: {},
      challengeMetadata: 'NOT_BUILT',
    };
    return event;
  },
);
