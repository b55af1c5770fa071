/**
 * npm run demo
 *
 * Runs the suite end to end on the local stack: builds the bundles, starts
 * moto and the End User Messaging SMS stand-in on 127.0.0.1, provisions
 * them from infra/, drives every trigger through realistic flows, prints
 * what each trigger decided and each SMS that would reach a phone, then
 * stops everything it started.
 */
import '../quiet-warnings';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { useLocalCredentials } from '../../test/support/local-env';
import { startMoto } from '../../test/support/moto';
import { provisionLocalStack, ROOT } from '../../test/support/provision';
import { startSmsVoiceStub } from '../../test/support/sms-voice-stub';
import { buildAll } from '../build';
import type { DemoContext } from './context';

interface Flow {
  title: string;
  file: string;
  exportName: string;
  issue: number;
}

const FLOWS: Flow[] = [
  {
    title: 'Pre Sign-up: who may register',
    file: 'pre-sign-up',
    exportName: 'runPreSignUpDemo',
    issue: 6,
  },
  {
    title: 'Custom Message: verification, invitation, reset',
    file: 'custom-message',
    exportName: 'runCustomMessageDemo',
    issue: 4,
  },
  {
    title: 'Custom SMS Sender: codes and invitations by SMS',
    file: 'sms-sender',
    exportName: 'runSmsSenderDemo',
    issue: 3,
  },
  {
    title: 'TOTP sign-in: password, then an authenticator code',
    file: 'totp',
    exportName: 'runTotpDemo',
    issue: 5,
  },
];

const print = (line: string) => process.stdout.write(`${line}\n`);

function lambdaContext(key: string) {
  const deadline = Date.now() + 30_000;
  return {
    functionName: `cognito-trigger-suite-local-${key}`,
    awsRequestId: `demo-${Date.now()}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

async function runFlows(ctx: DemoContext): Promise<string[]> {
  const missing: string[] = [];
  for (const flow of FLOWS) {
    print(`\n== ${flow.title}`);
    const file = path.join(__dirname, `${flow.file}.ts`);
    if (!existsSync(file)) {
      print(`   not built yet (issue #${flow.issue}); skipped`);
      missing.push(flow.title);
      continue;
    }
    const module = (await import(file)) as Record<
      string,
      (c: DemoContext) => Promise<void>
    >;
    const run = module[flow.exportName];
    if (!run)
      throw new Error(`${flow.file}.ts does not export ${flow.exportName}`);
    await run(ctx);
  }
  return missing;
}

async function main(): Promise<void> {
  print('== Building the bundles (dist/<function>/index.js)');
  await buildAll((line) => process.stdout.write(`   ${line}`));
  useLocalCredentials();
  const moto = await startMoto();
  const smsVoice = await startSmsVoiceStub();
  try {
    const { env } = await provisionLocalStack({ endpoint: moto.endpoint });
    Object.assign(process.env, env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: smsVoice.endpoint,
      // The demo prints decisions; logs and EMF metric lines stay quiet
      // unless asked for (POWERTOOLS_LOG_LEVEL=INFO npm run demo).
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
      POWERTOOLS_METRICS_DISABLED:
        process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    });
    print(
      `== Local stack: moto on ${moto.endpoint} (pid ${moto.pid}), End User Messaging stand-in on ${smsVoice.endpoint}`,
    );
    const handlers = new Map<
      string,
      (event: unknown, context: unknown) => Promise<unknown>
    >();
    const ctx: DemoContext = {
      env,
      endpoint: moto.endpoint,
      smsVoiceEndpoint: smsVoice.endpoint,
      print: (line) => print(`   ${line}`),
      smsMessages: () => moto.smsMessages(),
      invoke: async (key, event) => {
        let handler = handlers.get(key);
        if (!handler) {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          handler = require(path.join(ROOT, 'dist', key, 'index.js'))
            .handler as (e: unknown, c: unknown) => Promise<unknown>;
          handlers.set(key, handler);
        }
        return handler(structuredClone(event), lambdaContext(key));
      },
    };
    const missing = await runFlows(ctx);
    print('\n== Done.');
    if (missing.length > 0) print(`   Not built yet: ${missing.join('; ')}.`);
  } finally {
    await smsVoice.stop();
    await moto.stop();
    print(`   Stopped moto (pid ${moto.pid}) and the stand-in.`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
