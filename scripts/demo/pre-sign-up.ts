/**
 * The Pre Sign-up part of `npm run demo`: invokes the preSignUp bundle the
 * way Cognito does, under a demo policy (disposable mailboxes refused,
 * the CorpSAML provider trusted for corp.example), and prints what the trigger decided
 * and what Cognito would show the user.
 *
 * The policy reaches the bundle through SUITE_SETTINGS_OVERRIDE, which only
 * local and test stages accept (the demo's stack is `local`); it is read
 * once, at the bundle's cold start (this flow's first invocation).
 */

import { loadEvent } from '../../test/support/events';
import type { DemoContext } from './context';

const OVERRIDE = 'SUITE_SETTINGS_OVERRIDE';

const DEMO_POLICY = {
  disposable: { mode: 'deny' },
  externalProvider: { autoConfirm: 'verified-email' },
  trustedProviders: [{ provider: 'CorpSAML', domains: ['corp.example'] }],
};

const CASES = [
  { title: 'self sign-up', email: 'ada@example.com', locale: 'en' },
  {
    title: 'self sign-up at that domain',
    email: 'grace@corp.example',
    locale: 'en',
  },
  {
    title: 'federated via CorpSAML, its domain, no email_verified (SAML)',
    email: 'grace@corp.example',
    locale: 'en',
    federated: 'CorpSAML',
  },
  {
    title: 'federated via another provider claiming that domain',
    email: 'grace@corp.example',
    locale: 'en',
    federated: 'PartnerIdP',
  },
  { title: 'disposable mailbox', email: 'eve@mailinator.com', locale: 'en' },
  { title: 'disposable, German', email: 'eve@mailinator.com', locale: 'de' },
] as const;

interface PreSignUpResult {
  response?: Record<string, unknown>;
}

function describeFlags(result: PreSignUpResult): string {
  const flags = Object.entries(result.response ?? {})
    .filter(([, value]) => value === true)
    .map(([name]) => name);
  return flags.length > 0 ? flags.join(', ') : 'no auto-confirm/verify';
}

async function decide(ctx: DemoContext, event: unknown): Promise<string> {
  try {
    const result = (await ctx.invoke('preSignUp', event)) as PreSignUpResult;
    return `allowed (${describeFlags(result)})`;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `refused: "PreSignUp failed with error ${message}."`;
  }
}

/**
 * Runs the Pre Sign-up demo flow.
 *
 * @param ctx - the demo context (invoke, print)
 */
export async function runPreSignUpDemo(ctx: DemoContext): Promise<void> {
  ctx.print(`policy: ${JSON.stringify(DEMO_POLICY)}`);
  const env = process.env;
  const previous = env[OVERRIDE];
  env[OVERRIDE] = JSON.stringify({ policy: DEMO_POLICY });
  try {
    for (const demo of CASES) {
      const isFederated = 'federated' in demo;
      const event = loadEvent(
        'preSignUp',
        isFederated ? 'external-provider' : 'sign-up',
      );
      event.request.userAttributes.email = demo.email;
      if (isFederated) {
        event.userName = `${demo.federated}_8f3c2a`;
        delete event.request.userAttributes.email_verified;
      }
      event.request.clientMetadata = { locale: demo.locale };
      ctx.print(
        `${demo.title} (${demo.email}, ${demo.locale}): ${await decide(ctx, event)}`,
      );
    }
  } finally {
    if (previous === undefined) delete env[OVERRIDE];
    else env[OVERRIDE] = previous;
  }
}
