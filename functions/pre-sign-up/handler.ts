import { syncTrigger } from '../../shared/boundary';
import { config, requireEnvironment } from '../../shared/config';
import {
  type PreSignUpEvent,
  parseEvent,
  preSignUpEventSchema,
  resolveEventSchema,
} from '../../shared/events';
import { provideSection } from '../../shared/lazy-settings';
import {
  applySignUpPolicy,
  policySettingsSchema,
  stateTable,
} from '../../shared/policy';

// Validated and built at cold start: the `policy` section, the state
// table's name, the event schema.
provideSection('policy', policySettingsSchema);
const policy = config.settings.policy;
const table = requireEnvironment('STATE_TABLE').STATE_TABLE;
const eventSchema = resolveEventSchema(preSignUpEventSchema);

/**
 * Pre Sign-up trigger: who may register (registration mode, email and phone
 * rules, velocity) and what is confirmed. A refusal is thrown as a
 * catalogue message; Cognito shows it as `PreSignUp failed with error …`.
 */
export const handler = syncTrigger<PreSignUpEvent>('preSignUp', (event) =>
  applySignUpPolicy(parseEvent(eventSchema, event), {
    policy,
    table,
    stateTable,
  }),
);
