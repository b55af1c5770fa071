import { randomBytes } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PoolUser, SimulatedPool } from '../support/cognito-flow';
import { loadEvent } from '../support/events';
import { loadBundle, useLocalStack } from '../support/local-stack';
import { capturedLogRecords, capturedLogs } from '../support/log-capture';
import { startBlackHole } from '../support/moto';
import {
  Authenticator,
  newPoolUser,
  POOL,
} from '../support/totp-authenticator';

/**
 * Bad input and failing dependencies: every case fails closed (no tokens),
 * logs a reason, and shows the user the generic message without a stack
 * trace or a secret.
 */

const GENERIC = 'The request could not be completed. Please try again later';
const stack = useLocalStack();
let bundles: Record<
  'define' | 'create' | 'verify',
  (event: any) => Promise<any>
>;
let pool: SimulatedPool;

beforeAll(() => {
  bundles = {
    define: loadBundle('defineAuthChallenge').handler,
    create: loadBundle('createAuthChallenge').handler,
    verify: loadBundle('verifyAuthChallengeResponse').handler,
  };
  pool = new SimulatedPool(bundles, POOL);
});

async function putRecord(
  user: PoolUser,
  item: Record<string, unknown>,
): Promise<void> {
  await new DynamoDBClient({}).send(
    new PutItemCommand({
      TableName: stack.env.TOTP_TABLE,
      Item: marshall({
        pk: `totp#${POOL.userPoolId}#${user.attributes.sub}`,
        ...item,
      }),
    }),
  );
}

async function toTotpRound(user: PoolUser) {
  pool.addUser(user);
  const flow = await pool.initiateAuth(user.userName);
  await flow.respondToPassword(user.password);
  return flow;
}

function expectGenericFailure(
  result: unknown,
  trigger: string,
  logged = 'trigger failed',
): void {
  expect(result).toEqual({
    kind: 'error',
    name: 'UserLambdaValidationException',
    message: `${trigger} failed with error ${GENERIC}.`,
  });
  expect(capturedLogRecords()).toContainEqual(
    expect.objectContaining({ message: logged }),
  );
}

describe('bad session', () => {
  it.each([
    [
      'an unknown challenge name',
      [
        { challengeName: 'SRP_A', challengeResult: true },
        { challengeName: 'DEVICE_SRP_AUTH', challengeResult: true },
      ],
    ],
    [
      'a reordered session',
      [
        { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
        { challengeName: 'SRP_A', challengeResult: true },
      ],
    ],
    [
      'a custom round without a TOTP name',
      [
        { challengeName: 'SRP_A', challengeResult: true },
        { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
        {
          challengeName: 'CUSTOM_CHALLENGE',
          challengeResult: true,
          challengeMetadata: 'OTHER',
        },
      ],
    ],
  ])('fails %s', async (_title, session) => {
    // Prepare
    const user = newPoolUser();
    const event = {
      version: '1',
      region: 'eu-central-1',
      userPoolId: POOL.userPoolId,
      userName: user.userName,
      callerContext: { awsSdkVersion: 'x', clientId: POOL.clientId },
      triggerSource: 'DefineAuthChallenge_Authentication',
      request: { userAttributes: user.attributes, session },
      response: {},
    };

    // Act
    const result = await bundles.define(event);

    // Assess
    expect(result.response).toMatchObject({
      issueTokens: false,
      failAuthentication: true,
    });
    expect(capturedLogRecords()).toContainEqual(
      expect.objectContaining({ message: 'define decision', outcome: 'fail' }),
    );
  });
});

describe('the response Cognito sends in', () => {
  it('never survives beside the decision: a pre-filled challengeName is dropped with tokens', async () => {
    // Prepare
    const event = loadEvent('defineAuthChallenge', 'custom-challenge-success');
    event.response = {
      challengeName: 'CUSTOM_CHALLENGE',
      issueTokens: null,
      failAuthentication: null,
    };

    // Act
    const result = await bundles.define(event);

    // Assess
    expect(result.response).toEqual({
      issueTokens: true,
      failAuthentication: false,
    });
  });
});

describe('bad answers', () => {
  it.each([
    ['empty', ''],
    ['non-numeric', 'abcdef'],
    ['too long', '1'.repeat(500)],
    ['JSON-injected', '{"__proto__":{"answerCorrect":true},"code":"000000"}'],
    ['HTML', '<script>alert(1)</script>'],
  ])(
    'calls an %s answer wrong, without an exception',
    async (_title, answer) => {
      // Prepare
      const flow = await toTotpRound(newPoolUser());

      // Act
      const result = await flow.respondToChallenge(answer);

      // Assess
      expect(result.kind).toBe('challenge');
      expect(capturedLogRecords()).toContainEqual(
        expect.objectContaining({ reason: 'malformed_answer' }),
      );
    },
  );

  it('calls a non-string answer wrong', async () => {
    // Prepare
    const user = newPoolUser();
    const event = {
      version: '1',
      region: 'eu-central-1',
      userPoolId: POOL.userPoolId,
      userName: user.userName,
      callerContext: { awsSdkVersion: 'x', clientId: POOL.clientId },
      triggerSource: 'VerifyAuthChallengeResponse_Authentication',
      request: {
        userAttributes: user.attributes,
        privateChallengeParameters: { round: 'TOTP' },
        challengeAnswer: { code: 123456 },
      },
      response: {},
    };

    // Act
    const result = await bundles.verify(event);

    // Assess
    expect(result.response).toEqual({ answerCorrect: false });
  });
});

describe('bad state and failing dependencies', () => {
  it('fails closed on a user without a sub', async () => {
    // Prepare
    const user = newPoolUser();
    delete user.attributes.sub;

    // Act
    const flow = await toTotpRound(user);

    // Assess: an event without a sub is invalid input, not a failure
    expectGenericFailure(flow.last, 'DefineAuthChallenge', 'invalid event');
  });

  it('fails closed on a stored secret that does not decrypt', async () => {
    // Prepare
    const user = newPoolUser();
    const junk = randomBytes(64);
    await putRecord(user, {
      active: {
        ct: junk,
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        activatedAt: 1,
      },
    });
    const flow = await toTotpRound(user);

    // Act
    const result = await flow.respondToChallenge('123456');

    // Assess
    expectGenericFailure(result, 'VerifyAuthChallengeResponse');
    expect(capturedLogs().join('\n')).not.toContain(junk.toString('base64'));
  });

  it('fails closed on a stored record of the wrong shape', async () => {
    // Prepare
    const user = newPoolUser();
    await putRecord(user, { active: { ct: 'plain-text', algorithm: 'MD5' } });

    // Act
    const flow = await toTotpRound(user);

    // Assess
    expectGenericFailure(flow.last, 'DefineAuthChallenge');
  });

  it('fails closed when a secret is moved to another user', async () => {
    // Prepare
    const owner = newPoolUser();
    const ownerFlow = await toTotpRound(owner);
    const app = new Authenticator(
      (ownerFlow.last as any).parameters.otpauthUri,
    );
    const stored = await new DynamoDBClient({}).send(
      new GetItemCommand({
        TableName: stack.env.TOTP_TABLE,
        Key: { pk: { S: `totp#${POOL.userPoolId}#${owner.attributes.sub}` } },
      }),
    );
    const ct = stored.Item?.pending?.M?.ct?.B;
    const thief = newPoolUser();
    await putRecord(thief, {
      active: { ct, algorithm: 'SHA1', digits: 6, period: 30, activatedAt: 1 },
    });
    const flow = await toTotpRound(thief);

    // Act
    const result = await flow.respondToChallenge(app.code());

    // Assess
    expect(ct?.length).toBeGreaterThan(0);
    expectGenericFailure(result, 'VerifyAuthChallengeResponse');
  });

  it('fails closed when KMS refuses the key', async () => {
    // Prepare
    const keyArn = process.env.TOTP_KEY_ARN;
    process.env.TOTP_KEY_ARN =
      'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-00000000dead';
    const create = loadBundle('createAuthChallenge').handler;
    process.env.TOTP_KEY_ARN = keyArn;
    const broken = new SimulatedPool({ ...bundles, create }, POOL);
    const user = newPoolUser();
    broken.addUser(user);

    // Act
    const flow = await broken.initiateAuth(user.userName);
    const result = await flow.respondToPassword(user.password);

    // Assess
    expectGenericFailure(result, 'CreateAuthChallenge');
    expect(capturedLogRecords()).toContainEqual(
      expect.objectContaining({ dependency: 'kms' }),
    );
  });

  it('fails closed within the trigger timeout when the TOTP table never answers', async () => {
    // Prepare
    const hole = await startBlackHole();
    process.env.AWS_ENDPOINT_URL_DYNAMODB = hole.endpoint;
    const define = loadBundle('defineAuthChallenge').handler;
    const slow = new SimulatedPool({ ...bundles, define }, POOL);
    const user = newPoolUser();
    slow.addUser(user);

    // Act
    const started = Date.now();
    let result: unknown;
    try {
      const flow = await slow.initiateAuth(user.userName);
      result = await flow.respondToPassword(user.password);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      await hole.stop();
    }

    // Assess: an outcome, not a Lambda timeout (3 s)
    expectGenericFailure(result, 'DefineAuthChallenge');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails closed when the TOTP table is unreachable', async () => {
    // Prepare
    const table = process.env.TOTP_TABLE;
    process.env.TOTP_TABLE = 'no-such-table';
    const define = loadBundle('defineAuthChallenge').handler;
    process.env.TOTP_TABLE = table;
    const broken = new SimulatedPool({ ...bundles, define }, POOL);
    const user = newPoolUser();
    broken.addUser(user);

    // Act
    const flow = await broken.initiateAuth(user.userName);
    const result = await flow.respondToPassword(user.password);

    // Assess
    expectGenericFailure(result, 'DefineAuthChallenge');
    expect(capturedLogRecords()).toContainEqual(
      expect.objectContaining({ dependency: 'dynamodb' }),
    );
  });
});

describe('unknown users', () => {
  it('get a challenge of the same shape as a real user and can never answer it', async () => {
    // Prepare
    const real = newPoolUser();
    const createEvent = (user: PoolUser | undefined, userName: string) => ({
      version: '1',
      region: 'eu-central-1',
      userPoolId: POOL.userPoolId,
      userName,
      callerContext: { awsSdkVersion: 'x', clientId: POOL.clientId },
      triggerSource: 'CreateAuthChallenge_Authentication',
      request: {
        userAttributes: user?.attributes ?? {},
        ...(user ? {} : { userNotFound: true }),
        challengeName: 'CUSTOM_CHALLENGE',
        session: [
          { challengeName: 'SRP_A', challengeResult: true },
          { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
        ],
      },
      response: {},
    });

    // Act
    const realChallenge = await bundles.create(
      createEvent(real, real.userName),
    );
    const unknownChallenge = await bundles.create(
      createEvent(undefined, 'nobody@example.com'),
    );
    const unknownApp = new Authenticator(
      unknownChallenge.response.publicChallengeParameters.otpauthUri,
    );
    const verdict = await bundles.verify({
      ...createEvent(undefined, 'nobody@example.com'),
      triggerSource: 'VerifyAuthChallengeResponse_Authentication',
      request: {
        userAttributes: {},
        userNotFound: true,
        privateChallengeParameters:
          unknownChallenge.response.privateChallengeParameters,
        challengeAnswer: unknownApp.code(),
      },
    });
    const realApp = new Authenticator(
      realChallenge.response.publicChallengeParameters.otpauthUri,
    );

    // Assess
    const shape = (response: any) => ({
      keys: Object.keys(response.publicChallengeParameters).sort(),
      label: response.publicChallengeParameters.accountLabel.replace(
        /[a-z]/g,
        'x',
      ),
      // The enrollment tag differs per secret; its form must not.
      metadata: response.challengeMetadata.replace(/#[\w-]{22}$/, '#tag'),
      privateChallengeParameters: {
        ...response.privateChallengeParameters,
        pending: response.privateChallengeParameters.pending?.length,
      },
    });
    expect(shape(unknownChallenge.response)).toEqual(
      shape(realChallenge.response),
    );
    expect(realApp.code()).toMatch(/^\d{6}$/);
    expect(verdict.response).toEqual({ answerCorrect: false });
  });
});
