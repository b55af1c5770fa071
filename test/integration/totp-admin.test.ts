import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TotpCommand } from '../../scripts/totp-admin';
import {
  type PoolUser,
  type SignIn,
  SimulatedPool,
} from '../support/cognito-flow';
import { loadBundle, useLocalStack } from '../support/local-stack';
import { capturedLogRecords } from '../support/log-capture';
import { trackSecret } from '../support/secrets';
import {
  Authenticator,
  newPoolUser,
  POOL,
} from '../support/totp-authenticator';
import { distinctCode, wrongCode } from '../support/totp-codes';

/**
 * Operator enrollment (`npm run totp`), re-enrollment and `enrollment:
 * admin`, against moto. The shared modules are imported after the local
 * stack is up, so their SDK clients talk to it.
 */

const stack = useLocalStack();
let pool: SimulatedPool;
let adminPool: SimulatedPool;
let admin: typeof import('../../scripts/totp-admin');
let settingsOf: (mode: 'self' | 'admin') => any;

beforeAll(async () => {
  admin = await import('../../scripts/totp-admin');
  const totp = await import('../../shared/totp/index');
  const events = await import('../../shared/events/index');
  settingsOf = (enrollment) => totp.totpSettingsSchema.parse({ enrollment });
  pool = new SimulatedPool(
    {
      define: loadBundle('defineAuthChallenge').handler,
      create: loadBundle('createAuthChallenge').handler,
      verify: loadBundle('verifyAuthChallengeResponse').handler,
    },
    POOL,
  );
  const deployment = {
    table: stack.env.TOTP_TABLE as string,
    keyArn: stack.env.TOTP_KEY_ARN as string,
    settings: settingsOf('admin'),
    now: () => Date.now(),
  };
  adminPool = new SimulatedPool(
    {
      define: async (event) => {
        const parsed = events.parseEvent(
          events.defineAuthChallengeEventSchema,
          event,
        );
        event.response = await totp.defineAuthChallenge(parsed, deployment);
        return event;
      },
      create: async (event) => {
        const parsed = events.parseEvent(
          events.createAuthChallengeEventSchema,
          event,
        );
        event.response = await totp.createAuthChallenge(parsed, deployment);
        return event;
      },
      verify: async (event) => {
        const parsed = events.parseEvent(
          events.verifyAuthChallengeEventSchema,
          event,
        );
        event.response = await totp.verifyAuthChallengeResponse(
          parsed,
          deployment,
        );
        return event;
      },
    },
    POOL,
  );
});

async function cli(
  command: TotpCommand,
  user: PoolUser,
  settings: unknown = settingsOf('admin'),
  showQr = command === 'enroll',
): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await admin.runTotpCommand(command, {
    table: stack.env.TOTP_TABLE as string,
    keyArn: stack.env.TOTP_KEY_ARN as string,
    userPoolId: POOL.userPoolId,
    username: user.attributes.email ?? user.userName,
    sub: user.attributes.sub ?? '',
    settings: settings as any,
    showQr,
    print: (line) => lines.push(line),
  });
  for (const line of lines)
    if (/^ {2}[a-z2-9]{5}-[a-z2-9]{5}$/.test(line)) trackSecret(line.trim());
  return { code, lines };
}

/** The recovery codes the CLI printed (indented, one per line). */
const codesIn = (lines: string[]) =>
  lines.filter((line) => line.startsWith('  ')).map((line) => line.trim());

const uriOf = (lines: string[]) =>
  lines.find((line) => line.startsWith('otpauth://')) ?? '';

/** qrcode-terminal's small rendering of `text` (half blocks, two rows a line). */
function terminalQr(text: string): string {
  const qrcode = createRequire(__filename)('qrcode-terminal') as {
    generate: (
      text: string,
      options: object,
      done: (qr: string) => void,
    ) => void;
  };
  let rendered = '';
  qrcode.generate(text, { small: true }, (qr) => {
    rendered = qr;
  });
  return rendered;
}

/**
 * A user of the self-enrollment pool who has enrolled and activated an
 * authenticator with the current step's code (valid even if a step boundary
 * passes before the server reads its clock). The step it used is at most the
 * current one, so a code of the next step (`app.code(1)`) is never a replay.
 */
async function selfEnrolled() {
  const user = newPoolUser();
  pool.addUser(user);
  const first = await signIn(pool, user);
  const parameters = (first.last as any).parameters;
  trackSecret(parameters.recoveryCodes);
  const app = new Authenticator(parameters.otpauthUri);
  const result = await first.respondToChallenge(distinctCode(app, [0, -1]));
  if (result.kind !== 'tokens') throw new Error('enrollment failed');
  return { user, app, parameters };
}

/** Wrong codes in two sign-ins: enough to lock the user out. */
async function lockOut(user: PoolUser, app: Authenticator): Promise<void> {
  for (let session = 0; session < 2; session += 1) {
    const flow = await signIn(pool, user);
    for (let i = 0; i < 3 && flow.last.kind === 'challenge'; i += 1)
      await flow.respondToChallenge(wrongCode(app, 9));
  }
}

async function signIn(onPool: SimulatedPool, user: PoolUser): Promise<SignIn> {
  const flow = await onPool.initiateAuth(user.userName);
  await flow.respondToPassword(user.password);
  return flow;
}

describe('enrollment: admin', () => {
  it('refuses a user without a secret right after the password', async () => {
    // Prepare
    const user = newPoolUser();
    adminPool.addUser(user);

    // Act
    const flow = await signIn(adminPool, user);

    // Assess
    expect(flow.last).toMatchObject({
      kind: 'error',
      name: 'NotAuthorizedException',
    });
    expect(capturedLogRecords()).toContainEqual(
      expect.objectContaining({ reason: 'not_enrolled' }),
    );
  });

  it('lets an operator-enrolled user activate the secret with a first code, never showing it in the challenge', async () => {
    // Prepare
    const user = newPoolUser();
    adminPool.addUser(user);
    const enrolled = await cli('enroll', user);
    const app = new Authenticator(uriOf(enrolled.lines));

    // Act
    const flow = await signIn(adminPool, user);
    const parameters =
      flow.last.kind === 'challenge' ? flow.last.parameters : {};
    const result = await flow.respondToChallenge(app.code());
    const status = await cli('status', user);

    // Assess
    expect(enrolled.code).toBe(0);
    expect(enrolled.lines.some((line) => /[▀▄█]/.test(line))).toBe(true);
    expect(parameters.type).toBe('TOTP');
    expect(parameters.otpauthUri).toBeUndefined();
    expect(result).toEqual({ kind: 'tokens' });
    expect(status.lines).toContain('pending: none');
    expect(
      status.lines.find((line) => line.startsWith('active: yes')),
    ).toBeDefined();
    expect(status.lines).toContain('recovery codes left: 10');
  });
});

describe('npm run totp -- enroll', () => {
  it('prints a terminal QR code of the otpauth URI right after it, and none with showQr off', async () => {
    // Prepare
    const user = newPoolUser();
    adminPool.addUser(user);

    // Act
    const withQr = await cli('enroll', user);
    const withoutQr = await cli('enroll', user, settingsOf('admin'), false);
    const uri = uriOf(withQr.lines);
    trackSecret(uri, uriOf(withoutQr.lines));

    // Assess: the block is the QR of this very URI, between it and the codes
    const at = withQr.lines.indexOf(uri);
    const qr = withQr.lines[at + 1] ?? '';
    expect(withQr.code).toBe(0);
    expect(at).toBeGreaterThan(-1);
    expect(qr.split('\n').length).toBeGreaterThan(10);
    expect(qr).toMatch(/^[ ▀▄█\n]+$/);
    expect(qr).toBe(terminalQr(uri));
    expect(withQr.lines[at + 2]).toMatch(/^Recovery codes/);
    expect(withoutQr.code).toBe(0);
    const plainAt = withoutQr.lines.indexOf(uriOf(withoutQr.lines));
    expect(withoutQr.lines[plainAt + 1]).toMatch(/^Recovery codes/);
    expect(withoutQr.lines.some((line) => /[▀▄█]/.test(line))).toBe(false);
  });
});

describe('re-enrollment', () => {
  it('keeps the old secret working until a code from the new one is verified', async () => {
    // Prepare
    const { user, app: oldApp } = await selfEnrolled();
    const enrolled = await cli('enroll', user);
    const newApp = new Authenticator(uriOf(enrolled.lines));

    // Act: the old secret's next step (later than the enrollment's), then a
    // new code the old secret cannot match by chance
    const withOld = await (await signIn(pool, user)).respondToChallenge(
      oldApp.code(1),
    );
    const withNew = await (await signIn(pool, user)).respondToChallenge(
      distinctCode(newApp, [1, 0], [oldApp]),
    );
    const status = await cli('status', user);

    // Assess
    expect(withOld).toEqual({ kind: 'tokens' });
    expect(withNew).toEqual({ kind: 'tokens' });
    expect(status.lines).toContain('pending: none');
  });

  it('no longer accepts the old secret once the new one is active', async () => {
    // Prepare
    const { user, app: oldApp } = await selfEnrolled();
    const newApp = new Authenticator(uriOf((await cli('enroll', user)).lines));
    await (await signIn(pool, user)).respondToChallenge(
      distinctCode(newApp, [0, 1], [oldApp]),
    );

    // Act: a code the old secret would accept (a step after its last one),
    // which no near step of the new secret shows
    const withOld = await (await signIn(pool, user)).respondToChallenge(
      distinctCode(oldApp, [1, 0], [newApp]),
    );

    // Assess
    expect(withOld.kind).toBe('challenge');
    expect(
      capturedLogRecords()
        .filter((r) => r.message === 'answer refused')
        .at(-1),
    ).toMatchObject({
      reason: 'wrong_code',
    });
  });
});

describe('npm run totp', () => {
  it('issues a new set of recovery codes that replaces the old one', async () => {
    // Prepare
    const { user, parameters } = await selfEnrolled();
    const oldCode = parameters.recoveryCodes.split(' ')[0];

    // Act
    const issued = await cli('recovery-codes', user);
    const [newCode = ''] = codesIn(issued.lines);
    const withOld = await (await signIn(pool, user)).respondToChallenge(
      oldCode,
    );
    const withNew = await (await signIn(pool, user)).respondToChallenge(
      newCode,
    );

    // Assess
    expect(issued.code).toBe(0);
    expect(withOld.kind).toBe('challenge');
    expect(withNew).toEqual({ kind: 'tokens' });
  });

  it('keeps the codes it issued valid when a pending enrollment activates', async () => {
    // Prepare: an active secret, then an operator re-enrollment
    const { user, app: oldApp } = await selfEnrolled();
    const enrolled = await cli('enroll', user);
    const newApp = new Authenticator(uriOf(enrolled.lines));
    const [enrolledCode = ''] = codesIn(enrolled.lines);

    // Act: codes issued now, then the new secret activates
    const issued = await cli('recovery-codes', user);
    const [issuedCode = ''] = codesIn(issued.lines);
    const activated = await (await signIn(pool, user)).respondToChallenge(
      distinctCode(newApp, [0, 1], [oldApp]),
    );
    const withEnrolled = await (await signIn(pool, user)).respondToChallenge(
      enrolledCode,
    );
    const withIssued = await (await signIn(pool, user)).respondToChallenge(
      issuedCode,
    );

    // Assess
    expect(issued.code).toBe(0);
    expect(activated).toEqual({ kind: 'tokens' });
    expect(withEnrolled.kind).toBe('challenge');
    expect(withIssued).toEqual({ kind: 'tokens' });
  });

  it('accepts a code of a set stored before (scrypt, no key), marks that set in status, and replaces it', async () => {
    // Prepare: the user's set as an earlier version stored it
    const { user } = await selfEnrolled();
    const legacyCodes = ['aaaaa-bbbbb', 'ccccc-ddddd'];
    trackSecret(...legacyCodes);
    const store = await import('../../shared/totp/store');
    const { hashRecoveryCodesWithScrypt } = await import(
      '../../shared/crypto/otp-recovery'
    );
    await store.updateRecord(
      {
        table: stack.env.TOTP_TABLE as string,
        key: `totp#${POOL.userPoolId}#${user.attributes.sub}`,
      },
      {
        UpdateExpression: 'SET recovery = :recovery',
        values: {
          ':recovery': await hashRecoveryCodesWithScrypt(legacyCodes),
        },
      },
    );

    // Act
    const before = await cli('status', user);
    const withLegacy = await (await signIn(pool, user)).respondToChallenge(
      legacyCodes[1] ?? '',
    );
    await cli('recovery-codes', user);
    const after = await cli('status', user);

    // Assess
    expect(before.lines).toContain(
      'recovery codes left: 2 (an older set, not bound to the user: issue a new one with recovery-codes)',
    );
    expect(withLegacy).toEqual({ kind: 'tokens' });
    expect(after.lines).toContain('recovery codes left: 10');
  });

  it('issues no recovery codes where the deployment turned them off', async () => {
    // Prepare
    const { user } = await selfEnrolled();
    const off = { ...settingsOf('admin'), recoveryCodes: 0 };

    // Act
    const issued = await cli('recovery-codes', user, off);

    // Assess
    expect(issued.code).toBe(1);
    expect(codesIn(issued.lines)).toEqual([]);
  });

  it('refuses recovery codes for a user without an active secret', async () => {
    // Act
    const issued = await cli('recovery-codes', newPoolUser());

    // Assess
    expect(issued.code).toBe(1);
  });

  it('unlocks a locked-out user, who then signs in with the same authenticator', async () => {
    // Prepare
    const { user, app } = await selfEnrolled();
    await lockOut(user, app);
    const locked = await signIn(pool, user);

    // Act
    const unlocked = await cli('unlock', user);
    const after = await signIn(pool, user);
    await after.respondToChallenge(app.code(1));
    const status = await cli('status', user);

    // Assess
    expect(locked.last.kind).toBe('error');
    expect(unlocked.code).toBe(0);
    expect(after.last.kind).toBe('tokens');
    expect(status.lines).toContain('locked: no');
    expect(status.lines.some((line) => line.startsWith('active: yes'))).toBe(
      true,
    );
  });

  it('refuses to unlock a user without a record', async () => {
    // Act
    const result = await cli('unlock', newPoolUser());

    // Assess
    expect(result.code).toBe(1);
  });

  it('says so, and fails, when there is no record to reset (a mistyped user)', async () => {
    // Act
    const result = await cli('reset', newPoolUser());

    // Assess
    expect(result.code).toBe(1);
    expect(result.lines.join('\n')).toContain('nothing to reset');
  });

  it('resets a locked-out user', async () => {
    // Prepare
    const { user, app } = await selfEnrolled();
    await lockOut(user, app);
    const locked = await cli('status', user);

    // Act
    const reset = await cli('reset', user);
    const after = await signIn(pool, user);

    // Assess
    expect(
      locked.lines.find((line) => line.startsWith('locked until')),
    ).toBeDefined();
    expect(reset.code).toBe(0);
    expect(after.last.kind === 'challenge' && after.last.parameters.type).toBe(
      'TOTP_ENROLL',
    );
  });
});

describe('the totp command line', () => {
  it('runs status against the local stack and explains its usage', async () => {
    // Prepare
    const { spawnSync } = await import('node:child_process');
    const run = (args: string[]) =>
      spawnSync('npx', ['tsx', 'scripts/totp.ts', ...args], {
        encoding: 'utf8',
        env: { ...process.env, NODE_EXTRA_CA_CERTS: '' },
      });
    const user = newPoolUser();

    // Act
    const status = run([
      'status',
      '--user-pool-id',
      POOL.userPoolId,
      '--username',
      'ada',
      '--sub',
      user.attributes.sub ?? '',
    ]);
    const usage = run(['frobnicate']);
    const stray = run(['reset', 'now', '--username', 'ada']);

    // Assess
    expect(status.status).toBe(0);
    expect(status.stdout).toContain('active: no');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: npm run totp --');
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain('one command only: 1 more word(s)');
  });
});
