import { describe, expect, it } from 'vitest';
import type { ChallengeResult } from '../../../shared/events';
import { decideNextChallenge } from '../../../shared/totp/define-decision';

const SRP_A: ChallengeResult = {
  challengeName: 'SRP_A',
  challengeResult: true,
};
const PASSWORD_OK: ChallengeResult = {
  challengeName: 'PASSWORD_VERIFIER',
  challengeResult: true,
};
const totp = (challengeResult: boolean, challengeMetadata = 'TOTP') => ({
  challengeName: 'CUSTOM_CHALLENGE',
  challengeResult,
  challengeMetadata,
});

describe('decideNextChallenge', () => {
  it('asks for the password after SRP_A', () => {
    // Act
    const decision = decideNextChallenge([SRP_A], 3);

    // Assess
    expect(decision).toEqual({
      outcome: 'challenge',
      challengeName: 'PASSWORD_VERIFIER',
    });
  });

  it('asks for a TOTP code after the verified password', () => {
    // Act
    const decision = decideNextChallenge([SRP_A, PASSWORD_OK], 3);

    // Assess
    expect(decision).toEqual({
      outcome: 'challenge',
      challengeName: 'CUSTOM_CHALLENGE',
    });
  });

  it('issues tokens after a correct code', () => {
    // Act
    const decision = decideNextChallenge([SRP_A, PASSWORD_OK, totp(true)], 3);

    // Assess
    expect(decision).toEqual({ outcome: 'tokens' });
  });

  it('issues tokens after a verified enrollment round', () => {
    // Act
    const decision = decideNextChallenge(
      [SRP_A, PASSWORD_OK, totp(true, 'TOTP_ENROLL')],
      3,
    );

    // Assess
    expect(decision).toEqual({ outcome: 'tokens' });
  });

  it('asks again after a wrong code, below the session cap', () => {
    // Act
    const decision = decideNextChallenge(
      [SRP_A, PASSWORD_OK, totp(false), totp(false)],
      3,
    );

    // Assess
    expect(decision).toEqual({
      outcome: 'challenge',
      challengeName: 'CUSTOM_CHALLENGE',
    });
  });

  it('fails after the third wrong code', () => {
    // Act
    const decision = decideNextChallenge(
      [SRP_A, PASSWORD_OK, totp(false), totp(false), totp(false)],
      3,
    );

    // Assess
    expect(decision).toEqual({ outcome: 'fail', reason: 'too_many_attempts' });
  });

  it.each<[string, ChallengeResult[], string]>([
    ['an empty session', [], 'no_password_round'],
    [
      'a wrong password',
      [SRP_A, { ...PASSWORD_OK, challengeResult: false }],
      'wrong_password',
    ],
    ['a failed SRP_A', [{ ...SRP_A, challengeResult: false }], 'srp_failed'],
    ['a custom challenge first', [totp(true)], 'out_of_order'],
    ['no password round', [SRP_A, totp(true)], 'out_of_order'],
    ['password twice', [SRP_A, PASSWORD_OK, PASSWORD_OK], 'out_of_order'],
    [
      'an unknown challenge name',
      [SRP_A, PASSWORD_OK, { challengeName: 'SMS_MFA', challengeResult: true }],
      'out_of_order',
    ],
    [
      'a round of someone else',
      [SRP_A, PASSWORD_OK, totp(true, 'MAGIC_LINK')],
      'unknown_round',
    ],
    [
      'a success that is not the last round',
      [SRP_A, PASSWORD_OK, totp(true), totp(false)],
      'out_of_order',
    ],
    [
      'the password round after TOTP',
      [SRP_A, totp(true), PASSWORD_OK],
      'out_of_order',
    ],
  ])('fails on %s', (_title, session, reason) => {
    // Act
    const decision = decideNextChallenge(session, 3);

    // Assess
    expect(decision).toEqual({ outcome: 'fail', reason });
  });

  it('honours a configured session cap of 1', () => {
    // Act
    const decision = decideNextChallenge([SRP_A, PASSWORD_OK, totp(false)], 1);

    // Assess
    expect(decision).toEqual({ outcome: 'fail', reason: 'too_many_attempts' });
  });

  it('issues no tokens for a success that comes after the session cap', () => {
    // Act
    const decision = decideNextChallenge(
      [SRP_A, PASSWORD_OK, totp(false), totp(true)],
      1,
    );

    // Assess
    expect(decision).toEqual({ outcome: 'fail', reason: 'too_many_attempts' });
  });
});
