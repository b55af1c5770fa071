import {
  buildClient,
  CommitmentPolicy,
  KmsKeyringNode,
} from '@aws-crypto/client-node';
import {
  DescribeTimeToLiveCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { KMS } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { loadEvent, senderPlaintexts } from '../support/events';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();

describe('local stack', () => {
  it('provisions the KMS key as a full ARN and the tables with TTL', async () => {
    // Prepare
    const dynamodb = new DynamoDBClient({});

    // Act
    const ttl = await dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: stack.env.STATE_TABLE }),
    );

    // Assess
    expect(stack.env.KMS_KEY_ARN).toMatch(
      /^arn:aws:kms:eu-central-1:123456789012:key\/[0-9a-f-]{36}$/,
    );
    expect(stack.env.STATE_TABLE).toBe('cognito-trigger-suite-local-state');
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
  });

  it.each([
    'sign-up',
    'resend-code',
    'forgot-password',
    'update-user-attribute',
    'verify-user-attribute',
    'authentication',
    'admin-create-user',
  ])('decrypts the committed %s fixture like Cognito made it', async (name) => {
    // Prepare
    const event = loadEvent('customSmsSender', name);
    const { decrypt } = buildClient({
      commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
      maxEncryptedDataKeys: 1,
    });
    const keyring = new KmsKeyringNode({
      keyIds: [stack.env.KMS_KEY_ARN as string],
      clientProvider: (region: string) => new KMS({ region }),
    });

    // Act
    const { plaintext, messageHeader } = await decrypt(
      keyring,
      Buffer.from(event.request.code, 'base64'),
    );

    // Assess
    expect(event.request.code.startsWith('AYADe')).toBe(true);
    expect(messageHeader.version).toBe(1);
    expect(messageHeader.suiteId).toBe(0x0378);
    expect(messageHeader.encryptionContext['userpool-id']).toBe(
      event.userPoolId,
    );
    const expected = senderPlaintexts()[name] as string;
    expect(plaintext.toString('utf8')).toBe(
      expected.replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    );
  });
});
