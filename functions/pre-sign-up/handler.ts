import { syncTrigger } from '../../shared/boundary';
import { config } from '../../shared/config';
import {
  type PreSignUpEvent,
  parseEvent,
  preSignUpEventSchema,
  resolveEventSchema,
} from '../../shared/events';
import { applySignUpPolicy, stateTable } from '../../shared/policy';

// Validated and built at cold start: the `policy` section, the event schema.
const policy = config.settings.policy;
const eventSchema = resolveEventSchema(preSignUpEventSchema);

/**
 * Pre Sign-up trigger: who may register (registration mode, email and phone
 * rules, velocity) and what is confirmed. A refusal is thrown as a
 * catalogue message; Cognito shows it as `PreSignUp failed with error …`.
 */
export const handler = syncTrigger<PreSignUpEvent>('preSignUp', (event) =>
  applySignUpPolicy(parseEvent(eventSchema, event), {
    policy,
    table: config.env.STATE_TABLE,
    stateTable,
  }),
);
