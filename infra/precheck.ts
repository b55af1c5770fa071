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
