import { describe, expect, it } from 'vitest';
import {
  type CustomAuthTriggers,
  SimulatedPool,
} from '../../support/cognito-flow';

/** The flow model itself, driven by scripted triggers. */

const USER = {
  userName: 'ada',
  password: 'correct horse',
  attributes: { sub: 'sub-1' },
};

function scripted(overrides: Partial<CustomAuthTriggers> = {}) {
  const seen: Array<{ trigger: string; request: any }> = [];
  const triggers: CustomAuthTriggers = {
    define: async (event) => {
      seen.push({ trigger: 'define', request: event.request });
      const session = event.request.session;
      const last = session.at(-1);
      if (session.length === 1)
        event.response = { challengeName: 'PASSWORD_VERIFIER' };
      else if (!last.challengeResult)
        event.response = { failAuthentication: true, issueTokens: true };
      else if (last.challengeName === 'CUSTOM_CHALLENGE')
        event.response = { issueTokens: true };
      else event.response = { challengeName: 'CUSTOM_CHALLENGE' };
      return event;
    },
    create: async (event) => {
      seen.push({ trigger: 'create', request: event.request });
      event.response = {
        publicChallengeParameters: { hint: 'say yes' },
        privateChallengeParameters: { expected: 'yes' },
        challengeMetadata: 'ROUND',
      };
      return event;
    },
    verify: async (event) => {
      seen.push({ trigger: 'verify', request: event.request });
      event.response = {
        answerCorrect:
          event.request.challengeAnswer ===
          event.request.privateChallengeParameters?.expected,
      };
      return event;
    },
    ...overrides,
  };
  const pool = new SimulatedPool(triggers, {
    userPoolId: 'eu-central-1_abc',
    clientId: 'client',
  });
  pool.addUser(USER);
  return { pool, seen };
}

describe('SimulatedPool', () => {
  it('runs SRP_A, the password and a custom round, handing private parameters only to Verify', async () => {
    // Prepare
    const { pool, seen } = scripted();

    // Act
    const signIn = await pool.initiateAuth('ada');
    const afterPassword = await signIn.respondToPassword('correct horse');
    const result = await signIn.respondToChallenge('yes');

    // Assess
    expect(afterPassword).toEqual({
      kind: 'challenge',
      challengeName: 'CUSTOM_CHALLENGE',
      parameters: { hint: 'say yes' },
    });
    expect(result).toEqual({ kind: 'tokens' });
    expect(seen.map((s) => s.trigger)).toEqual([
      'define',
      'define',
      'create',
      'verify',
      'define',
    ]);
    expect(seen[4]?.request.session).toEqual([
      {
        challengeName: 'SRP_A',
        challengeResult: true,
        challengeMetadata: undefined,
      },
      {
        challengeName: 'PASSWORD_VERIFIER',
        challengeResult: true,
        challengeMetadata: undefined,
      },
      {
        challengeName: 'CUSTOM_CHALLENGE',
        challengeResult: true,
        challengeMetadata: 'ROUND',
      },
    ]);
    expect(
      seen
        .filter((s) => s.trigger !== 'verify')
        .every((s) => !('privateChallengeParameters' in s.request)),
    ).toBe(true);
  });

  it('lets failAuthentication win over issueTokens', async () => {
    // Prepare
    const { pool } = scripted();

    // Act
    const signIn = await pool.initiateAuth('ada');
    const result = await signIn.respondToPassword('wrong');

    // Assess
    expect(result).toEqual({
      kind: 'error',
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('marks an unknown user with userNotFound and no attributes, and fails the password', async () => {
    // Prepare
    const { pool, seen } = scripted();

    // Act
    const signIn = await pool.initiateAuth('nobody');
    await signIn.respondToPassword('correct horse');

    // Assess
    expect(seen[0]?.request).toMatchObject({
      userNotFound: true,
      userAttributes: {},
    });
    expect(signIn.session.at(-1)).toEqual({
      challengeName: 'PASSWORD_VERIFIER',
      challengeResult: false,
    });
  });

  it('reports a throwing trigger as UserLambdaValidationException with its message', async () => {
    // Prepare
    const { pool } = scripted({
      create: async () => {
        throw new Error('Sign-in failed');
      },
    });

    // Act
    const signIn = await pool.initiateAuth('ada');
    const result = await signIn.respondToPassword('correct horse');

    // Assess
    expect(result).toEqual({
      kind: 'error',
      name: 'UserLambdaValidationException',
      message: 'CreateAuthChallenge failed with error Sign-in failed.',
    });
  });

  it('rejects a trigger that does not return the event', async () => {
    // Prepare
    const { pool } = scripted({ define: async () => ({ issueTokens: true }) });

    // Act
    const signIn = await pool.initiateAuth('ada');

    // Assess
    expect(signIn.last).toMatchObject({
      kind: 'error',
      name: 'InvalidLambdaResponseException',
    });
  });

  it('refuses an answer to a challenge that was not asked', async () => {
    // Prepare
    const { pool } = scripted();
    const signIn = await pool.initiateAuth('ada');

    // Act
    const result = await signIn.respondToChallenge('yes');

    // Assess
    expect(result).toMatchObject({
      kind: 'error',
      name: 'NotAuthorizedException',
    });
  });
});
