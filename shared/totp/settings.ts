import { z } from 'zod';

/** Behaviour settings of the TOTP challenge (`totp` in suite.json). */
export const totpSettingsSchema = z.object({
  enrollment: z.enum(['admin', 'self']).default('self'),
});
