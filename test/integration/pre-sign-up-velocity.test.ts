import { createHash, randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USER_MESSAGES } from '../../shared/user-messages';
import { loadEvent } from '../support/events';
import { loadBundle, useLocalStack } from '../support/local-stack';
import { capturedLogRecords, trackSecret } from '../support/log-capture';
import { clearOfWindowEnd } from '../support/velocity-window';

type Handler = (event: unknown) => Promise<Record<string, any>>;

const stack = useLocalStack();
const OVERRIDE = 'SUITE_SETTINGS_OVERRIDE';
const CLOSED_PORT_ENDPOINT = 'http://127.0.0.1:9';

function preSignUp(policy: Record<string, unknown>): Handler {
  process.env[OVERRIDE] = JSON.stringify({ policy });
  return loadBundle<{ handler: Handler }>('preSignUp').handler;
}

const perDomain = (limit: number, shadow = false) => ({
  velocity: {
    signUp: { perEmailDomain: { limit, windowSeconds: 600, shadow } },
  },
});

async function velocityItems(domain: string): Promise<Record<string, any>[]> {
  const client = new DynamoDBClient({ endpoint: stack.moto.endpoint });
  const { Items = [] } = await client.send(
    new ScanCommand({ TableName: stack.env.STATE_TABLE }),
  );
  const key = createHash('sha256').update(domain).digest('hex').slice(0, 32);
  return Items.filter((item) => item.pk?.S?.includes(`#${key}#`));
}

afterEach(() => {
  delete process.env[OVERRIDE];
  process.env.AWS_ENDPOINT_URL = stack.moto.endpoint;
});

/**
 * A sign-up from its own domain, so each test has its own counters, under a
 * user name of its own, as each SignUp call has.
 */
function signUpFrom(domain: string, fixture = 'sign-up'): any {
  const event = loadEvent('preSignUp', fixture);
  event.userName = randomUUID();
  event.request.userAttributes.email = `ada.lovelace@${domain}`;
  trackSecret(event.request.userAttributes.email);
  return event;
}

describe('preSignUp velocity limits against moto', () => {
  // Each test's sign-ups must land in one 600-second window
  beforeEach(() => clearOfWindowEnd(600));

  it('refuses the sign-up after the limit and keeps an expiring counter', async () => {
    // Prepare
    const handler = preSignUp(perDomain(2));
    const started = Math.floor(Date.now() / 1000);

    // Act
    await handler(signUpFrom('limited.example'));
    await handler(signUpFrom('limited.example'));
    const third = handler(signUpFrom('limited.example'));

    // Assess
    await expect(third).rejects.toThrow(USER_MESSAGES.en.signUpTryLater);
    const [item, ...others] = await velocityItems('limited.example');
    expect(others).toEqual([]);
    expect(item?.pk.S).toMatch(
      /^velocity#sign_up_per_email_domain#[0-9a-f]{32}#\d+$/,
    );
    expect(item?.count.N).toBe('3');
    const expiresAt = Number(item?.expiresAt.N);
    expect(expiresAt).toBeGreaterThan(started);
    expect(expiresAt).toBeLessThanOrEqual(started + 600 + 1);
    expect(
      capturedLogRecords().some(
        (line) => line.reason === 'velocity_sign_up_per_email_domain',
      ),
    ).toBe(true);
  });

  it('counts subdomains of one registered domain together', async () => {
    // Prepare: each subdomain could have its own MX record
    const handler = preSignUp(perDomain(2));

    // Act
    await handler(signUpFrom('a.rotating.co.uk'));
    await handler(signUpFrom('mail.b.rotating.co.uk'));
    const third = handler(signUpFrom('c.rotating.co.uk'));

    // Assess
    await expect(third).rejects.toThrow(USER_MESSAGES.en.signUpTryLater);
    const [item, ...others] = await velocityItems('rotating.co.uk');
    expect(others).toEqual([]);
    expect(item?.count.N).toBe('3');
  });

  it('counts but never refuses a shadow limit', async () => {
    // Prepare
    const handler = preSignUp(perDomain(1, true));

    // Act
    await handler(signUpFrom('shadow.example'));
    const second = await handler(signUpFrom('shadow.example'));

    // Assess
    expect(second.response.autoConfirmUser).toBe(false);
    const [item] = await velocityItems('shadow.example');
    expect(item?.count.N).toBe('2');
  });

  it('counts once a sign-up Cognito invokes again after a timeout', async () => {
    // Prepare
    const handler = preSignUp(perDomain(1));
    const signUp = signUpFrom('retried.example');

    // Act
    await handler(structuredClone(signUp));
    await handler(structuredClone(signUp));
    const another = handler(signUpFrom('retried.example'));

    // Assess
    await expect(another).rejects.toThrow(USER_MESSAGES.en.signUpTryLater);
    const [item] = await velocityItems('retried.example');
    expect(item?.count.N).toBe('2');
    expect(JSON.stringify(item)).not.toContain(signUp.userName);
  });

  it('does not count an administrator creating a user', async () => {
    // Prepare
    const handler = preSignUp(perDomain(1));

    // Act
    await handler(signUpFrom('admin.example', 'admin-create-user'));
    await handler(signUpFrom('admin.example', 'admin-create-user'));

    // Assess
    expect(await velocityItems('admin.example')).toEqual([]);
  });
});

describe('preSignUp when DynamoDB is unreachable', () => {
  it('fails closed by default with the generic message', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL = CLOSED_PORT_ENDPOINT;
    const handler = preSignUp(perDomain(5));

    // Act
    const refusal = handler(signUpFrom('closed.example'));

    // Assess
    await expect(refusal).rejects.toMatchObject({
      key: 'generic',
      message: USER_MESSAGES.en.generic,
    });
  });

  it('fails open when the deployment chooses it, and says so in the logs', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL = CLOSED_PORT_ENDPOINT;
    const handler = preSignUp({ ...perDomain(5), failureMode: 'open' });

    // Act
    const result = await handler(signUpFrom('open.example'));

    // Assess
    expect(result.response.autoConfirmUser).toBe(false);
    expect(capturedLogRecords().map((line) => line.message)).toContain(
      'velocity unavailable; sign-up allowed (fail open)',
    );
  });
});
