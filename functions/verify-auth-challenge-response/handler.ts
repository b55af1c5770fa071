import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { syncTrigger } from '../../shared/boundary';
import { config } from '../../shared/config';
import {
  parseEvent,
  resolveEventSchema,
  verifyAuthChallengeEventSchema,
} from '../../shared/events';
import { totpDeploymentOf } from '../../shared/totp/deployment';
import { preloadTotpAws } from '../../shared/totp/dynamo';
import { verifyAuthChallengeResponse } from '../../shared/totp/verify';

const deployment = totpDeploymentOf(config);
// Every call reads and writes the TOTP table (and KMS): load the SDK at init.
preloadTotpAws();
const eventSchema = resolveEventSchema(verifyAuthChallengeEventSchema);

/** Verify Auth Challenge Response: checks a TOTP or recovery code. */
export const handler = syncTrigger<VerifyAuthChallengeResponseTriggerEvent>(
  'verifyAuthChallengeResponse',
  async (event, context) => {
    const parsed = parseEvent(eventSchema, event);
    event.response = await verifyAuthChallengeResponse(parsed, deployment, {
      remainingMs: context && (() => context.getRemainingTimeInMillis()),
    });
    return event;
  },
);
