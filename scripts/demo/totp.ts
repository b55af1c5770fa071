/**
 * `npm run demo`, TOTP part: a self-enrollment, a sign-in with password and
 * code, and a replayed code refused, played through the Cognito flow model
 * (test/support/cognito-flow.ts) against the bundled Define/Create/Verify
 * triggers on the local stack. Prints what each trigger decided; never a
 * secret, a code or a recovery code.
 */
import { randomUUID } from 'node:crypto';
import {
  type FlowResult,
  SimulatedPool,
  type TraceEntry,
} from '../../test/support/cognito-flow';
import { Authenticator, POOL } from '../../test/support/totp-authenticator';
import type { DemoContext } from './context';

const KEYS = {
  define: 'defineAuthChallenge',
  create: 'createAuthChallenge',
  verify: 'verifyAuthChallengeResponse',
} as const;

function describeEntry(entry: TraceEntry): string {
  const { response } = entry;
  switch (entry.trigger) {
    case 'define':
      if (response.failAuthentication) return 'Define: fail the sign-in';
      if (response.issueTokens) return 'Define: issue tokens';
      return `Define: next challenge ${response.challengeName}`;
    case 'create': {
      const type = response.publicChallengeParameters?.type;
      const label = response.publicChallengeParameters?.accountLabel;
      const extra =
        type === 'TOTP_ENROLL'
          ? ' (otpauth:// URI and recovery codes handed to the client, not shown)'
          : '';
      // The metadata of an enrollment round also carries its secret's tag.
      const round = String(response.challengeMetadata).split('#')[0];
      return `Create: ${round} round for ${label}${extra}`;
    }
    case 'verify':
      return `Verify: answerCorrect ${response.answerCorrect}`;
  }
}

function outcome(result: FlowResult): string {
  if (result.kind === 'tokens') return 'client receives tokens';
  if (result.kind === 'challenge')
    return `client is asked for ${result.challengeName}`;
  return `client gets ${result.name}: ${result.message}`;
}

/** Runs the TOTP demo on the local stack. */
export async function runTotpDemo(ctx: DemoContext): Promise<void> {
  const invoke = (key: keyof typeof KEYS) => (event: unknown) =>
    ctx.invoke(KEYS[key], event) as Promise<any>;
  const pool = new SimulatedPool(
    {
      define: invoke('define'),
      create: invoke('create'),
      verify: invoke('verify'),
    },
    POOL,
  );
  const sub = randomUUID();
  const user = {
    userName: sub,
    password: `demo-${randomUUID()}`,
    attributes: {
      sub,
      email: 'ada.lovelace@example.com',
      email_verified: 'true',
    },
  };
  pool.addUser(user);
  let shown = 0;
  const report = (result: FlowResult) => {
    for (const entry of pool.trace.slice(shown))
      ctx.print(`  ${describeEntry(entry)}`);
    shown = pool.trace.length;
    ctx.print(`  -> ${outcome(result)}`);
  };

  ctx.print('1. First sign-in: password, then self-enrollment');
  const first = await pool.initiateAuth(user.userName);
  await first.respondToPassword(user.password);
  const parameters =
    first.last.kind === 'challenge' ? first.last.parameters : {};
  const app = new Authenticator(parameters.otpauthUri ?? '');
  report(await first.respondToChallenge(app.code()));
  ctx.print('  enrolled: the authenticator app holds the secret now');

  ctx.print('2. Next sign-in: password, then the code the app shows');
  const second = await pool.initiateAuth(user.userName);
  await second.respondToPassword(user.password);
  const code = app.code(1);
  report(await second.respondToChallenge(code));

  ctx.print('3. Someone replays that same code in a new sign-in');
  const third = await pool.initiateAuth(user.userName);
  await third.respondToPassword(user.password);
  report(await third.respondToChallenge(code));
  ctx.print('  the code was refused: each time step is accepted once per user');
}
