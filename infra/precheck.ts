/**
 * The build-time check behind the `prechecked-config` esbuild plugin
 * (infra/esbuild-plugins.cjs): validates the suite.json that a bundle embeds
 * and checks the template catalogue with the same code a cold start would
 * run, so the bundle can skip both (see shared/prechecked.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import suiteJson from '../config/suite.json';
import { describeIssues } from '../shared/lazy-settings';
import type { Prechecked } from '../shared/prechecked';
import { suiteSettingsSchema } from '../shared/settings';
import { formatViolation } from '../shared/templates/check';
import { loadTemplates } from '../shared/templates/load';

/**
 * Validates suite.json and the bundled catalogue.
 *
 * @param suite - the suite.json object (default: config/suite.json)
 * @returns the validated sections, as the bundle embeds them
 * @throws Error listing every bad key (never a value) or broken template rule
 */
export function precheck(suite: unknown = suiteJson): Prechecked {
  const parsed = suiteSettingsSchema.safeParse(suite);
  if (!parsed.success) {
    const problems = describeIssues('suite.json:', parsed.error);
    throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const { $schema: _schema, ...settings } = parsed.data;
  const strayLocales = templateIdLocaleProblems(settings);
  if (strayLocales.length > 0) {
    throw new Error(`invalid configuration:\n  ${strayLocales.join('\n  ')}`);
  }
  const { violations } = loadTemplates(settings.templates);
  if (violations.length > 0) {
    throw new Error(
      `the template catalogue breaks its rules (npm run templates:check):\n  ${violations.map(formatViolation).join('\n  ')}`,
    );
  }
  // The bundle embeds the sections as JSON: anything JSON cannot carry
  // (a Set, a RegExp, undefined in an array) would change on the way.
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(settings)), settings)) {
    throw new Error('validated settings do not survive JSON: cannot embed');
  }
  return { settings };
}

/**
 * India's DLT template ids given per `kind:locale` whose locale is not a
 * catalogue locale: a message is never written in it, so the id would never
 * be used and the kind's messages in that language would go without it.
 *
 * @param settings - the validated sections
 * @returns one line per such key (`suite.json:<path> (...)`)
 */
export function templateIdLocaleProblems(settings: {
  templates: { locales: readonly string[] };
  sms: {
    sns: {
      countries: Record<string, { templateIds?: Record<string, string> }>;
    };
    endUserMessaging: {
      countries: Record<string, { templateIds?: Record<string, string> }>;
    };
  };
}): string[] {
  const { locales } = settings.templates;
  const transports = {
    sns: settings.sms.sns.countries,
    endUserMessaging: settings.sms.endUserMessaging.countries,
  };
  return Object.entries(transports).flatMap(([transport, countries]) =>
    Object.entries(countries).flatMap(([country, entry]) =>
      Object.keys(entry.templateIds ?? {})
        .filter((key) => {
          const locale = key.split(':')[1];
          return locale !== undefined && !locales.includes(locale);
        })
        .map(
          (key) =>
            `suite.json:sms.${transport}.countries.${country}.templateIds.${key} (a locale not in templates.locales: ${locales.join(', ')})`,
        ),
    ),
  );
}
