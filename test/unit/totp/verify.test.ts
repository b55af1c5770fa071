import { randomBytes } from 'node:crypto';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DecryptCommand } from '@aws-sdk/client-kms';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { otpForStep, timeStepAt } from '../../../shared/crypto/otp';
import { hashRecoveryCodes } from '../../../shared/crypto/otp-recovery';
import { pendingTag } from '../../../shared/totp/enrollment';
import { LOCKED_UNTIL_RESET } from '../../../shared/totp/record';
import {
  RELEASE_MARGIN_MS,
  verifyAuthChallengeResponse,
} from '../../../shared/totp/verify';
import { trackSecret } from '../../support/secrets';
import {
  CT,
  conditionFailed,
  deployment,
  dynamo,
  event,
  kms,
  lastReason,
  NOW,
  PARAMS,
  stored,
} from './verify-setup';

const STEP = timeStepAt(30, NOW);
const ENROLL = { round: 'TOTP_ENROLL', pending: pendingTag({ ct: CT }) };
// Fixed (the RFC 6238 SHA1 seed in base32), so that with NOW fixed every run
// judges the same codes: those of steps STEP−3 … STEP+25 all differ, so no
// code matches a neighbouring step or a "wrong" far step by chance.
const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
beforeEach(() => {
  dynamo.reset();
  kms.reset();
  trackSecret(secret);
  kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from(secret) });
  dynamo
    .on(UpdateItemCommand)
    .resolves({ Attributes: marshall({ failures: 1 }) });
});

describe('verifyAuthChallengeResponse', () => {
  it('accepts the current code and records its step with a conditional write', async () => {
    // Prepare
    stored({
      active: { ct: CT, ...PARAMS, activatedAt: 1 },
      lastStep: STEP - 5,
    });
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const response = await verifyAuthChallengeResponse(event(code), deployment);

    // Assess
    expect(response).toEqual({ answerCorrect: true });
    const update = dynamo.commandCalls(UpdateItemCommand)[1]?.args[0].input;
    expect(update?.ConditionExpression).toContain('lastStep < :step');
    expect(update?.ExpressionAttributeValues?.[':step']).toEqual({
      N: String(STEP),
    });
  });

  it('refuses a step at or before the last accepted one without writing it', async () => {
    // Prepare
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 }, lastStep: STEP });
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const response = await verifyAuthChallengeResponse(event(code), deployment);

    // Assess
    expect(response).toEqual({ answerCorrect: false });
    expect(lastReason()).toBe('replayed');
    const [reserve, release] = dynamo
      .commandCalls(UpdateItemCommand)
      .map((call) => call.args[0].input.UpdateExpression);
    expect(reserve).toMatch(/^ADD failures :one\b/);
    expect(release).toMatch(/^ADD failures :minusOne\b/);
  });

  it('refuses the loser of a concurrent answer (condition failed)', async () => {
    // Prepare
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 } });
    dynamo.on(UpdateItemCommand).callsFake(async (input) => {
      if (input.ConditionExpression?.includes('lastStep'))
        throw conditionFailed();
      return { Attributes: marshall({ failures: 1 }) };
    });
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const response = await verifyAuthChallengeResponse(event(code), deployment);

    // Assess
    expect(response).toEqual({ answerCorrect: false });
    expect(lastReason()).toBe('replayed');
  });

  it('refuses every answer while the user is locked out, without counting it', async () => {
    // Prepare
    stored({
      active: { ct: CT, ...PARAMS, activatedAt: 1 },
      lockedUntil: NOW / 1000 + 60,
    });
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const response = await verifyAuthChallengeResponse(event(code), deployment);

    // Assess
    expect(response).toEqual({ answerCorrect: false });
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0);
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('locks the user out when the failure reaches the threshold', async () => {
    // Prepare
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 }, lockouts: 2 });
    dynamo
      .on(UpdateItemCommand)
      .resolves({ Attributes: marshall({ failures: 5, lockouts: 2 }) });

    // Act
    const response = await verifyAuthChallengeResponse(
      event('000000x'),
      deployment,
    );

    // Assess
    expect(response).toEqual({ answerCorrect: false });
    const [reserve, lock] = dynamo
      .commandCalls(UpdateItemCommand)
      .map((call) => call.args[0].input);
    expect(reserve?.ConditionExpression).toContain('failures < :threshold');
    expect(lock?.ConditionExpression).toContain('failures >= :threshold');
    expect(lock?.ExpressionAttributeValues?.[':until']).toEqual({
      N: String(NOW / 1000 + 240),
    });
  });

  it('locks the user until an operator resets them at the maxLockouts-th lock in a row', async () => {
    // Prepare: 19 locks since the last success (default maxLockouts 20)
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 }, lockouts: 19 });
    dynamo
      .on(UpdateItemCommand)
      .resolves({ Attributes: marshall({ failures: 5, lockouts: 19 }) });

    // Act
    const response = await verifyAuthChallengeResponse(
      event('000000x'),
      deployment,
    );

    // Assess
    expect(response).toEqual({ answerCorrect: false });
    const lock = dynamo.commandCalls(UpdateItemCommand)[1]?.args[0].input;
    expect(lock?.ExpressionAttributeValues?.[':until']).toEqual({
      N: String(LOCKED_UNTIL_RESET),
    });
  });

  it('still locks for a time at the lock before the last (lockouts one short of maxLockouts)', async () => {
    // Prepare
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 }, lockouts: 18 });
    dynamo
      .on(UpdateItemCommand)
      .resolves({ Attributes: marshall({ failures: 5, lockouts: 18 }) });

    // Act
    await verifyAuthChallengeResponse(event('000000x'), deployment);

    // Assess: at most maxSeconds (3600)
    const lock = dynamo.commandCalls(UpdateItemCommand)[1]?.args[0].input;
    expect(lock?.ExpressionAttributeValues?.[':until']).toEqual({
      N: String(NOW / 1000 + 3600),
    });
  });

  it('judges nothing when no attempt can be reserved, and locks if no lock is in force', async () => {
    // Prepare
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 }, lockouts: 1 });
    dynamo.on(UpdateItemCommand).callsFake(async (input) => {
      if (input.ConditionExpression?.includes('failures < :threshold'))
        throw conditionFailed();
      return {};
    });
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const response = await verifyAuthChallengeResponse(event(code), deployment);

    // Assess
    expect(response).toEqual({ answerCorrect: false });
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
    expect(lastReason()).toBe('locked_out');
    const lock = dynamo.commandCalls(UpdateItemCommand)[1]?.args[0].input;
    expect(lock?.ExpressionAttributeValues?.[':until']).toEqual({
      N: String(NOW / 1000 + 120),
    });
  });

  it('gives the attempt back before Lambda would time out a slow judgement', async () => {
    // Prepare
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 } });
    kms.on(DecryptCommand).callsFake(() => new Promise(() => undefined));
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const act = verifyAuthChallengeResponse(event(code), deployment, {
      remainingMs: () => RELEASE_MARGIN_MS + 50,
    });

    // Assess
    await expect(act).rejects.toMatchObject({ isTransient: true });
    const release = dynamo.commandCalls(UpdateItemCommand).at(-1)
      ?.args[0].input;
    expect(release?.UpdateExpression).toMatch(/^ADD failures :minusOne\b/);
  });

  it('abandons a give-back that hangs, inside the time kept back for it', async () => {
    // Prepare: KMS never answers, and neither does the give-back's write
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 } });
    kms.on(DecryptCommand).callsFake(() => new Promise(() => undefined));
    dynamo
      .on(UpdateItemCommand)
      .callsFake((input: { UpdateExpression?: string }) =>
        input.UpdateExpression?.startsWith('ADD failures :minusOne')
          ? new Promise(() => undefined)
          : { Attributes: marshall({ failures: 1 }) },
      );
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const act = verifyAuthChallengeResponse(event(code), deployment, {
      remainingMs: () => RELEASE_MARGIN_MS + 50,
    });

    // Assess: an outcome (fail closed) rather than a Lambda timeout
    await expect(act).rejects.toMatchObject({ isTransient: true });
    const release = dynamo.commandCalls(UpdateItemCommand).at(-1);
    expect(release?.args[0].input.UpdateExpression).toMatch(
      /^ADD failures :minusOne\b/,
    );
    const options = (release?.args as unknown[] | undefined)?.[1] as
      | { abortSignal?: AbortSignal }
      | undefined;
    expect(options?.abortSignal?.aborted).toBe(true);
  });

  it('never spends the code once the deadline has passed', async () => {
    // Prepare: KMS answers, but only after the deadline
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 } });
    kms
      .on(DecryptCommand)
      .callsFake(
        () =>
          new Promise((resolve) =>
            setTimeout(() => resolve({ Plaintext: Buffer.from(secret) }), 150),
          ),
      );
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const act = verifyAuthChallengeResponse(event(code), deployment, {
      remainingMs: () => RELEASE_MARGIN_MS + 50,
    });
    await expect(act).rejects.toMatchObject({ isTransient: true });
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Assess: the user may send the same code again
    const writes = dynamo
      .commandCalls(UpdateItemCommand)
      .map((call) => String(call.args[0].input.UpdateExpression));
    expect(writes.some((update) => update.includes('lastStep'))).toBe(false);
  });

  it('undoes a reservation whose reply was lost, if it applied and nothing wrote since', async () => {
    // Prepare: the reservation's write fails (it may have applied)
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 } });
    dynamo
      .on(UpdateItemCommand)
      .rejectsOnce(
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      );
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const act = verifyAuthChallengeResponse(event(code), deployment);

    // Assess
    await expect(act).rejects.toThrow();
    const [reserve, undo] = dynamo
      .commandCalls(UpdateItemCommand)
      .map((call) => call.args[0].input);
    expect(undo?.UpdateExpression).toMatch(/^ADD failures :minusOne\b/);
    expect(undo?.ConditionExpression).toContain('lastWriteId = :writeId');
    expect(undo?.ExpressionAttributeValues?.[':writeId']).toEqual(
      reserve?.ExpressionAttributeValues?.[':writeId'],
    );
  });

  it('gives the reserved attempt back when the answer cannot be judged', async () => {
    // Prepare
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 } });
    kms.on(DecryptCommand).rejects(new Error('KMS unreachable'));
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const act = verifyAuthChallengeResponse(event(code), deployment);

    // Assess
    await expect(act).rejects.toThrow();
    const release = dynamo.commandCalls(UpdateItemCommand).at(-1)
      ?.args[0].input;
    expect(release?.UpdateExpression).toMatch(/^ADD failures :minusOne\b/);
  });

  it.each([
    ['a missing round', { privateChallengeParameters: null }, 'unknown_round'],
    [
      'a foreign round',
      { privateChallengeParameters: { round: 'SMS' } },
      'unknown_round',
    ],
  ])(
    'calls an answer with %s wrong, without counting it against the user',
    async (_title, extra, reason) => {
      // Prepare
      stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 } });

      // Act
      const response = await verifyAuthChallengeResponse(
        event('123456', extra),
        deployment,
      );

      // Assess
      expect(response).toEqual({ answerCorrect: false });
      expect(lastReason()).toBe(reason);
      expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0);
    },
  );

  it('activates a self-enrollment secret on its first code, in the same write', async () => {
    // Prepare
    const recovery = {
      ...hashRecoveryCodes(['abcde-fghjk'], randomBytes(32)),
      key: new Uint8Array([9]),
    };
    stored({
      pending: {
        ct: CT,
        ...PARAMS,
        origin: 'self',
        expiresAt: NOW / 1000 + 60,
        recovery,
      },
    });
    const code = otpForStep(secret, PARAMS, STEP - 1);
    trackSecret(code);

    // Act
    const response = await verifyAuthChallengeResponse(
      event(code, { privateChallengeParameters: ENROLL }),
      deployment,
    );

    // Assess
    expect(response).toEqual({ answerCorrect: true });
    const update = dynamo.commandCalls(UpdateItemCommand)[1]?.args[0].input;
    expect(update?.UpdateExpression).toContain('active = :active');
    expect(update?.UpdateExpression).toContain('REMOVE lockedUntil, pending');
    expect(update?.ConditionExpression).toContain('pending.ct = :pendingCt');
  });

  it('activates a re-enrollment whose period differs, whatever the last step of the old secret', async () => {
    // Prepare
    const slow = { ...PARAMS, period: 60 };
    stored({
      active: { ct: new Uint8Array([5]), ...PARAMS, activatedAt: 1 },
      lastStep: STEP + 5,
      pending: { ct: CT, ...slow, origin: 'admin', expiresAt: NOW / 1000 + 60 },
    });
    kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from(secret) });
    const code = otpForStep(secret, slow, timeStepAt(60, NOW));
    trackSecret(code);

    // Act
    const response = await verifyAuthChallengeResponse(event(code), deployment);

    // Assess
    expect(response).toEqual({ answerCorrect: true });
    const update = dynamo.commandCalls(UpdateItemCommand)[1]?.args[0].input;
    expect(update?.ConditionExpression).not.toContain('lastStep');
  });

  describe("with an operator's pending secret that cannot be opened", () => {
    const BROKEN = new Uint8Array([9, 9, 9]);
    const incorrectKey = Object.assign(new Error('wrong key'), {
      name: 'IncorrectKeyException',
    });
    beforeEach(() => {
      stored({
        active: { ct: CT, ...PARAMS, activatedAt: 1 },
        lastStep: STEP - 5,
        pending: {
          ct: BROKEN,
          ...PARAMS,
          origin: 'admin',
          expiresAt: NOW / 1000 + 60,
        },
      });
      kms.on(DecryptCommand).callsFake(async (input) => {
        if (Buffer.from(input.CiphertextBlob).equals(Buffer.from(BROKEN)))
          throw incorrectKey;
        return { Plaintext: Buffer.from(secret) };
      });
    });

    it('counts a wrong code against the active secret (no oracle without lockout)', async () => {
      // Prepare: a code of a far step, none of the window's
      const code = otpForStep(secret, PARAMS, STEP + 20);
      trackSecret(code);
      const window = [-1, 0, 1].map((offset) =>
        otpForStep(secret, PARAMS, STEP + offset),
      );
      expect(window).not.toContain(code);

      // Act
      const response = await verifyAuthChallengeResponse(
        event(code),
        deployment,
      );

      // Assess
      expect(response).toEqual({ answerCorrect: false });
      expect(lastReason()).toBe('wrong_code');
      const writes = dynamo
        .commandCalls(UpdateItemCommand)
        .map((call) => call.args[0].input.UpdateExpression ?? '');
      expect(writes.some((write) => write.includes(':minusOne'))).toBe(false);
      expect(kms.commandCalls(DecryptCommand)).toHaveLength(2);
    });

    it('accepts the right code of the active secret', async () => {
      // Prepare
      const code = otpForStep(secret, PARAMS, STEP);
      trackSecret(code);

      // Act
      const response = await verifyAuthChallengeResponse(
        event(code),
        deployment,
      );

      // Assess
      expect(response).toEqual({ answerCorrect: true });
    });

    it('refuses even the right code while the pending secret fails for now (no oracle)', async () => {
      // Prepare: KMS throttles the pending secret's decrypt
      kms.on(DecryptCommand).callsFake(async (input) => {
        if (Buffer.from(input.CiphertextBlob).equals(Buffer.from(BROKEN)))
          throw Object.assign(new Error('slow down'), {
            name: 'ThrottlingException',
          });
        return { Plaintext: Buffer.from(secret) };
      });
      const code = otpForStep(secret, PARAMS, STEP);
      trackSecret(code);

      // Act
      const verify = verifyAuthChallengeResponse(event(code), deployment);

      // Assess
      await expect(verify).rejects.toThrow(/decrypt failed/);
    });

    it('still fails closed when the active secret cannot be opened', async () => {
      // Prepare
      kms.on(DecryptCommand).rejects(incorrectKey);
      const code = otpForStep(secret, PARAMS, STEP);
      trackSecret(code);

      // Act
      const verify = verifyAuthChallengeResponse(event(code), deployment);

      // Assess
      await expect(verify).rejects.toThrow(/decrypt failed/);
    });
  });

  it('does not accept an expired enrollment', async () => {
    // Prepare
    stored({
      pending: { ct: CT, ...PARAMS, origin: 'self', expiresAt: NOW / 1000 - 1 },
    });
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const response = await verifyAuthChallengeResponse(
      event(code, { privateChallengeParameters: ENROLL }),
      deployment,
    );

    // Assess
    expect(response).toEqual({ answerCorrect: false });
    expect(lastReason()).toBe('no_secret');
  });

  it('accepts an enrollment code only from the secret its round showed', async () => {
    // Prepare
    stored({
      pending: {
        ct: CT,
        ...PARAMS,
        origin: 'self',
        expiresAt: NOW / 1000 + 60,
      },
    });
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);
    const other = pendingTag({ ct: new Uint8Array([7, 7, 7]) });

    // Act
    const untagged = await verifyAuthChallengeResponse(
      event(code, { privateChallengeParameters: { round: 'TOTP_ENROLL' } }),
      deployment,
    );
    const elsewhere = await verifyAuthChallengeResponse(
      event(code, {
        privateChallengeParameters: { round: 'TOTP_ENROLL', pending: other },
      }),
      deployment,
    );

    // Assess
    expect(untagged).toEqual({ answerCorrect: false });
    expect(elsewhere).toEqual({ answerCorrect: false });
    expect(lastReason()).toBe('no_secret');
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('never accepts an unknown user, even with the right code', async () => {
    // Prepare
    stored({
      pending: {
        ct: CT,
        ...PARAMS,
        origin: 'self',
        expiresAt: NOW / 1000 + 60,
      },
    });
    const code = otpForStep(secret, PARAMS, STEP);
    trackSecret(code);

    // Act
    const response = await verifyAuthChallengeResponse(
      event(code, {
        userAttributes: {},
        userNotFound: true,
        privateChallengeParameters: ENROLL,
      }),
      deployment,
    );

    // Assess
    expect(response).toEqual({ answerCorrect: false });
    expect(lastReason()).toBe('user_not_found');
    const failure = dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(failure?.UpdateExpression).toContain('SET expiresAt');
  });

  it('skips a secret whose digit count differs from the answer', async () => {
    // Prepare
    stored({ active: { ct: CT, ...PARAMS, digits: 8, activatedAt: 1 } });

    // Act
    const response = await verifyAuthChallengeResponse(
      event('123456'),
      deployment,
    );

    // Assess
    expect(response).toEqual({ answerCorrect: false });
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });
});
