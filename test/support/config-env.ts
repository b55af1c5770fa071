/**
 * A complete, valid deployment environment for `parseConfig`/`loadConfig`
 * in unit tests (the values are well-formed, not real resources).
 */
export const VALID_ENV: Readonly<Record<string, string>> = Object.freeze({
  STAGE: 'dev',
  KMS_KEY_ARN:
    'arn:aws:kms:eu-central-1:123456789012:key/95932eb8-7784-401d-b963-114d227892bd',
  TOTP_KEY_ARN:
    'arn:aws:kms:eu-central-1:123456789012:key/a3bf2a99-b522-47cb-b8c8-b454c3c136c2',
  STATE_TABLE: 'suite-dev-state',
  TOTP_TABLE: 'suite-dev-totp',
});

/**
 * The problems a configuration check reports: the keys of the
 * `ConfigError` the call throws, one per line (its message is the
 * catalogue's generic text). Empty when it throws nothing; another error
 * is rethrown.
 *
 * @param act - the call that validates a configuration
 */
export function problemsOf(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof Error && error.name === 'ConfigError')
      return (error as Error & { keys: readonly string[] }).keys.join('\n');
    throw error;
  }
  return '';
}
