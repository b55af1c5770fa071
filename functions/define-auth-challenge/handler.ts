import type { DefineAuthChallengeTriggerEvent } from 'aws-lambda';
import { syncTrigger } from '../../shared/boundary';

/** Define Auth Challenge. Planned (issue 5): fails every sign-in. */
export const handler = syncTrigger<DefineAuthChallengeTriggerEvent>(
  'defineAuthChallenge',
  (event) => {
    event.response = {
      ...event.response,
      issueTokens: false,
      failAuthentication: true,
    };
    return event;
  },
);
