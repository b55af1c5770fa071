import { z } from 'zod';

/** Behaviour settings of the template core (`templates` in suite.json). */
export const templateSettingsSchema = z.object({
  defaultLocale: z.string().min(2).default('en'),
  maxSmsSegments: z.number().int().min(1).max(10).default(1),
});
