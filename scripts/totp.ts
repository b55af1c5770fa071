/**
 * npm run totp -- <enroll|status|unlock|reset|recovery-codes> --user-pool-id <id> --username <name>
 *
 * Administration of TOTP sign-in for one user. The table and key come from
 * --table / --key-arn or the environment (TOTP_TABLE, TOTP_KEY_ARN: on the
 * local stack, `export $(npm run --silent local:provision)` sets them and
 * AWS_ENDPOINT_URL points the SDK at it). The user's `sub` comes from
 * --sub, or from Cognito (AdminGetUser) when absent.
 */
import './quiet-warnings';
import { parseArgs } from 'node:util';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import suiteJson from '../config/suite.json';
import { suiteSettingsSchema } from '../shared/settings';
import { runTotpCommand, TOTP_COMMANDS, type TotpCommand } from './totp-admin';

const USAGE = `usage: npm run totp -- <${TOTP_COMMANDS.join('|')}> --user-pool-id <id> --username <name>
  [--sub <sub>] [--table <name>] [--key-arn <arn>] [--no-qr]`;

async function subOf(userPoolId: string, username: string): Promise<string> {
  const output = await new CognitoIdentityProviderClient({}).send(
    new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }),
  );
  const sub = output.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
  if (!sub) throw new Error('the user has no sub attribute');
  return sub;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'user-pool-id': { type: 'string' },
      username: { type: 'string' },
      sub: { type: 'string' },
      table: { type: 'string' },
      'key-arn': { type: 'string' },
      'no-qr': { type: 'boolean' },
    },
  });
  const command = positionals[0] as TotpCommand;
  if (!TOTP_COMMANDS.includes(command))
    fail(`unknown command: ${command ?? '(none)'}`);
  if (positionals.length > 1)
    fail(
      `one command only: ${positionals.length - 1} more word(s) after it (a flag without its --?)`,
    );
  const userPoolId = values['user-pool-id'];
  const username = values.username;
  if (!userPoolId || !username)
    fail('--user-pool-id and --username are required');
  const table = values.table ?? process.env.TOTP_TABLE;
  const keyArn = values['key-arn'] ?? process.env.TOTP_KEY_ARN;
  if (!table || !keyArn)
    fail('set --table and --key-arn, or TOTP_TABLE and TOTP_KEY_ARN');
  const settings = suiteSettingsSchema.parse(suiteJson).totp;
  process.exitCode = await runTotpCommand(command, {
    table,
    keyArn,
    userPoolId,
    username,
    sub: values.sub ?? (await subOf(userPoolId, username)),
    settings,
    showQr: values['no-qr'] !== true,
    print: (line) => process.stdout.write(`${line}\n`),
  });
}

main().catch((error: unknown) => {
  const name = error instanceof Error ? error.name : 'Error';
  process.stderr.write(
    `totp: ${name}: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
