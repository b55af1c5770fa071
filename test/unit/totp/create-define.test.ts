import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config';
import { otpauthUri } from '../../../shared/crypto/otp';
import {
  findRecoveryCode,
  type RecoveryCodeSet,
} from '../../../shared/crypto/otp-recovery';
import { InvalidEventError, PolicyError } from '../../../shared/errors';
import {
  defineAuthChallengeEventSchema,
  parseEvent,
} from '../../../shared/events';
import { createAuthChallenge } from '../../../shared/totp/create';
import { defineAuthChallenge } from '../../../shared/totp/define';
import { totpDeploymentOf } from '../../../shared/totp/deployment';
import { pendingTag } from '../../../shared/totp/enrollment';
import { uriAccountLabel } from '../../../shared/totp/label';
import { totpSettingsSchema } from '../../../shared/totp/settings';
import { type PoolUser, SimulatedPool } from '../../support/cognito-flow';
import { trackSecret } from '../../support/secrets';

const dynamo = mockClient(DynamoDBClient);
const kms = mockClient(KMSClient);
const NOW = 1_800_000_000_000;
const PARAMS = { algorithm: 'SHA256', digits: 8, period: 30 } as const;
const CT = new Uint8Array([9, 9, 9]);
const deploymentWith = (settings: Record<string, unknown> = {}) => ({
  table: 'totp',
  keyArn:
    'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-000000000002',
  settings: totpSettingsSchema.parse(settings),
  now: () => NOW,
});
const SESSION = [
  { challengeName: 'SRP_A', challengeResult: true },
  { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
];
const ATTRIBUTES = {
  sub: '5f1b7c2e-9a0d-4e8b-b3c1-2d4e6f8a0b1c',
  email: 'ada@example.com',
};

function createEvent(extra: Record<string, unknown> = {}) {
  return {
    triggerSource: 'CreateAuthChallenge_Authentication' as const,
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_Tr1ggers0',
    userName: 'ada',
    request: {
      userAttributes: ATTRIBUTES,
      challengeName: 'CUSTOM_CHALLENGE',
      session: SESSION,
      ...extra,
    },
  };
}

function stored(item: Record<string, unknown> | undefined): void {
  dynamo
    .on(GetItemCommand)
    .resolves(item ? { Item: marshall({ pk: 'x', ...item }) } : {});
}

beforeEach(() => {
  dynamo.reset();
  kms.reset();
  kms.on(EncryptCommand).resolves({ CiphertextBlob: CT });
  dynamo.on(UpdateItemCommand).resolves({});
});

describe('createAuthChallenge', () => {
  it('makes a TOTP round with the enrolled parameters and no secret', async () => {
    // Prepare
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 } });

    // Act
    const response = await createAuthChallenge(createEvent(), deploymentWith());

    // Assess
    expect(response).toEqual({
      publicChallengeParameters: {
        type: 'TOTP',
        algorithm: 'SHA256',
        digits: '8',
        period: '30',
        accountLabel: 'a***@e***.com',
      },
      privateChallengeParameters: { round: 'TOTP' },
      challengeMetadata: 'TOTP',
    });
    expect(kms.calls()).toHaveLength(0);
  });

  it('makes a TOTP round for an operator-enrolled secret, never showing it', async () => {
    // Prepare
    stored({
      pending: {
        ct: CT,
        ...PARAMS,
        origin: 'admin',
        expiresAt: NOW / 1000 + 60,
      },
    });

    // Act
    const response = await createAuthChallenge(createEvent(), deploymentWith());

    // Assess
    expect(response.challengeMetadata).toBe('TOTP');
    expect(response.publicChallengeParameters.otpauthUri).toBeUndefined();
  });

  it('starts a self-enrollment with a sealed secret under the user’s encryption context', async () => {
    // Prepare
    stored(undefined);

    // Act
    const response = await createAuthChallenge(createEvent(), deploymentWith());
    trackSecret(
      response.publicChallengeParameters.otpauthUri,
      response.publicChallengeParameters.recoveryCodes,
    );

    // Assess
    const tag = pendingTag({ ct: CT });
    expect(response.challengeMetadata).toBe(`TOTP_ENROLL#${tag}`);
    expect(response.privateChallengeParameters).toEqual({
      round: 'TOTP_ENROLL',
      pending: tag,
    });
    expect(response.publicChallengeParameters.otpauthUri).toMatch(
      /^otpauth:\/\/totp\/Cognito:ada%40example\.com\?/,
    );
    expect(
      response.publicChallengeParameters.recoveryCodes?.split(' '),
    ).toHaveLength(10);
    const encrypt = kms.commandCalls(EncryptCommand)[0]?.args[0].input;
    expect(encrypt?.EncryptionContext).toEqual({
      'userpool-id': 'eu-central-1_Tr1ggers0',
      sub: ATTRIBUTES.sub,
    });
    const put = dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(put?.ConditionExpression).toContain('attribute_not_exists(active)');
    expect(put?.ConditionExpression).toContain('pending.origin = :self');
  });

  it('stores the recovery codes as hashes under a key sealed for the user, never the key itself', async () => {
    // Prepare: a "ciphertext" that carries its plaintext, so the test can
    // open what was sealed
    stored(undefined);
    const SEALED = Buffer.from('sealed:');
    kms.on(EncryptCommand).callsFake(async (input) => ({
      CiphertextBlob: Buffer.concat([SEALED, Buffer.from(input.Plaintext)]),
    }));

    // Act
    const response = await createAuthChallenge(createEvent(), deploymentWith());
    const codes = (
      response.publicChallengeParameters.recoveryCodes ?? ''
    ).split(' ');
    trackSecret(response.publicChallengeParameters.otpauthUri, ...codes);

    // Assess
    const contexts = kms
      .commandCalls(EncryptCommand)
      .map((call) => call.args[0].input.EncryptionContext);
    expect(contexts).toHaveLength(3);
    for (const context of contexts) {
      expect(context).toEqual({
        'userpool-id': 'eu-central-1_Tr1ggers0',
        sub: ATTRIBUTES.sub,
      });
    }
    const put = dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    const set = unmarshall(put?.ExpressionAttributeValues ?? {})[':pending']
      .recovery as RecoveryCodeSet;
    const sealedKey = Buffer.from(set.key ?? new Uint8Array());
    expect(sealedKey.subarray(0, SEALED.length)).toEqual(SEALED);
    const key = Buffer.from(
      sealedKey.subarray(SEALED.length).toString(),
      'base64url',
    );
    expect(key).toHaveLength(32);
    expect(JSON.stringify(put)).not.toContain(codes[0]);
    expect(await findRecoveryCode(codes[9] ?? '', set, key)).toBe('c9');
  });

  it('enrols without recovery codes when recoveryCodes is 0, never sealing an empty plaintext', async () => {
    // Prepare
    stored(undefined);

    // Act
    const response = await createAuthChallenge(
      createEvent(),
      deploymentWith({ recoveryCodes: 0 }),
    );
    trackSecret(response.publicChallengeParameters.otpauthUri);

    // Assess
    expect(response.publicChallengeParameters.recoveryCodes).toBe('');
    const sealed = kms
      .commandCalls(EncryptCommand)
      .map((call) => call.args[0].input.Plaintext?.length);
    expect(sealed).toHaveLength(1);
    expect(sealed[0]).toBeGreaterThan(0);
  });

  it('shows a session the secret its previous enrollment round showed', async () => {
    // Prepare
    stored({
      pending: {
        ct: CT,
        rct: CT,
        ...PARAMS,
        origin: 'self',
        expiresAt: NOW / 1000 + 60,
      },
    });
    kms
      .on(DecryptCommand)
      .resolvesOnce({ Plaintext: Buffer.from('JBSWY3DPEHPK3PXP') })
      .resolves({ Plaintext: Buffer.from('aaaaa-bbbbb ccccc-ddddd') });
    trackSecret('JBSWY3DPEHPK3PXP', 'aaaaa-bbbbb', 'ccccc-ddddd');
    const shown = {
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: false,
      challengeMetadata: `TOTP_ENROLL#${pendingTag({ ct: CT })}`,
    };

    // Act
    const response = await createAuthChallenge(
      createEvent({ session: [...SESSION, shown] }),
      deploymentWith(),
    );

    // Assess
    expect(response.publicChallengeParameters.otpauthUri).toContain(
      'secret=JBSWY3DPEHPK3PXP',
    );
    expect(response.publicChallengeParameters.recoveryCodes).toBe(
      'aaaaa-bbbbb ccccc-ddddd',
    );
    expect(kms.commandCalls(EncryptCommand)).toHaveLength(0);
  });

  it('never hands a stored enrollment to another session: it gets a fresh secret', async () => {
    // Prepare
    stored({
      pending: {
        ct: new Uint8Array([9, 9, 9]),
        rct: CT,
        ...PARAMS,
        origin: 'self',
        expiresAt: NOW / 1000 + 60,
      },
    });

    // Act
    const response = await createAuthChallenge(createEvent(), deploymentWith());
    trackSecret(
      response.publicChallengeParameters.otpauthUri,
      response.publicChallengeParameters.recoveryCodes,
    );

    // Assess
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
    // the secret, the codes to show again, the recovery set's key
    expect(kms.commandCalls(EncryptCommand)).toHaveLength(3);
    expect(response.privateChallengeParameters.pending).toBe(
      pendingTag({ ct: CT }),
    );
  });

  it('fails closed when the user got a secret while the enrollment was made', async () => {
    // Prepare
    stored(undefined);
    dynamo
      .on(UpdateItemCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'x', $metadata: {} }),
      );

    // Act
    const act = createAuthChallenge(createEvent(), deploymentWith());

    // Assess
    await expect(act).rejects.toThrow();
  });

  it('refuses a user without a secret when enrollment is admin', async () => {
    // Prepare
    stored(undefined);

    // Act
    const error = await createAuthChallenge(
      createEvent(),
      deploymentWith({ enrollment: 'admin' }),
    ).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PolicyError);
  });

  it('refuses a challenge other than CUSTOM_CHALLENGE', async () => {
    // Act
    const error = await createAuthChallenge(
      createEvent({ challengeName: 'SMS_MFA' }),
      deploymentWith(),
    ).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
  });
});

describe('defineAuthChallenge', () => {
  const defineEvent = (session: unknown[]) => ({
    triggerSource: 'DefineAuthChallenge_Authentication' as const,
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_Tr1ggers0',
    userName: 'ada',
    request: { userAttributes: ATTRIBUTES, session: session as any },
  });

  it('fails at once while the user is locked out', async () => {
    // Prepare
    stored({
      active: { ct: CT, ...PARAMS, activatedAt: 1 },
      lockedUntil: NOW / 1000 + 1,
    });

    // Act
    const response = await defineAuthChallenge(
      defineEvent(SESSION),
      deploymentWith(),
    );

    // Assess
    expect(response).toEqual({ issueTokens: false, failAuthentication: true });
  });

  it('presents the TOTP round once the lockout has passed', async () => {
    // Prepare
    stored({
      active: { ct: CT, ...PARAMS, activatedAt: 1 },
      lockedUntil: NOW / 1000,
    });

    // Act
    const response = await defineAuthChallenge(
      defineEvent(SESSION),
      deploymentWith({ enrollment: 'admin' }),
    );

    // Assess
    expect(response).toEqual({
      challengeName: 'CUSTOM_CHALLENGE',
      issueTokens: false,
      failAuthentication: false,
    });
  });

  it('does not read the table for the SRP_A round', async () => {
    // Act
    const response = await defineAuthChallenge(
      defineEvent([SESSION[0]]),
      deploymentWith(),
    );

    // Assess
    expect(response.challengeName).toBe('PASSWORD_VERIFIER');
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('defineAuthChallenge for an unknown user', () => {
  const REAL: PoolUser = {
    userName: 'ada',
    password: 'correct horse battery staple',
    attributes: ATTRIBUTES,
  };

  /** A pool whose Define is the real one; no other trigger is reachable. */
  function definePool(): SimulatedPool {
    const unreachable = async () => {
      throw new Error('not reachable with a wrong password');
    };
    const pool = new SimulatedPool(
      {
        define: async (event) => {
          const parsed = parseEvent(defineAuthChallengeEventSchema, event);
          event.response = await defineAuthChallenge(parsed, deploymentWith());
          return event;
        },
        create: unreachable,
        verify: unreachable,
      },
      { userPoolId: 'eu-central-1_Tr1ggers0', clientId: 'client' },
    );
    pool.addUser(REAL);
    return pool;
  }

  /** The SRP_A round and a failed PASSWORD_VERIFIER round, as Cognito runs them. */
  async function walk(userName: string) {
    const pool = definePool();
    dynamo.resetHistory();
    const signIn = await pool.initiateAuth(userName);
    const srpReads = dynamo.calls().length;
    await signIn.respondToPassword('not-the-password');
    const passwordReads = dynamo.calls().length - srpReads;
    return {
      reads: [srpReads, passwordReads],
      requests: pool.trace.map((entry) => entry.request),
      responses: pool.trace.map((entry) => entry.response),
      session: signIn.session,
      last: signIn.last,
    };
  }

  it('walks the same path as a real user: no table read in the SRP_A or a failed password round, the same answers', async () => {
    // Prepare: a record a table read would find
    stored({ active: { ct: CT, ...PARAMS, activatedAt: 1 } });

    // Act
    const real = await walk(REAL.userName);
    const unknown = await walk('nobody');

    // Assess
    expect(unknown.requests.map((request) => request.userNotFound)).toEqual([
      true,
      true,
    ]);
    expect(real.reads).toEqual([0, 0]);
    expect(unknown.reads).toEqual([0, 0]);
    expect(unknown.responses).toStrictEqual(real.responses);
    expect(unknown.responses).toStrictEqual([
      {
        challengeName: 'PASSWORD_VERIFIER',
        issueTokens: false,
        failAuthentication: false,
      },
      { issueTokens: false, failAuthentication: true },
    ]);
    expect(unknown.session).toStrictEqual(real.session);
    expect(unknown.last).toStrictEqual(real.last);
  });
});

describe('defineAuthChallenge refusals', () => {
  const withAttributes = (userAttributes: Record<string, string>) => ({
    triggerSource: 'DefineAuthChallenge_Authentication' as const,
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_Tr1ggers0',
    userName: 'ada',
    request: { userAttributes, session: SESSION },
  });

  it('refuses a user without a secret when enrollment is admin', async () => {
    // Prepare
    stored(undefined);

    // Act
    const response = await defineAuthChallenge(
      withAttributes(ATTRIBUTES),
      deploymentWith({ enrollment: 'admin' }),
    );

    // Assess
    expect(response).toEqual({ issueTokens: false, failAuthentication: true });
  });

  it('refuses, with admin enrollment, a user whose only secret is a self-enrollment left from before (Create could not ask for it)', async () => {
    // Prepare
    stored({
      pending: {
        ct: CT,
        ...PARAMS,
        origin: 'self',
        expiresAt: NOW / 1000 + 60,
      },
    });

    // Act
    const response = await defineAuthChallenge(
      withAttributes(ATTRIBUTES),
      deploymentWith({ enrollment: 'admin' }),
    );

    // Assess
    expect(response).toEqual({ issueTokens: false, failAuthentication: true });
  });

  it('offers the TOTP round, with admin enrollment, to a user with an operator enrollment', async () => {
    // Prepare
    stored({
      pending: {
        ct: CT,
        ...PARAMS,
        origin: 'admin',
        expiresAt: NOW / 1000 + 60,
      },
    });

    // Act
    const response = await defineAuthChallenge(
      withAttributes(ATTRIBUTES),
      deploymentWith({ enrollment: 'admin' }),
    );

    // Assess
    expect(response.challengeName).toBe('CUSTOM_CHALLENGE');
  });

  it.each([
    ['no sub', {}],
    ['a hostile sub', { sub: '../../etc#x' }],
  ])(
    'raises InvalidEventError for a user with %s',
    async (_title, attributes) => {
      // Act
      const error = await defineAuthChallenge(
        withAttributes(attributes),
        deploymentWith(),
      ).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(InvalidEventError);
    },
  );
});

describe('deployment and labels', () => {
  it('takes the table, key and settings from the configuration', () => {
    // Prepare
    const config = parseConfig(
      {
        KMS_KEY_ARN:
          'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-000000000001',
        TOTP_KEY_ARN:
          'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-000000000002',
        STATE_TABLE: 'state',
        TOTP_TABLE: 'totp-table',
      },
      { totp: { enrollment: 'admin', digits: 8 } },
    );

    // Act
    const deployment = totpDeploymentOf(config);

    // Assess
    expect(deployment).toMatchObject({
      table: 'totp-table',
      settings: { enrollment: 'admin', digits: 8, window: 1 },
    });
    expect(deployment.keyArn).toContain('000000000002');
    expect(Math.abs(deployment.now() - Date.now())).toBeLessThan(1000);
  });

  it('labels the authenticator entry with the email, else the user name', () => {
    // Act + Assess
    expect(uriAccountLabel({ email: 'ada@example.com' }, 'u')).toBe(
      'ada@example.com',
    );
    expect(uriAccountLabel({}, 'ada')).toBe('ada');
  });

  it('clips a long label to 128 characters without cutting one in half', () => {
    // Prepare: a supplementary-plane character straddles UTF-16 unit 128.
    const email = `${'a'.repeat(127)}𠮷${'b'.repeat(20)}@example.com`;

    // Act
    const label = uriAccountLabel({ email }, 'u');
    const uri = otpauthUri({
      issuer: 'Example',
      label,
      secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      parameters: { algorithm: 'SHA1', digits: 6, period: 30 },
    });

    // Assess
    expect([...label]).toHaveLength(128);
    expect(label.endsWith('𠮷')).toBe(true);
    expect(uri).toContain(encodeURIComponent(label));
  });
});
