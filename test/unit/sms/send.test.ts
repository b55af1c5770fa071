import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OutgoingSms, SmsSender } from '../../../shared/clients/types';
import { parseConfig } from '../../../shared/config';
import { DecryptError } from '../../../shared/crypto/decrypt-errors';
import type { CustomSmsSenderEvent } from '../../../shared/events';
import { TransientSendError } from '../../../shared/sms/outcome';
import { type PreparedSms, prepareSms } from '../../../shared/sms/prepare';
import { type SenderDeps, sendPrepared } from '../../../shared/sms/send';
import { trackSecret } from '../../support/secrets';

const dynamodb = mockClient(DynamoDBClient);
const ENV = {
  KMS_KEY_ARN:
    'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-000000000001',
  TOTP_KEY_ARN:
    'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-000000000002',
  STATE_TABLE: 'suite-test-state',
  TOTP_TABLE: 'suite-test-totp',
};
const budget = { remaining: () => 10_000 };

function setup(
  options: {
    env?: Record<string, string>;
    settings?: Record<string, unknown>;
    source?: string;
    plaintext?: string | Error;
    sendError?: Error;
  } = {},
) {
  const { env, settings } = parseConfig(
    { ...ENV, ...options.env },
    options.settings ?? {},
  );
  const sent: OutgoingSms[] = [];
  const dryRuns: boolean[] = [];
  const sender: SmsSender = {
    async send(sms, _route, { dryRun }) {
      dryRuns.push(dryRun);
      if (options.sendError) throw options.sendError;
      sent.push(sms);
      return { messageId: 'm-1' };
    },
  };
  const plaintext = options.plaintext ?? '482913';
  if (typeof plaintext === 'string') trackSecret(plaintext);
  const deps: SenderDeps = {
    env,
    settings,
    sender,
    stateTable: () => new DynamoDBClient({}),
    decryptor: {
      decrypt: async () => {
        if (plaintext instanceof Error) throw plaintext;
        return plaintext;
      },
    },
  };
  trackSecret('+447700900123');
  const event = {
    version: '1',
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_Tr1ggers0',
    userName: 'ada.lovelace',
    triggerSource: options.source ?? 'CustomSMSSender_Authentication',
    request: {
      code: 'AYADeH6uTw==',
      userAttributes: { sub: 's-1', phone_number: '+447700900123' },
    },
  } as CustomSmsSenderEvent;
  const prepared = prepareSms(event, env, settings) as PreparedSms;
  return { deps, prepared, sent, dryRuns };
}

const counts = (count: number) =>
  dynamodb
    .on(UpdateItemCommand)
    .resolves({ Attributes: { count: { N: String(count) } } });

beforeEach(() => {
  dynamodb.reset();
  counts(1);
});

describe('sendPrepared', () => {
  it('renders the decrypted code and sends it', async () => {
    // Prepare
    const { deps, prepared, sent } = setup();

    // Act
    const outcome = await sendPrepared(prepared, budget, deps);

    // Assess
    expect(outcome).toEqual({
      outcome: 'sent',
      transport: 'sns',
      country: 'GB',
      region: 'eu-central-1',
      attempts: 1,
      dryRun: false,
      locale: 'en',
      localeFallback: false,
    });
    expect(sent[0]?.phoneNumber).toBe('+447700900123');
    expect(sent[0]?.text).toContain('482913');
    // An MFA code: counted per number and per user, not per number range
    expect(dynamodb.commandCalls(UpdateItemCommand)).toHaveLength(2);
  });

  it('unescapes an invitation password and names the user', async () => {
    // Prepare
    const { deps, prepared, sent } = setup({
      source: 'CustomSMSSender_AdminCreateUser',
      plaintext: 'Pw&lt;1&gt;x!',
    });
    trackSecret('Pw<1>x!');

    // Act
    await sendPrepared(prepared, budget, deps);

    // Assess
    expect(sent[0]?.text).toContain('Pw<1>x!');
    expect(sent[0]?.text).toContain('ada.lovelace');
  });

  it('ends terminally on a decrypt failure and throws on a KMS outage', async () => {
    // Prepare
    const mismatch = setup({ plaintext: new DecryptError('context_mismatch') });
    const outage = setup({ plaintext: new DecryptError('kms_unavailable') });

    // Act
    const outcome = await sendPrepared(
      mismatch.prepared,
      budget,
      mismatch.deps,
    );
    const thrown = sendPrepared(outage.prepared, budget, outage.deps);

    // Assess
    expect(outcome).toMatchObject({
      outcome: 'failed',
      errorClass: 'context_mismatch',
    });
    expect(mismatch.sent).toHaveLength(0);
    await expect(thrown).rejects.toBeInstanceOf(TransientSendError);
  });

  it('refuses when a velocity limit is exceeded', async () => {
    // Prepare
    counts(6);
    const { deps, prepared, sent } = setup();

    // Act
    const outcome = await sendPrepared(prepared, budget, deps);

    // Assess
    expect(outcome).toMatchObject({
      outcome: 'refused',
      reason: 'velocity_sms_per_phone',
    });
    expect(sent).toHaveLength(0);
  });

  it('fails closed (retry later) or open, as policy.failureMode says, when counters are down', async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).rejects(new Error('connect ECONNREFUSED'));
    const closed = setup();
    const open = setup({ settings: { policy: { failureMode: 'open' } } });

    // Act
    const refused = sendPrepared(closed.prepared, budget, closed.deps);
    const outcome = await sendPrepared(open.prepared, budget, open.deps);

    // Assess
    await expect(refused).rejects.toMatchObject({
      errorClass: 'velocity_unavailable',
    });
    expect(outcome).toMatchObject({ outcome: 'sent' });
  });

  it('sends when only shadow limits could not be counted, even failing closed', async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).rejects(new Error('connect ECONNREFUSED'));
    const shadowLimit = { limit: 5, windowSeconds: 3600, shadow: true };
    const { deps, prepared, sent } = setup({
      settings: {
        policy: {
          velocity: {
            sms: {
              perPhone: shadowLimit,
              perPrefix: shadowLimit,
              perUser: shadowLimit,
            },
          },
        },
      },
    });

    // Act
    const outcome = await sendPrepared(prepared, budget, deps);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'sent' });
    expect(sent).toHaveLength(1);
  });

  it('passes the dry-run flag to the transport', async () => {
    // Prepare
    const { deps, prepared, dryRuns } = setup({ env: { SMS_DRY_RUN: 'true' } });

    // Act
    const outcome = await sendPrepared(prepared, budget, deps);

    // Assess
    expect(dryRuns).toEqual([true]);
    expect(outcome).toMatchObject({ outcome: 'sent', dryRun: true });
  });

  it('throws when every route keeps failing transiently, and ends on a permanent error', async () => {
    // Prepare
    const server = Object.assign(new Error('boom'), {
      name: 'InternalError',
      $metadata: { httpStatusCode: 500 },
    });
    const optedOut = Object.assign(new Error('opted out'), {
      name: 'InvalidParameter',
      $metadata: { httpStatusCode: 400 },
    });
    const fast = { sms: { retry: { baseDelayMs: 1, maxDelayMs: 1 } } };
    const storm = setup({ sendError: server, settings: fast });
    const permanent = setup({ sendError: optedOut });

    // Act
    const thrown = sendPrepared(storm.prepared, budget, storm.deps);
    const outcome = await sendPrepared(
      permanent.prepared,
      budget,
      permanent.deps,
    );

    // Assess
    await expect(thrown).rejects.toMatchObject({ errorClass: 'server' });
    expect(storm.dryRuns).toHaveLength(6);
    expect(outcome).toMatchObject({
      outcome: 'failed',
      errorClass: 'opted_out',
    });
    expect(permanent.dryRuns).toHaveLength(1);
  });
});
