import * as z from 'zod/mini';
import { ConfigError } from './errors';
import { logger } from './logging';
import type { Prechecked } from './prechecked';
import type { SectionName, SuiteSettings } from './settings';
import { USER_MESSAGES } from './user-messages';

/**
 * The per-section, on-first-access validation of `config/suite.json` used by
 * the functions' `config` (config.ts), and the issue formatting both the
 * eager and the lazy form share.
 */

/**
 * The error of an invalid configuration: the keys are logged for the
 * operator, and the error's message is the catalogue's generic text, the
 * one thing a cold start that fails may show the user (Cognito puts a
 * failed function's message in front of the caller).
 *
 * @param keys - the offending keys, by name, never their values
 */
export function configError(keys: readonly string[]): ConfigError {
  logger.error('invalid configuration', { keys });
  return new ConfigError(USER_MESSAGES.en.generic, keys);
}

/**
 * One line per issue: `<source><path> (<message>)`, the key by name and
 * never its value.
 *
 * @param source - prefix naming the source, e.g. `suite.json:`
 * @param error - the zod error
 * @param prefix - path segments before each issue's own path
 */
export function describeIssues(
  source: string,
  error: z.core.$ZodError,
  prefix: readonly PropertyKey[] = [],
): string[] {
  return error.issues.flatMap((issue) => {
    const at = [...prefix, ...issue.path].map(String);
    if (issue.code === 'unrecognized_keys') {
      // A misspelt key: name it (a key, never a value), clipped.
      return issue.keys.map(
        (key) =>
          `${source}${[...at, key.slice(0, 64)].join('.')} (unknown key)`,
      );
    }
    // A record key that failed its own check: its message, not zod's
    // generic one.
    const message =
      issue.code === 'invalid_key'
        ? (issue.issues[0]?.message ?? issue.message)
        : issue.message;
    return [
      `${source}${at.join('.') || '(root)'} (${message === GENERIC ? ruleOf(issue) : message})`,
    ];
  });
}

/** zod's message for an issue that has no message of its own. */
const GENERIC = 'Invalid input';

/** What a size bound counts, by the kind of value it bounds. */
const unitOf = (origin: string) =>
  origin === 'string'
    ? ' characters'
    : origin === 'array' || origin === 'set'
      ? ' entries'
      : '';

const literal = (value: unknown) =>
  typeof value === 'string' ? `"${value}"` : String(value);

/**
 * The rule an issue broke, from the schema (bounds, allowed values, the
 * expected type), in place of zod's generic message: never the value given.
 */
function ruleOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return `${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${unitOf(issue.origin)}`;
    case 'too_big':
      return `${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${unitOf(issue.origin)}`;
    case 'invalid_value':
      return `one of ${issue.values.map(literal).join(', ')}`;
    case 'invalid_union': {
      const values = issue.errors
        .flat()
        .flatMap((inner) =>
          inner.code === 'invalid_value' ? inner.values : [],
        );
      return values.length === issue.errors.length
        ? `one of ${values.map(literal).join(', ')}`
        : GENERIC;
    }
    case 'invalid_type':
      return `expected ${issue.expected}`;
    default:
      return GENERIC;
  }
}

/** A JSON object (not an array, not null). */
export type Json = Record<string, unknown>;

/** Whether a value is a JSON object. */
export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The schemas of the sections this process reads, given by the code that
 * reads them. A section the build validated never needs one; a deployed
 * bundle therefore never builds a settings schema, and a function's bundle
 * carries only the schemas of its own sections (not the other sections',
 * which cost Custom Message 0.7 ms of cold start to compile).
 */
const SECTION_SCHEMAS: Partial<Record<SectionName, z.ZodMiniType>> = {};

/**
 * Gives the schema of a section this code reads, for the cold starts that
 * validate it (a local override, a source run). Call it before reading the
 * section.
 *
 * @param name - the section
 * @param schema - its schema, e.g. `templateSettingsSchema`
 */
export function provideSection(name: SectionName, schema: z.ZodMiniType): void {
  SECTION_SCHEMAS[name] = schema;
}

function parseSection<K extends SectionName>(
  name: K,
  value: unknown,
): SuiteSettings[K] {
  const schema: z.ZodMiniType | undefined = SECTION_SCHEMAS[name];
  if (schema === undefined) {
    // A programming error: the reader did not call provideSection.
    throw new Error(`settings section ${name} read without its schema`);
  }
  const result = z.prefault(schema, {}).safeParse(value);
  if (!result.success) {
    const keys = describeIssues('suite.json:', result.error, [name]);
    throw configError(keys);
  }
  return result.data as SuiteSettings[K];
}

/**
 * Settings whose sections are validated on first access, then cached: a
 * function builds and checks only the sections it uses. A failed section
 * throws again on every access.
 *
 * @param root - the suite.json object (after any local override)
 * @param checked - the same sections, already validated by the build (see
 *   shared/prechecked.ts); given only when `root` is what the build checked
 * @returns the settings, one getter per section
 * @throws {@link ConfigError} (from a getter) naming every bad key of the
 *   section read, never a value
 */
export function lazySettings(
  root: Json,
  checked?: Prechecked['settings'],
): SuiteSettings {
  const cache: Partial<Record<SectionName, unknown>> = { ...checked };
  const section = <K extends SectionName>(name: K): SuiteSettings[K] => {
    if (!(name in cache)) cache[name] = parseSection(name, root[name]);
    return cache[name] as SuiteSettings[K];
  };
  return Object.freeze({
    $schema: root.$schema as string | undefined,
    get templates() {
      return section('templates');
    },
    get sms() {
      return section('sms');
    },
    get policy() {
      return section('policy');
    },
    get totp() {
      return section('totp');
    },
  });
}
