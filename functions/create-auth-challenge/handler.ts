import type { CreateAuthChallengeTriggerEvent } from 'aws-lambda';
import { syncTrigger } from '../../shared/boundary';
import { config } from '../../shared/config';
import {
  createAuthChallengeEventSchema,
  parseEvent,
  resolveEventSchema,
} from '../../shared/events';
import { createAuthChallenge } from '../../shared/totp/create';
import { totpDeploymentOf } from '../../shared/totp/deployment';
import { preloadTotpAws } from '../../shared/totp/dynamo';

const deployment = totpDeploymentOf(config);
// Every call reads and writes the TOTP table (and KMS): load the SDK at init.
preloadTotpAws();
const eventSchema = resolveEventSchema(createAuthChallengeEventSchema);

/** Create Auth Challenge: the TOTP round, or the self-enrollment round. */
export const handler = syncTrigger<CreateAuthChallengeTriggerEvent>(
  'createAuthChallenge',
  async (event) => {
    const parsed = parseEvent(eventSchema, event);
    event.response = await createAuthChallenge(parsed, deployment);
    return event;
  },
);
