/**
 * The suite's error hierarchy. Callers branch with `instanceof`; every class
 * sets `name` and keeps `cause`.
 *
 * Only a {@link UserFacingError} may reach Cognito's caller, and its text
 * always comes from the user-facing catalogue (`shared/user-messages.ts`).
 */

/** Base class of every error the suite raises on purpose. */
export class TriggerError extends Error {
  // Names are spelled out: the bundles are minified, and logs, metrics and
  // alarms key on them.
  override name = 'TriggerError';

  /**
   * @param message - a static description for logs (never a secret or PII)
   * @param options - standard `ErrorOptions`, to keep `cause`
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The deployment's configuration is invalid; raised at cold start. Its
 * message is the catalogue's generic text, because a cold start that throws
 * never reaches the boundary: Lambda hands the message to Cognito, which
 * shows it to the user. The offending keys are in `keys` (and logged where
 * it is raised: see `configError` in lazy-settings.ts).
 */
export class ConfigError extends TriggerError {
  override name = 'ConfigError';
  /** Names of the offending keys (never their values). */
  readonly keys: readonly string[];

  /**
   * @param message - what the user may see (the catalogue's generic text)
   * @param keys - the offending keys, by name
   */
  constructor(
    message: string,
    keys: readonly string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.keys = keys;
  }
}

/** The event does not have the shape this trigger needs. */
export class InvalidEventError extends TriggerError {
  override name = 'InvalidEventError';
  /** Paths of the fields that failed validation. */
  readonly issues: readonly string[];

  constructor(
    message: string,
    issues: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.issues = issues;
  }
}

/** A dependency (KMS, DynamoDB, SNS, ...) failed or is unreachable. */
export class DependencyError extends TriggerError {
  override name = 'DependencyError';
  /** The dependency, e.g. `kms`, `dynamodb`, `sns`. */
  readonly dependency: string;
  /** Whether trying again later may succeed. */
  readonly isTransient: boolean;

  constructor(
    dependency: string,
    message: string,
    options: ErrorOptions & { isTransient?: boolean } = {},
  ) {
    super(message, options);
    this.dependency = dependency;
    this.isTransient = options.isTransient ?? true;
  }
}

/** A policy refused the request; `reason` is a stable reason code. */
export class PolicyError extends TriggerError {
  override name = 'PolicyError';
  readonly reason: string;

  constructor(reason: string, options?: ErrorOptions) {
    super(`refused by policy: ${reason}`, options);
    this.reason = reason;
  }
}

/**
 * An error whose message Cognito shows to the end user. Built only from a
 * catalogue key, already resolved to the user's locale.
 */
export class UserFacingError extends TriggerError {
  override name = 'UserFacingError';
  /** The catalogue key the message was taken from. */
  readonly key: string;

  constructor(key: string, localizedMessage: string, options?: ErrorOptions) {
    super(localizedMessage, options);
    this.key = key;
  }
}
