/**
 * A test-only way to give a local stack different behaviour settings
 * without rebuilding: `SUITE_SETTINGS_OVERRIDE` holds JSON whose sections
 * are merged (one level deep) over `config/suite.json`.
 *
 * Why: the bundles and serverless-offline embed suite.json at build time,
 * yet integration and end-to-end tests must run the real bundle under other
 * policies (a denied domain, velocity limits, fail-open). Why only local
 * stages: a deployed function's behaviour must come from the reviewed,
 * bundled suite.json, never from an environment variable, so any other
 * stage that sets the variable fails its cold start, and so does any
 * function inside the Lambda runtime (`AWS_LAMBDA_RUNTIME_API` set), even
 * one deployed as stage `test`.
 */

/** The environment variable that carries the override. */
export const SETTINGS_OVERRIDE_KEY = 'SUITE_SETTINGS_OVERRIDE';

/** Stages that accept the override (`local`: local stack, `test`: vitest). */
export const OVERRIDE_STAGES: readonly string[] = ['local', 'test'];

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function merge(settings: Json, override: Json): Json {
  const merged: Json = { ...settings };
  for (const [section, value] of Object.entries(override)) {
    const base = merged[section];
    merged[section] =
      isObject(base) && isObject(value) ? { ...base, ...value } : value;
  }
  return merged;
}

/**
 * Applies `SUITE_SETTINGS_OVERRIDE` when the stage allows it.
 *
 * @param env - the environment (read by config.ts, passed in here)
 * @param settings - the bundled suite.json
 * @returns the settings to validate, and problems naming the key (never
 *   its value) when the override is refused or is not a JSON object
 */
export function applySettingsOverride(
  env: Record<string, string | undefined>,
  settings: unknown,
): { settings: unknown; problems: string[] } {
  const raw = env[SETTINGS_OVERRIDE_KEY];
  if (raw === undefined || raw === '') return { settings, problems: [] };
  if (!OVERRIDE_STAGES.includes(env.STAGE ?? ''))
    return {
      settings,
      problems: [`${SETTINGS_OVERRIDE_KEY} (only for local and test stages)`],
    };
  // A stage name is whatever the deployer chose (`osls deploy --stage
  // test` works): inside the Lambda runtime, which sets its Runtime API's
  // address, the override is refused whatever the stage.
  if (env.AWS_LAMBDA_RUNTIME_API)
    return {
      settings,
      problems: [`${SETTINGS_OVERRIDE_KEY} (never inside the Lambda runtime)`],
    };
  let override: unknown;
  try {
    override = JSON.parse(raw);
  } catch {
    override = undefined;
  }
  if (!isObject(override) || !isObject(settings))
    return { settings, problems: [`${SETTINGS_OVERRIDE_KEY} (a JSON object)`] };
  return { settings: merge(settings, override), problems: [] };
}
