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
