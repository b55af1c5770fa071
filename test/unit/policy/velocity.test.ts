import { createHash } from 'node:crypto';
import {
  DynamoDBClient,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DependencyError } from '../../../shared/errors';
import {
  consumeVelocity,
  parsePhoneNumber,
  policySettingsSchema,
  signUpVelocityLimits,
  smsDestinationOf,
  smsVelocityLimits,
  type VelocityLimit,
  velocityItemKey,
} from '../../../shared/policy';

const hashOf = (key: string) =>
  createHash('sha256').update(key).digest('hex').slice(0, 32);

const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({});
const now = new Date('2026-11-22T10:17:00Z');
const nowSeconds = now.getTime() / 1000;

const limit = (overrides: Partial<VelocityLimit> = {}): VelocityLimit => ({
  name: 'sign_up_per_client',
  key: 'client-1',
  limit: 3,
  windowSeconds: 3600,
  ...overrides,
});

function countsAre(...counts: number[]): void {
  let stub = ddb.on(UpdateItemCommand);
  for (const count of counts)
    stub = stub.resolvesOnce({ Attributes: { count: { N: String(count) } } });
  if (counts.length === 0) stub.resolves({});
}

beforeEach(() => {
  ddb.reset();
});

describe('consumeVelocity', () => {
  it('adds one atomically with a TTL in epoch seconds at the window end', async () => {
    // Prepare
    countsAre(1);

    // Act
    const decision = await consumeVelocity({
      client,
      table: 'state',
      limits: [limit()],
      now,
    });

    // Assess
    expect(decision).toEqual({ outcome: 'allow' });
    const input = ddb.commandCalls(UpdateItemCommand)[0]?.args[0]
      .input as UpdateItemCommandInput;
    const windowStart = Math.floor(nowSeconds / 3600) * 3600;
    expect(input.Key).toEqual({
      pk: {
        S: `velocity#sign_up_per_client#${hashOf('client-1')}#${windowStart}`,
      },
    });
    expect(input.UpdateExpression).toBe(
      'ADD #count :one SET #expiresAt = if_not_exists(#expiresAt, :expiresAt), #lastWrite = :writeId',
    );
    expect(input.ConditionExpression).toBe(
      'attribute_not_exists(#lastWrite) OR #lastWrite <> :writeId',
    );
    expect(input.ExpressionAttributeValues?.[':expiresAt']).toEqual({
      N: String(windowStart + 3600),
    });
    expect(windowStart + 3600).toBeLessThan(10_000_000_000);
  });

  it('denies when a count passes its limit, naming the limit', async () => {
    // Prepare
    countsAre(4);

    // Act
    const decision = await consumeVelocity({
      client,
      table: 'state',
      limits: [limit()],
      now,
    });

    // Assess
    expect(decision).toEqual({
      outcome: 'deny',
      reason: 'velocity_sign_up_per_client',
    });
  });

  it('prefers an enforced limit over a shadow one', async () => {
    // Prepare
    countsAre(9, 9);

    // Act
    const decision = await consumeVelocity({
      client,
      table: 'state',
      limits: [limit({ name: 'a', shadow: true }), limit({ name: 'b' })],
      now,
    });

    // Assess
    expect(decision).toEqual({ outcome: 'deny', reason: 'velocity_b' });
  });

  it('reports a shadow limit as would-deny', async () => {
    // Prepare
    countsAre(9);

    // Act
    const decision = await consumeVelocity({
      client,
      table: 'state',
      limits: [limit({ shadow: true })],
      now,
    });

    // Assess
    expect(decision.outcome).toBe('would-deny');
  });

  it('treats a missing count as exceeded (fails closed)', async () => {
    // Prepare
    countsAre();

    // Act
    const decision = await consumeVelocity({
      client,
      table: 'state',
      limits: [limit()],
      now,
    });

    // Assess
    expect(decision.outcome).toBe('deny');
  });

  it('wraps a DynamoDB failure as a DependencyError', async () => {
    // Prepare
    ddb.on(UpdateItemCommand).rejects(new Error('connect ECONNREFUSED'));

    // Act
    const act = consumeVelocity({ client, table: 'state', limits: [limit()] });

    // Assess
    await expect(act).rejects.toBeInstanceOf(DependencyError);
    await expect(act).rejects.toMatchObject({ dependency: 'dynamodb' });
  });

  it('makes no call without limits', async () => {
    // Act
    const decision = await consumeVelocity({
      client,
      table: 'state',
      limits: [],
    });

    // Assess
    expect(decision).toEqual({ outcome: 'allow' });
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('stores the key hashed, never a phone number or domain in the clear', async () => {
    // Prepare
    countsAre(1);

    // Act
    await consumeVelocity({
      client,
      table: 'state',
      limits: [limit({ key: '+44#77' })],
      now,
    });

    // Assess
    const input = ddb.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(input?.Key?.pk?.S).toMatch(
      /^velocity#sign_up_per_client#[0-9a-f]{32}#\d+$/,
    );
    expect(input?.Key?.pk?.S).not.toContain('44');
  });
});

describe('velocity limits from settings', () => {
  const settings = policySettingsSchema.parse({
    velocity: { signUp: { perClient: { limit: 2, windowSeconds: 60 } } },
  }).velocity;
  const phone = parsePhoneNumber('+4915112345678');

  it('builds the shipped SMS limits per phone, prefix and user', () => {
    // Act
    const limits = smsVelocityLimits(settings, {
      phone,
      user: 'sub-1',
      destination: 'unproven',
    });

    // Assess
    expect(limits.map(({ name, key, limit }) => [name, key, limit])).toEqual([
      ['sms_per_phone', 'unproven:+4915112345678', 5],
      ['sms_per_prefix', 'unproven:+491511234', 20],
      ['sms_per_user', 'unproven:sub-1', 10],
    ]);
  });

  it('counts MFA codes, account codes and codes anyone can ask for apart', () => {
    // Act
    const keysOf = (source: string) =>
      smsVelocityLimits(settings, {
        phone,
        user: 'sub-1',
        destination: smsDestinationOf(source),
      }).map((limit) => velocityItemKey(limit, 0));
    const signIn = keysOf('CustomSMSSender_Authentication');
    const account = ['ForgotPassword', 'AdminCreateUser'].map((kind) =>
      keysOf(`CustomSMSSender_${kind}`),
    );
    const unproven = [
      'SignUp',
      'ResendCode',
      'UpdateUserAttribute',
      'VerifyUserAttribute',
      'Unknown',
      '__proto__',
    ].map((kind) => keysOf(`CustomSMSSender_${kind}`));

    // Assess
    expect(account[1]).toEqual(account[0]);
    for (const keys of unproven) expect(keys).toEqual(unproven[0]);
    const all = [...signIn, ...(account[0] ?? []), ...(unproven[0] ?? [])];
    expect(new Set(all).size).toBe(8);
  });

  it('counts MFA codes at sign-in per number range only with their own limit', () => {
    // Prepare
    const withSignIn = policySettingsSchema.parse({
      velocity: {
        sms: { perPrefixSignIn: { limit: 200, windowSeconds: 3600 } },
      },
    }).velocity;

    // Act
    const limits = smsVelocityLimits(withSignIn, {
      phone,
      user: 'sub-1',
      destination: 'sign-in',
    });

    // Assess
    expect(limits.map(({ name, key, limit }) => [name, key, limit])).toEqual([
      ['sms_per_phone', 'sign-in:+4915112345678', 5],
      ['sms_per_prefix', 'sign-in:+491511234', 200],
      ['sms_per_user', 'sign-in:sub-1', 10],
    ]);
  });

  it('counts MFA codes at sign-in per number and user, by default not per number range', () => {
    // Act
    const limits = smsVelocityLimits(settings, {
      phone,
      user: 'sub-1',
      destination: 'sign-in',
    });

    // Assess
    expect(limits.map(({ name, key }) => [name, key])).toEqual([
      ['sms_per_phone', 'sign-in:+4915112345678'],
      ['sms_per_user', 'sign-in:sub-1'],
    ]);
  });

  it('builds only the switched-on sign-up limits whose key is known', () => {
    // Act
    const withClient = signUpVelocityLimits(settings, { phone, clientId: 'c' });
    const withoutClient = signUpVelocityLimits(settings, { phone });

    // Assess
    expect(withClient.map((entry) => entry.name)).toEqual([
      'sign_up_per_client',
    ]);
    expect(withoutClient).toEqual([]);
  });
});
