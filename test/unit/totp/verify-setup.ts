import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { totpSettingsSchema } from '../../../shared/totp/settings';
import { capturedLogRecords } from '../../support/log-capture';

/** Shared set-up of the Verify unit tests (SDK mocked at the client). */

export const dynamo = mockClient(DynamoDBClient);
export const kms = mockClient(KMSClient);
export const NOW = 1_800_000_000_000;
export const PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
export const deployment = {
  table: 'totp',
  keyArn:
    'arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-4000-8000-000000000002',
  settings: totpSettingsSchema.parse({}),
  now: () => NOW,
};
export const CT = new Uint8Array([1, 2, 3]);

/** A Verify event answering the TOTP round. */
export function event(answer: unknown, extra: Record<string, unknown> = {}) {
  return {
    triggerSource: 'VerifyAuthChallengeResponse_Authentication' as const,
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_Tr1ggers0',
    userName: 'ada',
    request: {
      userAttributes: { sub: '5f1b7c2e-9a0d-4e8b-b3c1-2d4e6f8a0b1c' },
      privateChallengeParameters: { round: 'TOTP' },
      challengeAnswer: answer,
      ...extra,
    },
  };
}

/** Makes GetItem return this record. */
export function stored(item: Record<string, unknown>): void {
  dynamo.on(GetItemCommand).resolves({ Item: marshall({ pk: 'x', ...item }) });
}

export const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });

/** The reason of the last refused answer in the captured logs. */
export const lastReason = () =>
  capturedLogRecords()
    .filter((r) => r.message === 'answer refused')
    .at(-1)?.reason;
