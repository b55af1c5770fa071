import {
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
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

const stack = useLocalStack();
let pool: SimulatedPool;

beforeAll(() => {
  pool = new SimulatedPool(
    {
      define: loadBundle('defineAuthChallenge').handler,
      create: loadBundle('createAuthChallenge').handler,
      verify: loadBundle('verifyAuthChallengeResponse').handler,
    },
    POOL,
  );
});

async function passwordRound(user: PoolUser): Promise<SignIn> {
  const signIn = await pool.initiateAuth(user.userName);
  await signIn.respondToPassword(user.password);
  return signIn;
}

function challengeOf(signIn: SignIn): Record<string, string> {
  if (signIn.last.kind !== 'challenge')
    throw new Error(`no challenge: ${JSON.stringify(signIn.last)}`);
  return signIn.last.parameters;
}

/** Self-enrols a new user; returns the user and their authenticator. */
async function enrolledUser(): Promise<{
  user: PoolUser;
  app: Authenticator;
  recoveryCodes: string[];
}> {
  const user = newPoolUser();
  pool.addUser(user);
  const signIn = await passwordRound(user);
  const parameters = challengeOf(signIn);
  const recoveryCodes = (parameters.recoveryCodes ?? '').split(' ');
  trackSecret(...recoveryCodes);
  const app = new Authenticator(parameters.otpauthUri ?? '');
  // The current step's code, unless a later step shows it too (the server
  // would record that step, and the next step's code would be a replay).
  const result = await signIn.respondToChallenge(distinctCode(app, [0, -1]));
  if (result.kind !== 'tokens') throw new Error('enrollment failed');
  return { user, app, recoveryCodes };
}

async function storedRecord(user: PoolUser): Promise<Record<string, any>> {
  const output = await new DynamoDBClient({}).send(
    new GetItemCommand({
      TableName: stack.env.TOTP_TABLE,
      Key: { pk: { S: `totp#${POOL.userPoolId}#${user.attributes.sub}` } },
    }),
  );
  return output.Item ? unmarshall(output.Item) : {};
}

describe('self-enrollment', () => {
  it('offers the otpauth URI and recovery codes after the password, and activates on the first code', async () => {
    // Prepare
    const user = newPoolUser();
    pool.addUser(user);

    // Act
    const signIn = await passwordRound(user);
    const parameters = challengeOf(signIn);
    const app = new Authenticator(parameters.otpauthUri ?? '');
    trackSecret(parameters.recoveryCodes);
    const before = await storedRecord(user);
    const result = await signIn.respondToChallenge(app.code());
    const after = await storedRecord(user);

    // Assess
    expect(parameters).toMatchObject({
      type: 'TOTP_ENROLL',
      digits: '6',
      period: '30',
      algorithm: 'SHA1',
    });
    expect(parameters.accountLabel).toMatch(/^a\*\*\*@e\*\*\*\.com$/);
    expect(parameters.recoveryCodes?.split(' ')).toHaveLength(10);
    expect(before.active).toBeUndefined();
    expect(before.pending).toBeDefined();
    expect(result).toEqual({ kind: 'tokens' });
    expect(after.active).toBeDefined();
    expect(after.pending).toBeUndefined();
    expect(Object.keys(after.recovery.hashes)).toHaveLength(10);
    expect(JSON.stringify(after)).not.toContain(
      parameters.recoveryCodes?.split(' ')[0],
    );
  });

  it('replaces the enrollment when Cognito retries Create: the secret shown last activates', async () => {
    // Prepare
    const user = newPoolUser();
    pool.addUser(user);
    const signIn = await passwordRound(user);
    const first = challengeOf(signIn);
    trackSecret(first.otpauthUri, first.recoveryCodes);
    const retried = await signIn.create(true);
    const shown = challengeOf(signIn);
    trackSecret(shown.otpauthUri, shown.recoveryCodes);

    // Act: a code of the first secret that the shown one does not show
    const stale = await signIn.respondToChallenge(
      distinctCode(
        new Authenticator(first.otpauthUri ?? ''),
        [0, 1],
        [new Authenticator(shown.otpauthUri ?? '')],
      ),
    );
    const result = await signIn.respondToChallenge(
      new Authenticator(shown.otpauthUri ?? '').code(),
    );

    // Assess
    expect(retried.kind).toBe('challenge');
    expect(shown.otpauthUri).not.toBe(first.otpauthUri);
    expect(stale.kind).toBe('challenge');
    expect(result).toEqual({ kind: 'tokens' });
  });

  it('keeps the same secret for the session after a mistyped code', async () => {
    // Prepare
    const user = newPoolUser();
    pool.addUser(user);
    const signIn = await passwordRound(user);
    const first = challengeOf(signIn);
    trackSecret(first.otpauthUri, first.recoveryCodes);
    const app = new Authenticator(first.otpauthUri ?? '');

    // Act
    await signIn.respondToChallenge(wrongCode(app, 5));
    const again = challengeOf(signIn);
    const result = await signIn.respondToChallenge(app.code());

    // Assess
    expect(again).toEqual(first);
    expect(result).toEqual({ kind: 'tokens' });
  });

  it('never shows one session the secret another session was shown', async () => {
    // Prepare
    const user = newPoolUser();
    pool.addUser(user);
    const victim = await passwordRound(user);
    const shown = challengeOf(victim);
    trackSecret(shown.otpauthUri, shown.recoveryCodes);

    // Act
    const other = await passwordRound(user);
    const otherShown = challengeOf(other);
    trackSecret(otherShown.otpauthUri, otherShown.recoveryCodes);
    const victimAnswer = await victim.respondToChallenge(
      new Authenticator(shown.otpauthUri ?? '').code(),
    );

    // Assess
    expect(otherShown.otpauthUri).not.toBe(shown.otpauthUri);
    expect(otherShown.recoveryCodes).not.toBe(shown.recoveryCodes);
    expect(victimAnswer.kind).not.toBe('tokens');
  });

  it('is not active until a code is verified: a wrong code leaves the user unenrolled', async () => {
    // Prepare
    const user = newPoolUser();
    pool.addUser(user);
    const signIn = await passwordRound(user);
    const parameters = challengeOf(signIn);
    const app = new Authenticator(parameters.otpauthUri ?? '');
    const wrong = wrongCode(app, 5);

    // Act
    const result = await signIn.respondToChallenge(wrong);
    const record = await storedRecord(user);
    const again = await passwordRound(user);

    // Assess
    expect(result.kind).toBe('challenge');
    expect(record.active).toBeUndefined();
    expect(challengeOf(again).type).toBe('TOTP_ENROLL');
  });
});

describe('TOTP sign-in', () => {
  it('asks for a code without any secret and issues tokens for the next code', async () => {
    // Prepare
    const { user, app } = await enrolledUser();

    // Act
    const signIn = await passwordRound(user);
    const parameters = challengeOf(signIn);
    const result = await signIn.respondToChallenge(app.code(1));

    // Assess
    expect(Object.keys(parameters).sort()).toEqual([
      'accountLabel',
      'algorithm',
      'digits',
      'period',
      'type',
    ]);
    expect(parameters.type).toBe('TOTP');
    expect(result).toEqual({ kind: 'tokens' });
  });

  it('fails a wrong password before any TOTP round', async () => {
    // Prepare
    const { user } = await enrolledUser();
    const creates = () =>
      pool.trace.filter((entry) => entry.trigger === 'create').length;
    const before = creates();

    // Act
    const signIn = await pool.initiateAuth(user.userName);
    const result = await signIn.respondToPassword('not-the-password');

    // Assess
    expect(result).toEqual({
      kind: 'error',
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(creates()).toBe(before);
  });

  it('refuses a replayed code', async () => {
    // Prepare
    const { user, app } = await enrolledUser();
    const code = app.code(1);
    await (await passwordRound(user)).respondToChallenge(code);

    // Act
    const replay = await passwordRound(user);
    const result = await replay.respondToChallenge(code);

    // Assess
    expect(result.kind).toBe('challenge');
    expect(replay.session.at(-1)).toMatchObject({
      challengeResult: false,
      challengeMetadata: 'TOTP',
    });
  });

  it('lets only one of two concurrent answers with the same code win', async () => {
    // Prepare
    const { user, app } = await enrolledUser();
    const [first, second] = await Promise.all([
      passwordRound(user),
      passwordRound(user),
    ]);
    const code = app.code(1);

    // Act
    const results = await Promise.all([
      first.respondToChallenge(code),
      second.respondToChallenge(code),
    ]);

    // Assess
    expect(results.filter((result) => result.kind === 'tokens')).toHaveLength(
      1,
    );
    expect(
      results.filter((result) => result.kind === 'challenge'),
    ).toHaveLength(1);
  });

  it('fails the session after three wrong codes', async () => {
    // Prepare
    const { user, app } = await enrolledUser();
    const signIn = await passwordRound(user);

    // Act
    for (const offset of [7, 8])
      await signIn.respondToChallenge(wrongCode(app, offset));
    const third = await signIn.respondToChallenge(wrongCode(app, 9));

    // Assess
    expect(third).toMatchObject({
      kind: 'error',
      name: 'NotAuthorizedException',
    });
  });
});

/** Lets the user's lock run out (as if its time had passed). */
async function expireLock(user: PoolUser): Promise<void> {
  await new DynamoDBClient({}).send(
    new UpdateItemCommand({
      TableName: stack.env.TOTP_TABLE,
      Key: { pk: { S: `totp#${POOL.userPoolId}#${user.attributes.sub}` } },
      UpdateExpression: 'SET lockedUntil = :past',
      ExpressionAttributeValues: {
        ':past': { N: String(Math.floor(Date.now() / 1000) - 1) },
      },
    }),
  );
}

const lastRefusal = () =>
  capturedLogRecords()
    .filter((line) => line.message === 'answer refused')
    .at(-1);

describe('lockout across sessions', () => {
  it('refuses a recovery code while the user is locked out, and leaves it unused until the lock has passed', async () => {
    // Prepare: a session shown the TOTP round, then wrong codes in two
    // other sessions lock the user out
    const { user, app, recoveryCodes } = await enrolledUser();
    const code = recoveryCodes[2] ?? '';
    const waiting = await passwordRound(user);
    for (let session = 0; session < 2; session += 1) {
      const signIn = await passwordRound(user);
      for (let i = 0; i < 3 && signIn.last.kind === 'challenge'; i += 1)
        await signIn.respondToChallenge(wrongCode(app, 10));
    }
    const locked = await storedRecord(user);

    // Act
    const refused = await waiting.respondToChallenge(code);
    const refusal = lastRefusal();
    const afterRefusal = await storedRecord(user);
    await expireLock(user);
    const later = await (await passwordRound(user)).respondToChallenge(code);
    const afterUse = await storedRecord(user);

    // Assess
    expect(locked.lockedUntil).toBeGreaterThan(Date.now() / 1000);
    expect(refused).toMatchObject({
      kind: 'error',
      name: 'NotAuthorizedException',
    });
    expect(waiting.session.at(-1)).toMatchObject({ challengeResult: false });
    expect(refusal).toMatchObject({ reason: 'locked_out' });
    expect(afterRefusal).toEqual(locked);
    expect(Object.keys(afterRefusal.recovery.hashes)).toHaveLength(10);
    expect(later).toEqual({ kind: 'tokens' });
    expect(Object.keys(afterUse.recovery.hashes)).toHaveLength(9);
    expect(afterUse.lockedUntil).toBeUndefined();
  });

  it('locks the user after five wrong codes in two sessions, and refuses the next session at once', async () => {
    // Prepare
    const { user, app } = await enrolledUser();
    const wrong = () => wrongCode(app, 10);

    // Act
    const first = await passwordRound(user);
    for (let i = 0; i < 3; i += 1) await first.respondToChallenge(wrong());
    const second = await passwordRound(user);
    await second.respondToChallenge(wrong());
    const fifth = await second.respondToChallenge(wrong());
    const third = await passwordRound(user);
    const record = await storedRecord(user);

    // Assess
    expect(first.last).toMatchObject({ kind: 'error' });
    expect(fifth).toMatchObject({
      kind: 'error',
      name: 'NotAuthorizedException',
    });
    expect(third.last).toMatchObject({
      kind: 'error',
      name: 'NotAuthorizedException',
    });
    expect(record.lockedUntil).toBeGreaterThan(Date.now() / 1000);
  });

  it('judges no more parallel answers than the threshold: a burst from many sessions locks the user', async () => {
    // Prepare
    const { user, app } = await enrolledUser();
    const sessions = await Promise.all(
      Array.from({ length: 12 }, () => passwordRound(user)),
    );

    const judged = () =>
      capturedLogRecords().filter(
        (line) =>
          line.message === 'answer refused' && line.reason === 'wrong_code',
      ).length;
    const judgedBefore = judged();

    // Act
    const wrong = await Promise.all(
      sessions.map((signIn, index) =>
        signIn.respondToChallenge(wrongCode(app, 20 + index)),
      ),
    );
    const record = await storedRecord(user);
    const late = await passwordRound(user);

    // Assess
    expect(wrong.some((result) => result.kind === 'tokens')).toBe(false);
    expect(judged() - judgedBefore).toBe(5);
    expect(record.lockouts).toBe(1);
    expect(record.lockedUntil).toBeGreaterThan(Date.now() / 1000);
    expect(late.last).toMatchObject({
      kind: 'error',
      name: 'NotAuthorizedException',
    });
  });

  it('resets the failure count on success', async () => {
    // Prepare
    const { user, app } = await enrolledUser();
    const signIn = await passwordRound(user);
    await signIn.respondToChallenge(wrongCode(app, 10));

    // Act
    const result = await signIn.respondToChallenge(app.code(1));
    const record = await storedRecord(user);

    // Assess
    expect(result).toEqual({ kind: 'tokens' });
    expect(record.failures).toBe(0);
  });
});

describe('recovery codes', () => {
  it('accept each code once in place of a TOTP code', async () => {
    // Prepare
    const { user, recoveryCodes } = await enrolledUser();
    const code = recoveryCodes[3] ?? '';

    // Act
    const first = await (await passwordRound(user)).respondToChallenge(
      code.toUpperCase(),
    );
    const second = await (await passwordRound(user)).respondToChallenge(code);
    const record = await storedRecord(user);

    // Assess
    expect(first).toEqual({ kind: 'tokens' });
    expect(second.kind).toBe('challenge');
    expect(Object.keys(record.recovery.hashes)).toHaveLength(9);
  });

  it("are hashed under a key sealed for their user: a set copied to another user's record opens for nobody", async () => {
    // Prepare: B's record gets A's set (a tampered or restored table)
    const a = await enrolledUser();
    const b = await enrolledUser();
    const aRecord = await storedRecord(a.user);
    await new DynamoDBClient({}).send(
      new UpdateItemCommand({
        TableName: stack.env.TOTP_TABLE,
        Key: { pk: { S: `totp#${POOL.userPoolId}#${b.user.attributes.sub}` } },
        UpdateExpression: 'SET recovery = :recovery',
        ExpressionAttributeValues: {
          ':recovery': { M: marshall(aRecord.recovery) },
        },
      }),
    );

    // Act
    const result = await (await passwordRound(b.user)).respondToChallenge(
      a.recoveryCodes[0] ?? '',
    );
    const bRecord = await storedRecord(b.user);

    // Assess: no sign-in, for the set's key, and A's set is left whole in
    // B's record
    expect(aRecord.recovery.key).toBeInstanceOf(Uint8Array);
    expect(result.kind).toBe('error');
    expect(capturedLogRecords()).toContainEqual(
      expect.objectContaining({ message: 'recovery code set unreadable' }),
    );
    expect(Object.keys(bRecord.recovery.hashes)).toHaveLength(10);
  });
});

describe('unknown users', () => {
  it('fail exactly like a real user with a wrong password', async () => {
    // Prepare
    const { user } = await enrolledUser();

    // Act
    const unknown = await pool.initiateAuth('nobody@example.com');
    const unknownResult = await unknown.respondToPassword('guess');
    const real = await pool.initiateAuth(user.userName);
    const realResult = await real.respondToPassword('guess');

    // Assess
    expect(unknown.session).toEqual(real.session);
    expect(unknownResult).toEqual(realResult);
  });
});
