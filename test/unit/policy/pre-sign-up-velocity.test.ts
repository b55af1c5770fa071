import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PreSignUpEvent } from '../../../shared/events';
import {
  applySignUpPolicy,
  isDenied,
  loadDisposableDomains,
  policySettingsSchema,
  refuse,
  stateTable,
} from '../../../shared/policy';
import { loadEvent } from '../../support/events';
import { capturedLogRecords } from '../../support/log-capture';

const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({});
const perClient = (shadow = false) => ({
  velocity: { signUp: { perClient: { limit: 1, windowSeconds: 60, shadow } } },
});

function deps(settings: unknown) {
  return {
    policy: policySettingsSchema.parse(settings),
    table: 'state',
    stateTable: async () => ({ client, UpdateItemCommand }),
  };
}

const signUp = () => loadEvent<PreSignUpEvent>('preSignUp', 'sign-up');

beforeEach(() => {
  ddb.reset();
});

describe('applySignUpPolicy velocity', () => {
  it('refuses with the try-later message once a limit is passed', async () => {
    // Prepare
    ddb.on(UpdateItemCommand).resolves({ Attributes: { count: { N: '2' } } });

    // Act
    const act = applySignUpPolicy(signUp(), deps(perClient()));

    // Assess
    await expect(act).rejects.toMatchObject({ key: 'signUpTryLater' });
  });

  it('lets a shadow limit pass and reports it', async () => {
    // Prepare
    ddb.on(UpdateItemCommand).resolves({ Attributes: { count: { N: '2' } } });

    // Act
    const result = await applySignUpPolicy(signUp(), deps(perClient(true)));

    // Assess
    expect(result).toMatchObject({ response: { autoConfirmUser: false } });
    expect(capturedLogRecords().map((line) => line.reason)).toContain(
      'velocity_sign_up_per_client',
    );
  });

  it('rethrows a DynamoDB failure when failing closed', async () => {
    // Prepare
    ddb.on(UpdateItemCommand).rejects(new Error('throttled'));

    // Act
    const act = applySignUpPolicy(signUp(), deps(perClient()));

    // Assess
    await expect(act).rejects.toMatchObject({ dependency: 'dynamodb' });
  });

  it('allows and counts the failure when failing open', async () => {
    // Prepare
    ddb.on(UpdateItemCommand).rejects(new Error('throttled'));

    // Act
    const result = await applySignUpPolicy(
      signUp(),
      deps({ ...perClient(), failureMode: 'open' }),
    );

    // Assess
    expect(result).toMatchObject({ response: { autoConfirmUser: false } });
  });

  it('allows when only shadow limits could not be counted, even failing closed', async () => {
    // Prepare
    ddb.on(UpdateItemCommand).rejects(new Error('throttled'));

    // Act
    const result = await applySignUpPolicy(signUp(), deps(perClient(true)));

    // Assess
    expect(result).toMatchObject({ response: { autoConfirmUser: false } });
    expect(capturedLogRecords()).toContainEqual(
      expect.objectContaining({ failureMode: 'shadow-only' }),
    );
  });

  it('still fails closed when one enforced limit sits beside shadow ones', async () => {
    // Prepare
    ddb.on(UpdateItemCommand).rejects(new Error('throttled'));
    const settings = {
      velocity: {
        signUp: {
          perClient: { limit: 1, windowSeconds: 60, shadow: true },
          perEmailDomain: { limit: 1, windowSeconds: 60 },
        },
      },
    };

    // Act
    const act = applySignUpPolicy(signUp(), deps(settings));

    // Assess
    await expect(act).rejects.toMatchObject({ dependency: 'dynamodb' });
  });

  it('never fails open on a programming error', async () => {
    // Prepare
    const broken = {
      ...deps({ ...perClient(), failureMode: 'open' }),
      stateTable: () => Promise.reject(new TypeError('bug')),
    };

    // Act
    const act = applySignUpPolicy(signUp(), broken);

    // Assess
    await expect(act).rejects.toBeInstanceOf(TypeError);
  });
});

describe('the identity of a sign-up for the counters', () => {
  const writeIdsOf = () =>
    ddb
      .commandCalls(UpdateItemCommand)
      .map(
        (call) => call.args[0].input.ExpressionAttributeValues?.[':writeId']?.S,
      );

  it('is the same when Cognito invokes the same sign-up again', async () => {
    // Prepare
    ddb.on(UpdateItemCommand).resolves({ Attributes: { count: { N: '1' } } });
    const other = { ...signUp(), userPoolId: 'eu-central-1_Other' };

    // Act
    await applySignUpPolicy(signUp(), deps(perClient()));
    await applySignUpPolicy(signUp(), deps(perClient()));
    await applySignUpPolicy(other, deps(perClient()));

    // Assess
    const [first, retried, otherPool] = writeIdsOf();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(retried).toBe(first);
    expect(otherPool).not.toBe(first);
    expect(first).not.toContain(signUp().userName);
  });

  it('is new on every call without a user name', async () => {
    // Prepare
    ddb.on(UpdateItemCommand).resolves({ Attributes: { count: { N: '1' } } });
    const nameless = () => ({ ...signUp(), userName: undefined });

    // Act
    await applySignUpPolicy(nameless(), deps(perClient()));
    await applySignUpPolicy(nameless(), deps(perClient()));

    // Assess
    const [first, second] = writeIdsOf();
    expect(first).toBeDefined();
    expect(second).not.toBe(first);
  });
});

describe('lazily loaded parts', () => {
  it('creates the state-table client once, with the SDK command class', async () => {
    // Act
    const first = await stateTable();
    const second = await stateTable();

    // Assess
    expect(second).toBe(first);
    expect(
      new first.UpdateItemCommand({ TableName: 't', Key: {} }),
    ).toBeInstanceOf(UpdateItemCommand);
    expect(await first.client.config.maxAttempts()).toBe(2);
  });

  it('loads the maintained disposable list once, as lower-case domains', async () => {
    // Act
    const list = await loadDisposableDomains();

    // Assess
    expect(list.size).toBeGreaterThan(1000);
    expect(list.has('mailinator.com')).toBe(true);
    expect(await loadDisposableDomains()).toBe(list);
  });

  it('tells enforced refusals from shadow ones', () => {
    // Act
    const verdicts = [refuse('x'), refuse('x', true)].map(isDenied);

    // Assess
    expect(verdicts).toEqual([true, false]);
  });
});
