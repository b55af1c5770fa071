import { z } from 'zod';
import { policySettingsSchema } from './policy/settings';
import { smsSettingsSchema } from './sms/settings';
import { templateSettingsSchema } from './templates/settings';
import { totpSettingsSchema } from './totp/settings';

/**
 * Schema of `config/suite.json`, the behaviour of the suite. Each feature
 * owns its section; every section has safe defaults, so `{}` is valid.
 */
export const suiteSettingsSchema = z.object({
  $schema: z.string().optional(),
  templates: templateSettingsSchema.prefault({}),
  sms: smsSettingsSchema.prefault({}),
  policy: policySettingsSchema.prefault({}),
  totp: totpSettingsSchema.prefault({}),
});

/** The validated behaviour settings. */
export type SuiteSettings = z.output<typeof suiteSettingsSchema>;
