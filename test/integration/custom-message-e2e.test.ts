import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CognitoLocal,
  handlerLogLines,
  startCognitoLocal,
} from '../support/cognito-local';
import { useLocalStack } from '../support/local-stack';
import { findTrackedSecrets, trackSecret } from '../support/log-capture';
import { findPersonalDataShapes } from '../support/secrets';

/**
 * End to end: real SignUp, AdminCreateUser and ForgotPassword calls through
 * cognito-local, which invokes the customMessage bundle through
 * serverless-offline with `{####}`/`{username}` placeholders, fills in the
 * code and prints each delivery (there is no API to read it back).
 */

const stack = useLocalStack();
let cognito: CognitoLocal;
let clientId: string;
let poolId: string;

interface Delivery {
  code: string;
  subject: string;
  sms: string;
  email: string;
}

// cognito-local draws each delivery in a box and wraps long lines anywhere,
// so both sides are compared without whitespace.
const compact = (text: string) => text.replace(/\s+/g, '');

function deliveries(): Delivery[] {
  const flat = compact(
    cognito
      .output()
      .split(String.fromCharCode(27))
      .join('')
      .replace(/\[[0-9;]*m/g, '')
      .replace(/[│╭╮╰╯─]/g, ''),
  );
  const box =
    /CodeDelivery.*?Code:(.*?)EmailSubject:(.*?)EmailMessage:(.*?)SMSMessage:(.*?)\{"reqId"/g;
  return [...flat.matchAll(box)].map(([, code, subject, email, sms]) => ({
    code: code ?? '',
    subject: subject ?? '',
    email: email ?? '',
    sms: sms ?? '',
  }));
}

// cognito-local prints a delivery around the time it answers: wait for it.
async function nextDelivery(before: number): Promise<Delivery> {
  for (let waited = 0; waited < 5_000; waited += 50) {
    const all = deliveries();
    const next = all[before];
    if (next) {
      trackSecret(next.code);
      return next;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('cognito-local printed no new delivery');
}

beforeAll(async () => {
  cognito = await startCognitoLocal({
    env: { ...stack.env, EMAIL_SENDING_ACCOUNT: 'DEVELOPER' },
    awsEndpoint: stack.moto.endpoint,
    triggers: ['CustomMessage'],
  });
  const pool = await cognito.client.send(
    new CreateUserPoolCommand({
      PoolName: 'e2e-messages',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
    }),
  );
  poolId = String(pool.UserPool?.Id);
  const client = await cognito.client.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }),
  );
  clientId = String(client.UserPoolClient?.ClientId);
}, 90_000);

// The bundles run in serverless-offline's process: their log lines come
// back through cognito-local's output, checked here like this process's.
afterEach(() => {
  const lines = handlerLogLines(cognito?.output() ?? '').join('\n');
  expect(findTrackedSecrets(lines), 'a secret in a handler log line').toEqual(
    [],
  );
  expect(
    findPersonalDataShapes(lines),
    'personal data in a handler log line',
  ).toEqual([]);
});

afterAll(async () => {
  await cognito?.stop();
});

describe('Cognito calls through cognito-local reach the customMessage bundle', () => {
  // The tests run in order: the user signs up, then resets the password.
  const email = 'ada@example.org';

  it('SignUp sends the German verification message for a de-AT user', async () => {
    // Prepare
    trackSecret(email);
    const before = deliveries().length;

    // Act
    await cognito.client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: 'Correct-Horse-9-Battery',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'given_name', Value: 'Ada' },
          { Name: 'locale', Value: 'de-AT' },
        ],
      }),
    );

    // Assess
    const { code, sms, subject, email: body } = await nextDelivery(before);
    expect(code).toMatch(/^\d{6}$/);
    expect(sms).toBe(
      compact(`Ihr Bestätigungscode lautet ${code}. Er ist 24 Stunden gültig.`),
    );
    expect(subject).toBe(compact('Bestätigen Sie Ihre E-Mail-Adresse'));
    expect(body).toContain(compact('<p>Hallo Ada,</p>'));
    expect(body).toContain(compact(`letter-spacing:4px">${code}</p>`));
    const handlerLogs = cognito
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{"level"'));
    expect(handlerLogs.length).toBeGreaterThan(0);
    trackSecret(code);
    expect(findTrackedSecrets(handlerLogs.join('\n'))).toEqual([]);
  });

  it('ForgotPassword prefers the user locale over the client metadata', async () => {
    // Prepare
    trackSecret(email);
    await cognito.client.send(
      new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }),
    );
    const before = deliveries().length;

    // Act
    await cognito.client.send(
      new ForgotPasswordCommand({
        ClientId: clientId,
        Username: email,
        ClientMetadata: { locale: 'en' },
      }),
    );

    // Assess
    const { code, sms, subject } = await nextDelivery(before);
    expect(sms).toBe(
      compact(
        `Ihr Code zum Zurücksetzen des Passworts: ${code}. Nicht angefordert? Dann ignorieren Sie die SMS.`,
      ),
    );
    expect(subject).toBe(compact('Passwort zurücksetzen'));
  });

  it('AdminCreateUser sends the invitation with user name and temporary password', async () => {
    // Prepare
    const invited = 'grace@example.org';
    const temporaryPassword = 'Tmp-Pass-4-Grace';
    trackSecret(invited, temporaryPassword);
    const before = deliveries().length;

    // Act
    await cognito.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: invited,
        TemporaryPassword: temporaryPassword,
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [
          { Name: 'email', Value: invited },
          { Name: 'given_name', Value: '<b>Grace</b>' },
        ],
      }),
    );

    // Assess
    const { code, sms, email: body } = await nextDelivery(before);
    expect(code).toBe(temporaryPassword);
    expect(sms).toMatch(
      new RegExp(
        `^Youhavebeeninvited\\.Username:[0-9a-f-]{36}Temporarypassword:${temporaryPassword}$`,
      ),
    );
    expect(body).toContain(compact('<p>Hello &lt;b&gt;Grace&lt;/b&gt;,</p>'));
  });
});
