import { z } from 'zod';

/** Behaviour settings of the policy core (`policy` in suite.json). */
export const policySettingsSchema = z.object({
  registration: z.enum(['open', 'invite-only', 'allow-listed']).default('open'),
});
