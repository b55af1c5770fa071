/**
 * npm run fixtures
 *
 * Regenerates test/fixtures/events/<key>/<case>.json for every triggerSource,
 * shaped like real Cognito events. Sender fixtures carry real AWS Encryption
 * SDK messages made the way Cognito makes them, against the local KMS (the
 * one in AWS_ENDPOINT_URL, or a local stack started for the run); their
 * plaintexts are written beside them in _plaintexts.json.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  encryptLikeCognito,
  escapeLikeCognito,
} from '../test/support/cognito-ciphertext';
import {
  FIXTURE_CLIENT_ID,
  FIXTURE_POOL_ID,
  FIXTURE_USER,
} from '../test/support/fixture-user';
import { useLocalCredentials } from '../test/support/local-env';
import { startMoto } from '../test/support/moto';
import {
  LOCAL_REGION,
  provisionLocalStack,
  ROOT,
} from '../test/support/provision';

type Json = Record<string, unknown>;

const FIXTURES = path.join(ROOT, 'test/fixtures/events');

function base(triggerSource: string, extra: Json = {}): Json {
  return {
    version: '1',
    region: LOCAL_REGION,
    userPoolId: FIXTURE_POOL_ID,
    userName: FIXTURE_USER.sub,
    callerContext: {
      awsSdkVersion: 'aws-sdk-unknown-unknown',
      clientId: FIXTURE_CLIENT_ID,
    },
    triggerSource,
    ...extra,
  };
}

function userAttributes(
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    sub: FIXTURE_USER.sub,
    'cognito:user_status': 'CONFIRMED',
    email_verified: 'true',
    phone_number_verified: 'true',
    phone_number: FIXTURE_USER.phoneNumber,
    email: FIXTURE_USER.email,
    given_name: FIXTURE_USER.givenName,
    ...overrides,
  };
}

function digits(length: number): string {
  return Array.from({ length }, () => randomInt(0, 10)).join('');
}

function write(key: string, name: string, event: unknown): void {
  const dir = path.join(FIXTURES, key);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, `${name}.json`),
    `${JSON.stringify(event, null, 2)}\n`,
  );
}

async function senderFixtures(keyArn: string, endpoint: string): Promise<void> {
  const cases: Array<[string, string, Json?]> = [
    ['sign-up', 'SignUp', { clientMetadata: { locale: 'en' } }],
    ['resend-code', 'ResendCode'],
    ['forgot-password', 'ForgotPassword'],
    ['update-user-attribute', 'UpdateUserAttribute'],
    ['verify-user-attribute', 'VerifyUserAttribute'],
    ['authentication', 'Authentication'],
    ['admin-create-user', 'AdminCreateUser'],
  ];
  const plaintexts: Record<string, string> = {};
  for (const [name, kind, extra] of cases) {
    const isInvitation = kind === 'AdminCreateUser';
    // A temporary password with < and >, which Cognito HTML-escapes.
    const secret = isInvitation ? `Tq7<${digits(3)}>zP!` : digits(6);
    plaintexts[name] = secret;
    const code = await encryptLikeCognito({
      keyArn,
      endpoint,
      userPoolId: FIXTURE_POOL_ID,
      plaintext: isInvitation ? escapeLikeCognito(secret) : secret,
    });
    const attributes = isInvitation
      ? userAttributes({
          'cognito:user_status': 'FORCE_CHANGE_PASSWORD',
          phone_number_verified: 'false',
          email_verified: 'false',
        })
      : userAttributes();
    write('customSmsSender', name, {
      ...base(`CustomSMSSender_${kind}`, {
        callerContext: {
          awsSdkVersion: 'aws-sdk-unknown-unknown',
          clientId: isInvitation
            ? 'CLIENT_ID_NOT_APPLICABLE'
            : FIXTURE_CLIENT_ID,
        },
      }),
      request: {
        type: 'customSMSSenderRequestV1',
        code,
        ...(extra ?? {}),
        userAttributes: attributes,
      },
      response: {},
    });
  }
  write('customSmsSender', '_plaintexts', plaintexts);
}

function customMessageFixtures(): void {
  const kinds: Array<[string, string]> = [
    ['sign-up', 'SignUp'],
    ['admin-create-user', 'AdminCreateUser'],
    ['resend-code', 'ResendCode'],
    ['forgot-password', 'ForgotPassword'],
    ['update-user-attribute', 'UpdateUserAttribute'],
    ['verify-user-attribute', 'VerifyUserAttribute'],
    ['authentication', 'Authentication'],
  ];
  for (const [name, kind] of kinds) {
    const isInvitation = kind === 'AdminCreateUser';
    write('customMessage', name, {
      ...base(
        `CustomMessage_${kind}`,
        isInvitation
          ? {
              callerContext: {
                awsSdkVersion: 'aws-sdk-unknown-unknown',
                clientId: 'CLIENT_ID_NOT_APPLICABLE',
              },
            }
          : {},
      ),
      request: {
        userAttributes: isInvitation
          ? userAttributes({
              'cognito:user_status': 'FORCE_CHANGE_PASSWORD',
              email_verified: 'false',
              phone_number_verified: 'false',
            })
          : userAttributes(),
        codeParameter: '{####}',
        linkParameter: '{##Click Here##}',
        usernameParameter: isInvitation ? '{username}' : null,
        ...(kind === 'Authentication'
          ? {}
          : { clientMetadata: { locale: 'en' } }),
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
  }
}

const SRP_A = {
  challengeName: 'SRP_A',
  challengeResult: true,
  challengeMetadata: null,
};
const PASSWORD_OK = {
  challengeName: 'PASSWORD_VERIFIER',
  challengeResult: true,
  challengeMetadata: null,
};

function authFixtures(): void {
  const request = (extra: Json) => ({
    userAttributes: userAttributes(),
    ...extra,
  });
  const define = (name: string, session: unknown[], extra: Json = {}) =>
    write('defineAuthChallenge', name, {
      ...base('DefineAuthChallenge_Authentication'),
      request: request({ session, ...extra }),
      response: {
        challengeName: null,
        issueTokens: null,
        failAuthentication: null,
      },
    });
  define('srp-a', [SRP_A]);
  define('password-verifier', [SRP_A, PASSWORD_OK]);
  define('wrong-password', [SRP_A, { ...PASSWORD_OK, challengeResult: false }]);
  define('custom-challenge-success', [
    SRP_A,
    PASSWORD_OK,
    {
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: true,
      challengeMetadata: 'TOTP',
    },
  ]);
  define('custom-challenge-wrong', [
    SRP_A,
    PASSWORD_OK,
    {
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: false,
      challengeMetadata: 'TOTP',
    },
  ]);
  define('user-not-found', [SRP_A], { userNotFound: true });

  const create = (name: string, session: unknown[], extra: Json = {}) =>
    write('createAuthChallenge', name, {
      ...base('CreateAuthChallenge_Authentication'),
      request: request({
        challengeName: 'CUSTOM_CHALLENGE',
        session,
        ...extra,
      }),
      response: {
        publicChallengeParameters: null,
        privateChallengeParameters: null,
        challengeMetadata: null,
      },
    });
  create('custom-challenge', [SRP_A, PASSWORD_OK]);
  create('retry-after-wrong-code', [
    SRP_A,
    PASSWORD_OK,
    {
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: false,
      challengeMetadata: 'TOTP',
    },
  ]);
  create('user-not-found', [SRP_A, PASSWORD_OK], { userNotFound: true });

  const verify = (name: string, answer: unknown, extra: Json = {}) =>
    write('verifyAuthChallengeResponse', name, {
      ...base('VerifyAuthChallengeResponse_Authentication'),
      request: request({
        privateChallengeParameters: { round: 'TOTP' },
        challengeAnswer: answer,
        ...extra,
      }),
      response: { answerCorrect: null },
    });
  verify('totp-answer', digits(6));
  verify('malformed-answer', '{"__proto__":{"admin":true}}');
  verify('user-not-found', digits(6), { userNotFound: true });
}

function preSignUpFixtures(): void {
  const attributes = {
    email: FIXTURE_USER.email,
    phone_number: FIXTURE_USER.phoneNumber,
    given_name: FIXTURE_USER.givenName,
  };
  write('preSignUp', 'sign-up', {
    ...base('PreSignUp_SignUp'),
    request: {
      userAttributes: attributes,
      validationData: null,
      clientMetadata: { locale: 'en' },
    },
    response: {
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    },
  });
  write('preSignUp', 'admin-create-user', {
    ...base('PreSignUp_AdminCreateUser', {
      callerContext: {
        awsSdkVersion: 'aws-sdk-unknown-unknown',
        clientId: 'CLIENT_ID_NOT_APPLICABLE',
      },
    }),
    request: { userAttributes: attributes, validationData: null },
    response: {
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    },
  });
  write('preSignUp', 'external-provider', {
    ...base('PreSignUp_ExternalProvider', {
      userName: 'Google_104839571938457193845',
    }),
    request: {
      userAttributes: {
        email: FIXTURE_USER.email,
        email_verified: 'true',
        given_name: FIXTURE_USER.givenName,
        'cognito:email_alias': '',
        'cognito:phone_number_alias': '',
      },
      validationData: {},
    },
    response: {
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    },
  });
}

async function main(): Promise<void> {
  useLocalCredentials();
  let endpoint = process.env.AWS_ENDPOINT_URL;
  const started = endpoint ? undefined : await startMoto();
  endpoint ??= started?.endpoint ?? '';
  try {
    const { env } = await provisionLocalStack({ endpoint });
    await senderFixtures(env.KMS_KEY_ARN ?? '', endpoint);
    customMessageFixtures();
    authFixtures();
    preSignUpFixtures();
    process.stdout.write(
      `fixtures written to ${path.relative(ROOT, FIXTURES)}\n`,
    );
  } finally {
    await started?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`fixtures failed: ${String(error)}\n`);
  process.exit(1);
});
