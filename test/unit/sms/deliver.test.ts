import { describe, expect, it } from 'vitest';
import type { SmsSender } from '../../../shared/clients/types';
import type { Route } from '../../../shared/routing/plan';
import { deliver } from '../../../shared/sms/deliver';

const routeA: Route = { transport: 'sns', region: 'eu-central-1' };
const routeB: Route = { transport: 'sns', region: 'eu-west-1' };
const err = (name: string, status: number, Reason?: string) =>
  Object.assign(new Error(name), {
    name,
    Reason,
    $metadata: { httpStatusCode: status },
  });

/** A sender that answers from a script, recording the regions it was asked for. */
function scripted(...answers: Array<Error | string>) {
  const calls: string[] = [];
  const sender: SmsSender = {
    async send(_sms, route) {
      calls.push(route.region);
      const answer = answers.shift() ?? 'ok';
      if (answer instanceof Error) throw answer;
      return { messageId: answer };
    },
  };
  return { sender, calls };
}

const options = (sender: SmsSender, remaining = 10_000) => ({
  sender,
  sms: { phoneNumber: '+447700900123', text: 'code' },
  routes: [routeA, routeB],
  budget: { remaining: () => remaining },
  retry: {
    attemptsPerRoute: 3,
    baseDelayMs: 10,
    maxDelayMs: 100,
    attemptTimeoutMs: 1000,
  },
  dryRun: false,
  sleep: async () => {},
  random: () => 0.5,
});

describe('deliver', () => {
  it('retries throttling on the same route, then succeeds', async () => {
    // Prepare
    const { sender, calls } = scripted(
      err('Throttling', 400),
      err('Throttling', 400),
      'm-1',
    );

    // Act
    const result = await deliver(options(sender));

    // Assess
    expect(result).toMatchObject({
      status: 'sent',
      attempts: 3,
      routeIndex: 0,
      messageId: 'm-1',
    });
    expect(calls).toEqual(['eu-central-1', 'eu-central-1', 'eu-central-1']);
  });

  it('fails over to the next route after the attempts of one route', async () => {
    // Prepare
    const { sender, calls } = scripted(
      err('InternalError', 500),
      err('InternalError', 500),
      err('InternalError', 500),
      'm-2',
    );

    // Act
    const result = await deliver(options(sender));

    // Assess
    expect(result).toMatchObject({
      status: 'sent',
      routeIndex: 1,
      attempts: 4,
    });
    expect(calls).toEqual([
      'eu-central-1',
      'eu-central-1',
      'eu-central-1',
      'eu-west-1',
    ]);
  });

  it('stops at once on a permanent error', async () => {
    // Prepare
    const { sender, calls } = scripted(
      err('ConflictException', 400, 'DESTINATION_PHONE_NUMBER_OPTED_OUT'),
    );

    // Act
    const result = await deliver(options(sender));

    // Assess
    expect(result).toMatchObject({
      status: 'failed',
      errorClass: 'opted_out',
      attempts: 1,
    });
    expect(calls).toHaveLength(1);
  });

  it('leaves the SMS to a retry when the fallback refuses for reasons of its own', async () => {
    // Prepare: the pool's region is down; the second region's sandbox (its
    // own, per region) does not know the number
    const { sender, calls } = scripted(
      ...Array.from({ length: 3 }, () => err('Throttling', 400)),
      err('AuthorizationErrorException', 403),
    );

    // Act
    const result = await deliver(options(sender));

    // Assess
    expect(result).toEqual({
      status: 'exhausted',
      errorClass: 'throttling',
      attempts: 4,
    });
    expect(calls.at(-1)).toBe('eu-west-1');
  });

  it('stops for good when the fallback says the destination opted out', async () => {
    // Prepare
    const { sender } = scripted(
      ...Array.from({ length: 3 }, () => err('InternalError', 500)),
      err('ConflictException', 400, 'DESTINATION_PHONE_NUMBER_OPTED_OUT'),
    );

    // Act
    const result = await deliver(options(sender));

    // Assess
    expect(result).toMatchObject({ status: 'failed', errorClass: 'opted_out' });
  });

  it('skips an unusable identity without retrying it, and fails for good when none is usable', async () => {
    // Prepare
    const unusable = () =>
      err(
        'ValidationException',
        400,
        'INVALID_IDENTITY_FOR_DESTINATION_COUNTRY',
      );
    const { sender, calls } = scripted(unusable(), unusable());

    // Act
    const result = await deliver(options(sender));

    // Assess
    expect(result).toMatchObject({
      status: 'failed',
      errorClass: 'identity_unusable',
    });
    expect(calls).toEqual(['eu-central-1', 'eu-west-1']);
  });

  it('reports exhaustion when every route keeps failing transiently', async () => {
    // Prepare
    const { sender, calls } = scripted(
      ...Array.from({ length: 6 }, () => err('InternalError', 500)),
    );

    // Act
    const result = await deliver(options(sender));

    // Assess
    expect(result).toEqual({
      status: 'exhausted',
      errorClass: 'server',
      attempts: 6,
    });
    expect(calls).toHaveLength(6);
  });

  it('sends nothing once the budget is spent', async () => {
    // Prepare
    const { sender, calls } = scripted();

    // Act
    const result = await deliver(options(sender, 0));

    // Assess
    expect(result).toMatchObject({
      status: 'exhausted',
      errorClass: 'budget_exhausted',
    });
    expect(calls).toHaveLength(0);
  });

  it('treats a call that outlives its timeout as ambiguous and does not retry it', async () => {
    // Prepare
    const calls: string[] = [];
    const slow: SmsSender = {
      send: (_sms, route, { abortSignal }) =>
        new Promise((_resolve, reject) => {
          calls.push(route.region);
          abortSignal?.addEventListener('abort', () =>
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
          );
        }),
    };

    const base = options(slow);

    // Act
    const result = await deliver({
      ...base,
      retry: { ...base.retry, attemptTimeoutMs: 50 },
    });

    // Assess
    expect(result).toMatchObject({ status: 'failed', errorClass: 'timeout' });
    expect(calls).toHaveLength(1);
  });

  it('starts no retry the budget would cut short, leaving the SMS to a Lambda retry', async () => {
    // Prepare
    const { sender, calls } = scripted(err('InternalError', 500));
    const left = [5000];
    const shrinking = { remaining: () => left.shift() ?? 500 };

    // Act
    const result = await deliver({ ...options(sender), budget: shrinking });

    // Assess
    expect(result).toMatchObject({ status: 'exhausted' });
    expect(calls).toHaveLength(1);
  });

  it('does not sleep into the reserve before a retry that could not start', async () => {
    // Prepare: 1,050 ms left, a 1,000 ms attempt, a 100 ms backoff
    const { sender, calls } = scripted(err('InternalError', 500));
    const slept: number[] = [];
    const base = options(sender, 1050);

    // Act
    const result = await deliver({
      ...base,
      routes: [routeA],
      retry: { ...base.retry, baseDelayMs: 200, maxDelayMs: 200 },
      sleep: async (ms: number) => {
        slept.push(ms);
      },
    });

    // Assess
    expect(result).toMatchObject({ status: 'exhausted' });
    expect(calls).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it('starts no first attempt below a second left', async () => {
    // Prepare
    const { sender, calls } = scripted('m-1');

    // Act
    const result = await deliver(options(sender, 999));

    // Assess
    expect(result).toMatchObject({ status: 'exhausted' });
    expect(calls).toHaveLength(0);
  });

  it('still sends when the attempt timeout is longer than the whole budget', async () => {
    // Prepare
    const { sender, calls } = scripted('m-1');
    const base = options(sender, 28_500);

    // Act
    const result = await deliver({
      ...base,
      retry: { ...base.retry, attemptTimeoutMs: 29_000 },
    });

    // Assess
    expect(result).toMatchObject({ status: 'sent' });
    expect(calls).toHaveLength(1);
  });
});
