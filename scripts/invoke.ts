/**
 * npm run invoke -- <functionKey> <fixture.json> [--show-sms]
 *
 * Runs the real `osls invoke local -f <key> -p <fixture>` against the local
 * stack: the one `npm run local:start` left running (.local/stack.json), or
 * a moto_server started, provisioned and stopped for this call. An End User
 * Messaging SMS stand-in runs for the call too. Prints the handler's result
 * as JSON on stdout (`null` when it returns nothing); the function's logs,
 * the stack used and the SMS recorded go to stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readRecordedSms, startMoto } from '../test/support/moto';
import {
  LOCAL_REGION,
  LOCAL_STAGE,
  provisionLocalStack,
  ROOT,
  readServerlessConfig,
} from '../test/support/provision';
import { startSmsVoiceStub } from '../test/support/sms-voice-stub';
import { createLocalService } from './invoke-service';
import { runningStack } from './local-stack';

const note = (text: string) => process.stderr.write(`${text}\n`);

interface LocalStack {
  endpoint: string;
  env: Record<string, string>;
  stop: () => Promise<void>;
}

async function localStack(): Promise<LocalStack> {
  const running = await runningStack();
  if (running) {
    note(`invoke: using the running local stack on ${running.endpoint}`);
    return { ...running, stop: async () => undefined };
  }
  note('invoke: no local stack running; starting moto for this call');
  const moto = await startMoto();
  try {
    const { env } = await provisionLocalStack({ endpoint: moto.endpoint });
    return { endpoint: moto.endpoint, env, stop: () => moto.stop() };
  } catch (error) {
    await moto.stop();
    throw error;
  }
}

/**
 * The handler's result in osls's output: osls prints it last, indented
 * JSON starting on a line of its own, after the function's (one-line) logs.
 *
 * @param stdout - everything `osls invoke local` wrote on stdout
 * @returns the result and the lines before it (the logs)
 */
export function splitInvokeOutput(stdout: string): {
  result: unknown;
  logs: string[];
} {
  const lines = stdout.replace(/\s+$/, '').split('\n');
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    if (!['{', '[', '{}', '[]'].includes((lines[i] ?? '').trim())) continue;
    try {
      const result = JSON.parse(lines.slice(i).join('\n')) as unknown;
      return { result, logs: lines.slice(0, i) };
    } catch {
      // an object that does not run to the end: keep looking
    }
  }
  return { result: null, logs: lines.filter((line) => line !== '') };
}

function runOsls(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const osls = path.join(ROOT, 'node_modules', '.bin', 'osls');
    const child = spawn(osls, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const maskPhone = (phone: string) =>
  `${phone.slice(0, 1)}${'*'.repeat(Math.max(phone.length - 5, 0))}${phone.slice(-4)}`;

async function reportSms(
  endpoint: string,
  before: number,
  stubMessages: ReadonlyArray<{ input: Record<string, unknown> }>,
  showText: boolean,
): Promise<void> {
  const sns = (await readRecordedSms(endpoint)).slice(before);
  const rows = [
    ...sns.map((m) => ({ via: 'SNS', to: m.phoneNumber, text: m.message })),
    ...stubMessages.map((m) => ({
      via: 'End User Messaging SMS',
      to: String(m.input.DestinationPhoneNumber ?? ''),
      text: String(m.input.MessageBody ?? ''),
    })),
  ];
  for (const row of rows) {
    const text = showText ? `: ${row.text}` : ` (${row.text.length} chars)`;
    note(`invoke: SMS via ${row.via} to ${maskPhone(row.to)}${text}`);
  }
  if (rows.length && !showText) note('invoke: --show-sms prints the text');
}

function oslsEnv(
  stack: LocalStack,
  smsVoiceEndpoint: string,
): NodeJS.ProcessEnv {
  // Like Lambda (and the bench): no NODE_EXTRA_CA_CERTS, which this
  // machine sets globally.
  const { NODE_EXTRA_CA_CERTS: _unused, ...inherited } = process.env;
  return {
    ...inherited,
    ...stack.env,
    SLS_TELEMETRY_DISABLED: '1',
    AWS_ENDPOINT_URL: stack.endpoint,
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: smsVoiceEndpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: LOCAL_REGION,
  };
}

function checkArguments(key: string, fixture: string): string {
  const keys = Object.keys(readServerlessConfig().functions);
  if (!keys.includes(key)) {
    throw new Error(`unknown function "${key}"; one of: ${keys.join(', ')}`);
  }
  const eventFile = path.resolve(fixture);
  if (!existsSync(eventFile)) throw new Error(`no such file: ${fixture}`);
  return eventFile;
}

/**
 * Invokes one function locally with a fixture, the way `npm run invoke`
 * does, and returns its result.
 *
 * @param key - the function key in serverless.yml, e.g. `customMessage`
 * @param fixture - path of the event JSON
 * @param options.showSms - print the text of each SMS recorded
 */
export async function invokeLocal(
  key: string,
  fixture: string,
  options: { showSms?: boolean } = {},
): Promise<{ ok: boolean; result: unknown }> {
  const eventFile = checkArguments(key, fixture);
  const stack = await localStack();
  let stub: Awaited<ReturnType<typeof startSmsVoiceStub>> | undefined;
  let service: ReturnType<typeof createLocalService> | undefined;
  try {
    stub = await startSmsVoiceStub();
    service = createLocalService(stack.env);
    for (const missing of service.missing) {
      note(`invoke: ${missing} is not provisioned locally; left unset`);
    }
    const smsBefore = (await readRecordedSms(stack.endpoint)).length;
    const run = await runOsls(
      service.dir,
      [
        'invoke',
        'local',
        ...['-f', key, '-p', eventFile],
        ...['--stage', LOCAL_STAGE, '--region', LOCAL_REGION],
      ],
      oslsEnv(stack, stub.endpoint),
    );
    const { result, logs } = splitInvokeOutput(run.stdout);
    for (const line of logs) note(line);
    process.stderr.write(run.stderr);
    const showSms = options.showSms ?? false;
    await reportSms(stack.endpoint, smsBefore, stub.messages, showSms);
    return { ok: run.code === 0, result };
  } finally {
    // Whatever failed, stop what this call started (by PID) and clean up.
    if (service) rmSync(service.dir, { recursive: true, force: true });
    await stub?.stop();
    await stack.stop();
  }
}

if (require.main === module) {
  const [key, fixture] = process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'));
  if (!key || !fixture) {
    note('usage: npm run invoke -- <functionKey> <fixture.json> [--show-sms]');
    process.exit(2);
  }
  invokeLocal(key, fixture, { showSms: process.argv.includes('--show-sms') })
    .then(({ ok, result }) => {
      process.stdout.write(`${JSON.stringify(result ?? null, null, 2)}\n`);
      process.exitCode = ok ? 0 : 1;
    })
    .catch((error: unknown) => {
      note(
        `invoke failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    });
}
