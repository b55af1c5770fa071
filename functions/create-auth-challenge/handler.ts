import type { CreateAuthChallengeTriggerEvent } from 'aws-lambda';
import { syncTrigger } from '../../shared/boundary';
import { config } from '../../shared/config';
import {
  createAuthChallengeEventSchema,
  parseEvent,
} from '../../shared/events';
import { createAuthChallenge } from '../../shared/totp/create';
import { totpDeploymentOf } from '../../shared/totp/deployment';

const deployment = totpDeploymentOf(config);

/** Create Auth Challenge: the TOTP round, or the self-enrollment round. */
export const handler = syncTrigger<CreateAuthChallengeTriggerEvent>(
  'createAuthChallenge',
  async (event) => {
    const parsed = parseEvent(createAuthChallengeEventSchema, event);
    event.response = await createAuthChallenge(parsed, deployment);
    return event;
  },
);
