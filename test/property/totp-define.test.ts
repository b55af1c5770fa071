import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeResult } from '../../shared/events';
import { defineAuthChallenge } from '../../shared/totp/define';
import { decideNextChallenge } from '../../shared/totp/define-decision';
import { totpSettingsSchema } from '../../shared/totp/settings';

const dynamo = mockClient(DynamoDBClient);
beforeAll(() => {
  dynamo.on(GetItemCommand).resolves({});
});
afterAll(() => {
  dynamo.restore();
});

const NAMES = [
  'SRP_A',
  'PASSWORD_VERIFIER',
  'CUSTOM_CHALLENGE',
  'SMS_MFA',
  'DEVICE_SRP_AUTH',
  'PASSWORD_VERIFIER ',
];
const METADATA = ['TOTP', 'TOTP_ENROLL', 'MAGIC_LINK', '', undefined];

const anyRound = fc.record({
  challengeName: fc.oneof(fc.constantFrom(...NAMES), fc.string()),
  challengeResult: fc.boolean(),
  challengeMetadata: fc.constantFrom(...METADATA),
});
// Sessions that often look right, so the token branch is reached too.
const plausibleRound = fc.oneof(
  { weight: 1, arbitrary: anyRound },
  {
    weight: 4,
    arbitrary: fc.record({
      challengeName: fc.constant('CUSTOM_CHALLENGE'),
      challengeResult: fc.boolean(),
      challengeMetadata: fc.constantFrom('TOTP', 'TOTP_ENROLL'),
    }),
  },
);
const session = fc.oneof(
  fc.array(anyRound, { maxLength: 8 }),
  fc
    .tuple(
      fc.record({
        challengeName: fc.constant('SRP_A'),
        challengeResult: fc.boolean(),
      }),
      fc.record({
        challengeName: fc.constant('PASSWORD_VERIFIER'),
        challengeResult: fc.boolean(),
      }),
      fc.array(plausibleRound, { maxLength: 6 }),
    )
    .map(([srp, password, rounds]) => [srp, password, ...rounds]),
) as fc.Arbitrary<ChallengeResult[]>;

const isTotpRound = (round: ChallengeResult | undefined) =>
  round?.challengeName === 'CUSTOM_CHALLENGE' &&
  (round.challengeMetadata === 'TOTP' ||
    round.challengeMetadata === 'TOTP_ENROLL');

describe('Define (property)', () => {
  it('issues tokens only after SRP_A, a verified password and a successful last TOTP round', () => {
    fc.assert(
      fc.property(session, fc.integer({ min: 1, max: 5 }), (rounds, max) => {
        // Act
        const decision = decideNextChallenge(rounds, max);

        // Assess
        if (decision.outcome !== 'tokens') return;
        expect(rounds[0]).toMatchObject({
          challengeName: 'SRP_A',
          challengeResult: true,
        });
        expect(rounds[1]).toMatchObject({
          challengeName: 'PASSWORD_VERIFIER',
          challengeResult: true,
        });
        expect(isTotpRound(rounds.at(-1))).toBe(true);
        expect(rounds.at(-1)?.challengeResult).toBe(true);
        const before = rounds.slice(2, -1);
        expect(
          before.every((round) => isTotpRound(round) && !round.challengeResult),
        ).toBe(true);
        expect(before.length).toBeLessThan(max);
      }),
      { numRuns: 2000 },
    );
  });

  it('never offers more TOTP rounds than the session cap', () => {
    fc.assert(
      fc.property(session, fc.integer({ min: 1, max: 5 }), (rounds, max) => {
        // Act
        const decision = decideNextChallenge(rounds, max);

        // Assess
        if (
          decision.outcome === 'challenge' &&
          decision.challengeName === 'CUSTOM_CHALLENGE'
        ) {
          expect(rounds.length - 2).toBeLessThan(max);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never issues tokens to an unknown user, whatever the session says', async () => {
    // Prepare
    const deployment = {
      table: 'totp',
      keyArn:
        'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-000000000002',
      settings: totpSettingsSchema.parse({}),
      now: () => 1_800_000_000_000,
    };

    await fc.assert(
      fc.asyncProperty(session, async (rounds) => {
        // Act
        const response = await defineAuthChallenge(
          {
            triggerSource: 'DefineAuthChallenge_Authentication',
            region: 'eu-central-1',
            userPoolId: 'eu-central-1_Tr1ggers0',
            userName: 'nobody@example.com',
            request: {
              userAttributes: {},
              userNotFound: true,
              session: rounds,
            },
          },
          deployment,
        );

        // Assess
        expect(response.issueTokens).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
