import { defineConfig } from 'vitest/config';

// Valid placeholder deployment settings so modules that validate the
// configuration at import time load in unit tests. Integration tests replace
// them with the local stack's real values before they load a bundle.
const unitEnv = {
  STAGE: 'test',
  KMS_KEY_ARN:
    'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-000000000001',
  TOTP_KEY_ARN:
    'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-000000000002',
  STATE_TABLE: 'suite-test-state',
  TOTP_TABLE: 'suite-test-totp',
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_METRICS_NAMESPACE: 'CognitoTriggerSuite',
  // Pinned so the log capture sees every line as deployed: JSON through
  // stdout (dev mode would write through console), at the most verbose level.
  POWERTOOLS_DEV: 'false',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
};

export default defineConfig({
  test: {
    env: unitEnv,
    setupFiles: [
      'test/support/log-capture.ts',
      'test/support/chunk-modules.ts',
    ],
    coverage: {
      provider: 'v8',
      include: ['shared/**/*.ts'],
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/property/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
