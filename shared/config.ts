import * as z from 'zod/mini';
import suiteJson from '../config/suite.json';
import { ConfigError } from './errors';
import {
  configError,
  describeIssues,
  isObject,
  lazySettings,
} from './lazy-settings';
import { PRECHECKED } from './prechecked';
import {
  SECTION_NAMES,
  type SectionName,
  type SuiteSettings,
  suiteSettingsSchema,
} from './settings';
import { applySettingsOverride } from './settings-override';

/**
 * The suite's configuration: the only module that reads `process.env`.
 *
 * - Deployment-specific values (key ARNs, table names, stage, transport)
 *   come from the environment that `serverless.yml` sets.
 * - Behaviour (templates, routing, countries, limits, TOTP) comes from
 *   `config/suite.json`, bundled into every function and validated here.
 *
 * Each environment variable is validated when first read, so a function
 * checks only the variables it uses, at its cold start (`requireEnvironment`,
 * or a read at module load); every bad key is reported by name, never by
 * value. suite.json is validated when the bundle is built
 * (shared/prechecked.ts); a cold start validates a section only when it was
 * not (source runs, a test-stage override), and then only the sections the
 * function reads (at module load: see `requireSettings`).
 */

const KMS_KEY_ARN =
  /^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/(mrk-)?[0-9a-f-]{32,36}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const E164 = /^\+[1-9]\d{6,14}$/;

const keyArn = () =>
  z
    .string()
    .check(
      z.regex(
        KMS_KEY_ARN,
        'must be a full KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); an alias or bare key id never matches on decrypt',
      ),
    );

const csv = (item: z.ZodMiniString<string>) =>
  z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((value: string | undefined) =>
        (value ?? '')
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part.length > 0),
      ),
    ),
    z.array(item),
  );

const bool = () =>
  z.pipe(
    z.optional(z.enum(['true', 'false', '1', '0', ''])),
    z.transform((value) => value === 'true' || value === '1'),
  );

const pattern = (regex: RegExp, message: string) =>
  z.string().check(z.regex(regex, message));

/**
 * Each environment variable's schema, built only when the variable is
 * first read: a function builds and checks only the variables it uses.
 */
const VARIABLES = {
  STAGE: () =>
    z._default(
      pattern(/^[A-Za-z0-9-]{1,32}$/, 'letters, digits and dashes'),
      'dev',
    ),
  KMS_KEY_ARN: keyArn,
  TOTP_KEY_ARN: keyArn,
  STATE_TABLE: () => pattern(TABLE_NAME, 'a DynamoDB table name'),
  TOTP_TABLE: () => pattern(TABLE_NAME, 'a DynamoDB table name'),
  EMAIL_SENDING_ACCOUNT: () =>
    z._default(z.enum(['COGNITO_DEFAULT', 'DEVELOPER']), 'COGNITO_DEFAULT'),
  SMS_TRANSPORT: () => z._default(z.enum(['sns', 'end-user-messaging']), 'sns'),
  SMS_DRY_RUN: bool,
  SMS_SANDBOX_NUMBERS: () => csv(pattern(E164, 'E.164 phone numbers')),
  SNS_REGIONS: () => csv(pattern(AWS_REGION, 'AWS region names')),
  /** End User Messaging: the deployment's configuration set (overrides suite.json). */
  SMS_CONFIGURATION_SET: () =>
    z.optional(
      pattern(/^[A-Za-z0-9_:/-]{0,256}$/, 'a configuration set name or ARN'),
    ),
  /** End User Messaging: the deployment's protect configuration id. */
  SMS_PROTECT_CONFIGURATION_ID: () =>
    z.optional(
      pattern(/^[A-Za-z0-9_:/-]{0,256}$/, 'a protect configuration id or ARN'),
    ),
};

/** The name of an environment variable the suite reads. */
export type VariableName = keyof typeof VARIABLES;

const VARIABLE_NAMES = Object.keys(VARIABLES) as VariableName[];

/** Deployment-specific settings, from the environment. */
export type Environment = {
  readonly [K in VariableName]: z.output<ReturnType<(typeof VARIABLES)[K]>>;
};

type Checked = { value: unknown } | { problems: string[] };

function checkVariable(
  env: Record<string, string | undefined>,
  name: VariableName,
): Checked {
  const result = VARIABLES[name]().safeParse(env[name]);
  return result.success
    ? { value: result.data }
    : { problems: describeIssues('', result.error, [name]) };
}

/**
 * The environment, each variable validated when first read (then cached).
 * `check` validates the named variables now and returns their problems.
 * Once one is bad, the problems of every other variable that is set come
 * with it (the failure path may build every schema), so one failed cold
 * start names every bad variable, not only the first one read.
 */
function lazyEnvironment(env: Record<string, string | undefined>): {
  view: Environment;
  check: (names: readonly VariableName[]) => string[];
} {
  const cache = new Map<VariableName, Checked>();
  const checked = (name: VariableName): Checked => {
    let entry = cache.get(name);
    if (entry === undefined) {
      entry = checkVariable(env, name);
      cache.set(name, entry);
    }
    return entry;
  };
  const problemsOf = (names: readonly VariableName[]): string[] =>
    names.flatMap((name) => {
      const entry = checked(name);
      return 'problems' in entry ? entry.problems : [];
    });
  const check = (names: readonly VariableName[]): string[] => {
    const own = problemsOf(names);
    if (own.length === 0) return own;
    const others = VARIABLE_NAMES.filter(
      (name) => !names.includes(name) && env[name] !== undefined,
    );
    return [...own, ...problemsOf(others)];
  };
  const view = {};
  for (const name of VARIABLE_NAMES) {
    Object.defineProperty(view, name, {
      enumerable: true,
      get: () => {
        const entry = checked(name);
        if ('problems' in entry) throw configError(check([name]));
        return entry.value;
      },
    });
  }
  return { view: Object.freeze(view) as Environment, check };
}

/** The whole, validated configuration. */
export interface Config {
  readonly env: Environment;
  readonly settings: SuiteSettings;
}

/**
 * Validates the environment and the behaviour settings together.
 *
 * @param env - the environment, e.g. `process.env`
 * @param settings - the parsed `config/suite.json` (or a test's variant)
 * @throws {@link ConfigError} naming every bad key, never a value
 * @example
 * const config = parseConfig(process.env, suiteJson);
 */
export function parseConfig(
  env: Record<string, string | undefined>,
  settings: unknown = suiteJson,
): Config {
  const variables = VARIABLE_NAMES.map(
    (name) => [name, checkVariable(env, name)] as const,
  );
  const local = applySettingsOverride(env, settings);
  const parsedSettings = suiteSettingsSchema.safeParse(local.settings);
  const problems = [
    ...local.problems,
    ...variables.flatMap(([, entry]) =>
      'problems' in entry ? entry.problems : [],
    ),
    ...(parsedSettings.success
      ? []
      : describeIssues('suite.json:', parsedSettings.error)),
  ];
  if (problems.length > 0 || !parsedSettings.success) {
    throw configError(problems);
  }
  const values = variables.map(([name, entry]) => [
    name,
    'value' in entry ? entry.value : undefined,
  ]);
  return Object.freeze({
    env: Object.freeze(Object.fromEntries(values)) as Environment,
    settings: parsedSettings.data,
  });
}

/**
 * Validates each environment variable and each suite.json section on its
 * first access (then cached), throwing the same {@link ConfigError} as
 * {@link parseConfig} for that variable or section.
 *
 * @param env - the environment, e.g. `process.env`
 * @param settings - the parsed `config/suite.json` (or a test's variant)
 * @throws {@link ConfigError} naming a refused override or a settings root
 *   that is no object; on access, the bad variable or every bad key of the
 *   section read
 * @example
 * const config = loadConfig(process.env);
 * const policy = config.settings.policy; // validated here
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  settings: unknown = suiteJson,
): Config {
  const local = applySettingsOverride(env, settings);
  const root = local.settings;
  const problems = [
    ...local.problems,
    ...(isObject(root) ? [] : ['suite.json:(root) (a JSON object)']),
    ...(isObject(root) && !['undefined', 'string'].includes(typeof root.$schema)
      ? ['suite.json:$schema (a string)']
      : []),
    ...(isObject(root)
      ? Object.keys(root)
          .filter(
            (key) =>
              key !== '$schema' && !SECTION_NAMES.includes(key as SectionName),
          )
          .map((key) => `suite.json:${key.slice(0, 64)} (not a section)`)
      : []),
  ];
  if (problems.length > 0 || !isObject(root)) {
    throw configError(problems);
  }
  const environment = lazyEnvironment(env);
  ENVIRONMENT_CHECKS.set(environment.view, environment.check);
  // What the build validated, as long as nothing replaced it.
  const checked =
    settings === suiteJson && root === settings
      ? PRECHECKED?.settings
      : undefined;
  return Object.freeze({
    env: environment.view,
    settings: lazySettings(root, checked),
  });
}

/** The lazy environments {@link loadConfig} made, and how to check them. */
const ENVIRONMENT_CHECKS = new WeakMap<
  Environment,
  (names: readonly VariableName[]) => string[]
>();

/**
 * Validates the named environment variables of a configuration now.
 *
 * @param target - a configuration from {@link loadConfig} (one from
 *   {@link parseConfig} is checked whole already)
 * @param names - the variables the caller reads
 * @returns the configuration's environment
 * @throws {@link ConfigError} naming every bad variable among `names`
 */
export function requireVariables<K extends VariableName>(
  target: Config,
  names: readonly K[],
): Pick<Environment, K> {
  const problems = ENVIRONMENT_CHECKS.get(target.env)?.(names) ?? [];
  if (problems.length > 0) throw configError(problems);
  return target.env;
}

/**
 * The configuration of this process: each environment variable and each
 * settings section is validated when first read, at module load of the
 * code that uses it (see {@link requireEnvironment} and
 * {@link requireSettings}).
 */
export const config: Config = loadConfig(process.env);

/**
 * Validates the named environment variables of this process now, at cold
 * start, so a bad one fails the function's init instead of a request.
 *
 * @param names - the variables the calling function reads
 * @returns this process's environment, typed to those variables (reading
 *   another through it does not compile)
 * @throws {@link ConfigError} naming every bad variable among `names`
 * @example
 * const env = requireEnvironment('STATE_TABLE', 'SMS_TRANSPORT');
 */
export function requireEnvironment<K extends VariableName>(
  ...names: K[]
): Pick<Environment, K> {
  return requireVariables(config, names);
}

/**
 * Validates the named sections of this process's settings now, at cold
 * start, so a bad section fails the function's init instead of a request.
 *
 * @param sections - the sections the calling function uses
 * @returns this process's settings
 * @throws {@link ConfigError} naming every bad key of those sections
 * @example
 * const settings = requireSettings('sms', 'policy', 'templates');
 */
export function requireSettings(...sections: SectionName[]): SuiteSettings {
  for (const name of sections) config.settings[name];
  return config.settings;
}
