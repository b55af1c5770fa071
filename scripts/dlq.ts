/**
 * npm run dlq -- <list|redrive> --queue-url <url> [--function-name <name>]
 *   [--max-age-hours <h>] [--max 100] [--dry-run]
 *
 * The Custom SMS Sender's dead-letter queue (stack output
 * `SenderDeadLetterQueueUrl`, the queue `<stack>-sender-failures`):
 * `list` shows what is there, `redrive` sends each readable event whose
 * code is still valid (and younger than --max-age-hours, if given) to the
 * function again (the one in its record, or --function-name) and deletes
 * it once Lambda accepted it. Run it with credentials for the stack's
 * account and AWS_REGION set to the stack's region. See
 * scripts/dlq-admin.ts.
 */
import './quiet-warnings';
import { parseArgs } from 'node:util';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import suiteJson from '../config/suite.json';
import { suiteSettingsSchema } from '../shared/settings';
import { runDlq } from './dlq-admin';

const USAGE = `usage: npm run dlq -- <list|redrive> --queue-url <url>
  [--function-name <name>] [--max-age-hours <h>] [--max 100] [--dry-run]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function positive(value: string | undefined, fallback: number, name: string) {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) fail(`--${name} must be > 0`);
  return number;
}

function count(value: string | undefined, fallback: number, name: string) {
  const number = positive(value, fallback, name);
  if (!Number.isInteger(number)) fail(`--${name} must be a whole number`);
  return number;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'queue-url': { type: 'string' },
      'function-name': { type: 'string' },
      'max-age-hours': { type: 'string' },
      max: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  const mode = positionals[0];
  if (mode !== 'list' && mode !== 'redrive')
    fail(`unknown command: ${mode ?? '(none)'}`);
  if (positionals.length > 1)
    fail(
      `one command only: ${positionals.length - 1} more word(s) after it (a flag without its --?)`,
    );
  // `npm run dlq --dry-run -- redrive …` hands --dry-run to npm, not to this
  // script: npm sets npm_config_dry_run instead. Honour it rather than redrive.
  const dryRun =
    values['dry-run'] === true || process.env.npm_config_dry_run === 'true';
  const queueUrl = values['queue-url'];
  if (!queueUrl) fail('--queue-url is required');
  const summary = await runDlq(mode, {
    sqs: new SQSClient({}),
    lambda: new LambdaClient({}),
    cognito: new CognitoIdentityProviderClient({}),
    queueUrl,
    ...(values['function-name']
      ? { functionName: values['function-name'] }
      : {}),
    ...(values['max-age-hours'] === undefined
      ? {}
      : {
          maxAgeHours: positive(values['max-age-hours'], 24, 'max-age-hours'),
        }),
    idempotencyTtlSeconds:
      suiteSettingsSchema.parse(suiteJson).sms.idempotencyTtlSeconds,
    max: count(values.max, 100, 'max'),
    dryRun,
    print: (line) => process.stdout.write(`${line}\n`),
  });
  process.exitCode = summary.failed + summary.notDeleted > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  // An SDK error's name and message (access denied, no region, no such
  // queue); the events' contents never reach an error message here.
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`dlq: ${text}\n`);
  process.exit(1);
});
