import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { USER_MESSAGES } from '../../shared/user-messages';
import {
  type CognitoLocal,
  handlerLogLines,
  startCognitoLocal,
} from '../support/cognito-local';
import { useLocalStack } from '../support/local-stack';
import { findTrackedSecrets, trackSecret } from '../support/log-capture';
import { findPersonalDataShapes } from '../support/secrets';

/**
 * End to end: a real SignUp call through cognito-local, which runs the
 * preSignUp bundle through serverless-offline. The policy denies one domain
 * (SUITE_SETTINGS_OVERRIDE, accepted only on local stages).
 */

const stack = useLocalStack();
let cognito: CognitoLocal;
let clientId: string;

const policy = { email: { deny: ['blocked.example'] } };

beforeAll(async () => {
  cognito = await startCognitoLocal({
    env: {
      ...stack.env,
      SUITE_SETTINGS_OVERRIDE: JSON.stringify({ policy }),
    },
    awsEndpoint: stack.moto.endpoint,
  });
  const pool = await cognito.client.send(
    new CreateUserPoolCommand({
      PoolName: 'e2e',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
    }),
  );
  const client = await cognito.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: pool.UserPool?.Id,
      ClientName: 'web',
    }),
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

function signUp(email: string) {
  trackSecret(email);
  return cognito.client.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: email,
      Password: 'Correct-Horse-9-Battery',
      UserAttributes: [{ Name: 'email', Value: email }],
      ClientMetadata: { locale: 'en' },
    }),
  );
}

describe('SignUp through cognito-local and the preSignUp bundle', () => {
  it('is refused with UserLambdaValidationException for a denied domain', async () => {
    // Act
    const refusal = signUp('mallory@blocked.example');

    // Assess
    await expect(refusal).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
    });
    await expect(refusal).rejects.toThrow(
      USER_MESSAGES.en.signUpEmailNotAllowed,
    );
  });

  it('passes for another domain, and cognito-local then runs CustomMessage', async () => {
    // Act
    const result = await signUp('ada@allowed.example');

    // Assess
    expect(result.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.UserConfirmed).toBe(false);
    await expect(
      cognito.waitForOutput(/λ: customMessage\) RequestId/),
    ).resolves.toContain('customMessage');
  });
});
