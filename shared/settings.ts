import * as z from 'zod/mini';
import { policySettingsSchema } from './policy/settings';
import { smsSettingsSchema } from './sms/settings';
import { templateSettingsSchema } from './templates/settings';
import { totpSettingsSchema } from './totp/settings';

/**
 * Schema of `config/suite.json`, the behaviour of the suite. Each feature
 * owns its section; every section has safe defaults, so `{}` is valid.
 *
 * Runtime schemas use `zod/mini`: tree-shakable, about 16 KB and 5 ms of cold
 * init, where `import { z } from 'zod'` costs about 450 KB and 60-80 ms.
 */
export const suiteSettingsSchema = z.object({
  $schema: z.optional(z.string()),
  templates: z.prefault(templateSettingsSchema, {}),
  sms: z.prefault(smsSettingsSchema, {}),
  policy: z.prefault(policySettingsSchema, {}),
  totp: z.prefault(totpSettingsSchema, {}),
});

/** The validated behaviour settings. */
export type SuiteSettings = z.output<typeof suiteSettingsSchema>;
