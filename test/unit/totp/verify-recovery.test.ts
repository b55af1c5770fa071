import { randomBytes } from 'node:crypto';
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DecryptCommand } from '@aws-sdk/client-kms';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateOtpSecret } from '../../../shared/crypto/otp';
import {
  generateRecoveryCodes,
  hashRecoveryCodes,
  hashRecoveryCodesWithScrypt,
} from '../../../shared/crypto/otp-recovery';
import { DependencyError } from '../../../shared/errors';
import { verifyAuthChallengeResponse } from '../../../shared/totp/verify';
import { capturedLogRecords } from '../../support/log-capture';
import { trackSecret } from '../../support/secrets';
import {
  CT,
  conditionFailed,
  deployment,
  dynamo,
  event,
  kms,
  lastReason,
  PARAMS,
  stored,
} from './verify-setup';

/** The EMF lines that count `name` (one per countMetric call). */
const metricLines = (name: string) =>
  capturedLogRecords().filter((line) =>
    JSON.stringify(line._aws ?? null).includes(`"${name}"`),
  );

/** The sealed key of the sets below (what KMS Encrypt would return). */
const SET_KEY_CT = new Uint8Array([7, 7, 7]);

/**
 * A set as Create stores it: hashed under a fresh key, sealed as
 * {@link SET_KEY_CT}, which the mocked KMS opens (and nothing else but the
 * TOTP secret).
 */
function keyedSet(codes: readonly string[]) {
  const key = randomBytes(32);
  kms.on(DecryptCommand).callsFake(async (input) => ({
    Plaintext: Buffer.from(
      Buffer.from(input.CiphertextBlob).equals(Buffer.from(SET_KEY_CT))
        ? key.toString('base64url')
        : secret,
    ),
  }));
  return { ...hashRecoveryCodes(codes, key), key: SET_KEY_CT };
}

/**
 * A user with two recovery codes (a set as Create stores it) answers with
 * the first; every write succeeds.
 */
async function answerWithOwnCode() {
  const codes = generateRecoveryCodes(2);
  trackSecret(...codes);
  stored({
    active: { ct: CT, ...PARAMS, activatedAt: 1 },
    recovery: keyedSet(codes),
  });
  dynamo.on(UpdateItemCommand).resolves({ Attributes: marshall({}) });
  return verifyAuthChallengeResponse(event(codes[0]), deployment);
}

let secret: string;
beforeEach(() => {
  dynamo.reset();
  kms.reset();
  secret = generateOtpSecret('SHA1');
  trackSecret(secret);
  kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from(secret) });
  dynamo
    .on(UpdateItemCommand)
    .resolves({ Attributes: marshall({ failures: 1 }) });
});

describe('recovery codes in Verify', () => {
  it('accepts an unused code once, removing it with a conditional write', async () => {
    // Prepare
    const codes = generateRecoveryCodes(2);
    trackSecret(...codes);
    stored({
      active: { ct: CT, ...PARAMS, activatedAt: 1 },
      recovery: keyedSet(codes),
    });
    dynamo.on(UpdateItemCommand).resolves({
      Attributes: marshall({
        recovery: { salt: 'x'.repeat(22), hashes: { c0: 'y'.repeat(43) } },
      }),
    });

    // Act
    const response = await verifyAuthChallengeResponse(
      event(codes[1]),
      deployment,
    );

    // Assess
    expect(response).toEqual({ answerCorrect: true });
    const update = dynamo.commandCalls(UpdateItemCommand)[1]?.args[0].input;
    expect(update?.ExpressionAttributeNames).toEqual({ '#id': 'c1' });
    expect(capturedLogRecords()).toContainEqual(
      expect.objectContaining({
        message: 'recovery code used',
        recoveryCodesLeft: 1,
      }),
    );
  });

  it('counts each recovery code it accepts (TotpRecoveryCodeUsed)', async () => {
    // Act
    const response = await answerWithOwnCode();

    // Assess: one EMF count, in the suite's namespace, for this stage
    expect(response).toEqual({ answerCorrect: true });
    const counted = metricLines('TotpRecoveryCodeUsed');
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({
      TotpRecoveryCodeUsed: 1,
      stage: 'test',
    });
    expect(counted[0]?._aws).toMatchObject({
      CloudWatchMetrics: [
        {
          Namespace: 'CognitoTriggerSuite',
          Metrics: [{ Name: 'TotpRecoveryCodeUsed', Unit: 'Count' }],
        },
      ],
    });
  });

  it("opens the set's key for this user only (its encryption context)", async () => {
    // Act
    const response = await answerWithOwnCode();

    // Assess
    expect(response).toEqual({ answerCorrect: true });
    const decrypts = kms.commandCalls(DecryptCommand);
    expect(decrypts).toHaveLength(1);
    expect(decrypts[0]?.args[0].input).toMatchObject({
      KeyId: deployment.keyArn,
      CiphertextBlob: SET_KEY_CT,
      EncryptionContext: {
        'userpool-id': 'eu-central-1_Tr1ggers0',
        sub: '5f1b7c2e-9a0d-4e8b-b3c1-2d4e6f8a0b1c',
      },
    });
  });

  it('still accepts a code of a set stored with scrypt hashes, opening nothing', async () => {
    // Prepare
    const codes = generateRecoveryCodes(2);
    trackSecret(...codes);
    stored({
      active: { ct: CT, ...PARAMS, activatedAt: 1 },
      recovery: await hashRecoveryCodesWithScrypt(codes),
    });
    dynamo.on(UpdateItemCommand).resolves({ Attributes: marshall({}) });

    // Act
    const response = await verifyAuthChallengeResponse(
      event(codes[1]),
      deployment,
    );

    // Assess
    expect(response).toEqual({ answerCorrect: true });
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
    expect(metricLines('TotpRecoveryLegacySet')).toHaveLength(1);
    const update = dynamo.commandCalls(UpdateItemCommand)[1]?.args[0].input;
    expect(update?.ExpressionAttributeNames).toEqual({ '#id': 'c1' });
  });

  it('refuses a code another request used first', async () => {
    // Prepare
    const codes = generateRecoveryCodes(1);
    trackSecret(...codes);
    stored({
      active: { ct: CT, ...PARAMS, activatedAt: 1 },
      recovery: keyedSet(codes),
    });
    dynamo.on(UpdateItemCommand).callsFake(async (input) => {
      if (input.ConditionExpression?.includes('recovery'))
        throw conditionFailed();
      return { Attributes: marshall({ failures: 1 }) };
    });

    // Act
    const response = await verifyAuthChallengeResponse(
      event(codes[0]),
      deployment,
    );

    // Assess
    expect(response).toEqual({ answerCorrect: false });
    expect(lastReason()).toBe('recovery_code_used');
    expect(metricLines('TotpRecoveryCodeUsed')).toEqual([]);
  });

  it.each([
    [
      'in the enrollment round',
      { privateChallengeParameters: { round: 'TOTP_ENROLL' } },
      true,
      'no_recovery_codes',
    ],
    ['for a user without codes', {}, false, 'no_recovery_codes'],
    ['when the code is not one of them', {}, true, 'wrong_recovery_code'],
  ])('refuses a recovery code %s', async (_title, extra, hasCodes, reason) => {
    // Prepare
    const [mine, other] = generateRecoveryCodes(2) as [string, string];
    trackSecret(mine, other);
    stored({
      active: { ct: CT, ...PARAMS, activatedAt: 1 },
      ...(hasCodes ? { recovery: keyedSet([mine]) } : {}),
    });

    // Act
    const response = await verifyAuthChallengeResponse(
      event(other, extra),
      deployment,
    );

    // Assess
    expect(response).toEqual({ answerCorrect: false });
    expect(lastReason()).toBe(reason);
  });
});

describe('failing dependencies in Verify', () => {
  it('raises a DependencyError (no secret, no table data) when DynamoDB fails', async () => {
    // Prepare
    dynamo
      .on(GetItemCommand)
      .rejects(new Error('connect ECONNREFUSED 10.0.0.1'));

    // Act
    const error = await verifyAuthChallengeResponse(
      event('123456'),
      deployment,
    ).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).dependency).toBe('dynamodb');
  });

  it('raises a permanent DependencyError when a secret does not decrypt', async () => {
    // Prepare
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 } });
    const invalid = new Error('bad');
    invalid.name = 'InvalidCiphertextException';
    kms.on(DecryptCommand).rejects(invalid);

    // Act
    const error = await verifyAuthChallengeResponse(
      event('123456'),
      deployment,
    ).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ dependency: 'kms', isTransient: false });
  });

  it.each([
    // another user's set: its key sealed for that user
    ['InvalidCiphertextException', false, 1],
    // KMS busy now: nothing to alarm on
    ['ThrottlingException', true, 0],
  ])(
    "fails with %s as a DependencyError (transient: %s), using up nothing, when a set's key does not open",
    async (name, isTransient, alarms) => {
      // Prepare
      const codes = generateRecoveryCodes(1);
      trackSecret(...codes);
      stored({
        active: { ct: CT, ...PARAMS, activatedAt: 1 },
        recovery: keyedSet(codes),
      });
      const failure = new Error('failed');
      failure.name = name;
      kms.on(DecryptCommand).rejects(failure);

      // Act
      const error = await verifyAuthChallengeResponse(
        event(codes[0]),
        deployment,
      ).catch((e: unknown) => e);

      // Assess: the attempt reserved, then released; no code used up
      expect(error).toBeInstanceOf(DependencyError);
      expect(error).toMatchObject({ dependency: 'kms', isTransient });
      const writes = dynamo
        .commandCalls(UpdateItemCommand)
        .map((call) => call.args[0].input.UpdateExpression ?? '');
      expect(writes).toEqual([
        expect.stringContaining('ADD failures :one'),
        expect.stringContaining('ADD failures :minusOne'),
      ]);
      expect(writes.join(' ')).not.toContain('recovery');
      expect(metricLines('TotpRecoveryUnreadable')).toHaveLength(alarms);
      expect(
        capturedLogRecords().filter(
          (line) => line.message === 'recovery code set unreadable',
        ),
      ).toHaveLength(alarms);
    },
  );
});
