import type { DefineAuthChallengeTriggerEvent } from 'aws-lambda';
import { syncTrigger } from '../../shared/boundary';
import { config } from '../../shared/config';
import {
  defineAuthChallengeEventSchema,
  parseEvent,
  resolveEventSchema,
} from '../../shared/events';
import { defineAuthChallenge } from '../../shared/totp/define';
import { totpDeploymentOf } from '../../shared/totp/deployment';

const deployment = totpDeploymentOf(config);
const eventSchema = resolveEventSchema(defineAuthChallengeEventSchema);

/** Define Auth Challenge: password (SRP), then a TOTP code. */
export const handler = syncTrigger<DefineAuthChallengeTriggerEvent>(
  'defineAuthChallenge',
  async (event) => {
    const parsed = parseEvent(eventSchema, event);
    const response = await defineAuthChallenge(parsed, deployment);
    // Written whole: a pre-filled challengeName must not sit beside
    // issueTokens or failAuthentication.
    event.response = {
      ...(response.challengeName
        ? { challengeName: response.challengeName }
        : {}),
      issueTokens: response.issueTokens,
      failAuthentication: response.failAuthentication,
    };
    return event;
  },
);
