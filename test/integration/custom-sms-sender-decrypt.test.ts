import { randomInt } from 'node:crypto';
import {
  buildClient,
  CommitmentPolicy,
  KmsKeyringNode,
} from '@aws-crypto/client-node';
import { CreateKeyCommand, KMS, KMSClient } from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  encryptLikeCognito,
  encryptWithExtraDataKeys,
} from '../support/cognito-ciphertext';
import { loadBundle, useLocalStack } from '../support/local-stack';
import { trackSecret } from '../support/secrets';
import {
  fakeContext,
  type Sender,
  senderEvent,
  senderOutcomes,
} from './custom-sms-sender.support';

/**
 * The bundled Custom SMS Sender's decrypt settings against moto's KMS: the
 * keyring names only KMS_KEY_ARN (`keyIds`), and a message may carry one
 * encrypted data key (`maxEncryptedDataKeys: 1`). Each case first shows
 * that the ESDK, without that setting, would decrypt the message: the
 * refusal is the setting's doing, not a broken ciphertext.
 */

const stack = useLocalStack();
let sender: Sender;
/** Two more moto KMS keys in the pool's account and region. */
let otherKeyArns: [string, string];

beforeAll(async () => {
  process.env.SMS_TRANSPORT = 'sns';
  sender = loadBundle<Sender>('customSmsSender');
  const kms = new KMSClient({ endpoint: stack.moto.endpoint });
  const create = async (description: string) =>
    (
      await kms.send(
        new CreateKeyCommand({
          Description: description,
          KeyUsage: 'ENCRYPT_DECRYPT',
          KeySpec: 'SYMMETRIC_DEFAULT',
        }),
      )
    ).KeyMetadata?.Arn as string;
  otherKeyArns = [await create('other key 1'), await create('other key 2')];
  kms.destroy();
});

/** A fresh six-digit code, tracked so no log line may show it. */
function freshCode(): string {
  const code = String(randomInt(100_000, 1_000_000));
  trackSecret(code);
  return code;
}

async function smsTo(phone: string) {
  return (await stack.moto.smsMessages()).filter(
    (sms) => sms.phoneNumber === phone,
  );
}

/** Decrypts with the ESDK as the sender does, minus the setting under test. */
async function decryptWithout(code: string, keyIds: string[]): Promise<string> {
  const { decrypt } = buildClient(
    CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
  );
  const keyring = new KmsKeyringNode({
    keyIds,
    clientProvider: (region: string) => new KMS({ region }),
  });
  const { plaintext } = await decrypt(keyring, Buffer.from(code, 'base64'));
  return plaintext.toString('utf8');
}

describe('custom SMS sender decrypt settings (bundle, KMS on moto)', () => {
  it('sends nothing for a message with two encrypted data keys (terminal, not retried)', async () => {
    // Prepare: the pool's key first, so only the data-key limit refuses it
    const { event, phone } = senderEvent();
    const plaintext = freshCode();
    const keyArn = stack.env.KMS_KEY_ARN as string;
    event.request.code = await encryptWithExtraDataKeys(
      { keyArn, userPoolId: event.userPoolId, plaintext },
      [otherKeyArns[0]],
    );
    trackSecret(event.request.code);
    expect(await decryptWithout(event.request.code, [keyArn])).toBe(plaintext);

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(0);
    expect(senderOutcomes().at(-1)).toMatchObject({
      message: 'sms failed (terminal, not retried)',
      errorClass: 'malformed_message',
    });
  });

  it('sends nothing for a message encrypted under another KMS key (wrong_key, terminal)', async () => {
    // Prepare: moto would decrypt it for anyone who names that key
    const { event, phone } = senderEvent();
    const plaintext = freshCode();
    event.request.code = await encryptLikeCognito({
      keyArn: otherKeyArns[1],
      userPoolId: event.userPoolId,
      plaintext,
    });
    trackSecret(event.request.code);
    expect(await decryptWithout(event.request.code, [otherKeyArns[1]])).toBe(
      plaintext,
    );

    // Act
    await sender.handler(event, fakeContext());

    // Assess
    expect(await smsTo(phone)).toHaveLength(0);
    expect(senderOutcomes().at(-1)).toMatchObject({
      message: 'sms failed (terminal, not retried)',
      errorClass: 'wrong_key',
    });
  });
});
