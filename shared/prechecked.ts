import type { SuiteSettings } from './settings';

/**
 * What the build proved about the configuration it bundles, so that a cold
 * start does not prove it again.
 *
 * Every function bundles `config/suite.json` and the template catalogue.
 * Both are fixed when the bundle is built, so the build validates them
 * once: the `prechecked-config` esbuild plugin (infra/esbuild-plugins.cjs)
 * runs infra/precheck.ts, which validates every section with the same zod
 * schemas and checks the catalogue with the same rules as the runtime, and
 * fails the build on any error. It then replaces this module with the
 * validated sections (defaults applied).
 *
 * A cold start uses them when nothing replaced the bundled suite.json (no
 * test-stage `SUITE_SETTINGS_OVERRIDE`). Otherwise, and in source (tests,
 * tsx), where this module stays `undefined`, everything is validated at run
 * time as before.
 */
export interface Prechecked {
  /** Every section of the bundled suite.json, validated, defaults applied. */
  readonly settings: Omit<SuiteSettings, '$schema'>;
}

/** Set in bundles only (see above); `undefined` in source. */
export const PRECHECKED: Prechecked | undefined = undefined;
