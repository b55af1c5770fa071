import * as z from 'zod/mini';
import { policySettingsSchema } from './policy/settings';
import { smsSettingsSchema } from './sms/settings';
import { templateSettingsSchema } from './templates/settings';
import { totpSettingsSchema } from './totp/settings';

/**
 * Schema of `config/suite.json`, the behaviour of the suite. Each feature
 * owns its section; every section has safe defaults, so `{}` is valid.
 *
 * Lazy like its sections: `parseConfig` builds the whole schema, while the
 * functions' `config` validates one section at a time (see config.ts).
 *
 * Runtime schemas use `zod/mini`: tree-shakable, about 16 KB and 5 ms of cold
 * init, where `import { z } from 'zod'` costs about 450 KB and 60-80 ms.
 */
export const suiteSettingsSchema = /* @__PURE__ */ z.lazy(() =>
  // Strict, like every section: a misspelt key is an error, never a
  // setting silently left at its default.
  z.strictObject({
    $schema: z.optional(z.string()),
    templates: z.prefault(templateSettingsSchema, {}),
    sms: z.prefault(smsSettingsSchema, {}),
    policy: z.prefault(policySettingsSchema, {}),
    totp: z.prefault(totpSettingsSchema, {}),
  }),
);

/**
 * The schema of each section (tools and tests). Function code never
 * imports this map: the code that reads a section gives its own schema
 * (`provideSection`), so a bundle carries only the schemas it needs.
 */
export const SECTION_SCHEMAS = {
  templates: templateSettingsSchema,
  sms: smsSettingsSchema,
  policy: policySettingsSchema,
  totp: totpSettingsSchema,
} as const;

/** The name of one section of `config/suite.json`. */
export type SectionName = keyof typeof SECTION_SCHEMAS;

/**
 * The section names, without their schemas: a function bundle imports
 * only the schemas of the sections it reads (see `provideSection` in
 * lazy-settings.ts).
 */
export const SECTION_NAMES: readonly SectionName[] = [
  'templates',
  'sms',
  'policy',
  'totp',
];

/** The validated behaviour settings. */
export type SuiteSettings = z.output<typeof suiteSettingsSchema>;
