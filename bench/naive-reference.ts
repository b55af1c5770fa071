/**
 * The naive reference of `npm run bench`: the AWS documentation's Custom SMS
 * Sender sample (decrypt the code with the AWS Encryption SDK's all-in-one
 * `@aws-crypto/client-node`, then send it), with SNS Publish as the
 * "custom provider" and SDK v3. `npm run bench` bundles it without care
 * (`esbuild --bundle --platform=node --target=node20 --format=cjs`, no
 * minify, default main fields), as most projects ship it.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html
 */
import {
  buildClient,
  CommitmentPolicy,
  KmsKeyringNode,
} from '@aws-crypto/client-node';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
// biome-ignore lint/style/noProcessEnv: a self-contained reference sample
const keyIds = [process.env.KEY_ARN as string];
const keyring = new KmsKeyringNode({ keyIds });
const sns = new SNSClient({});

interface SenderEvent {
  triggerSource: string;
  request: { code?: string; userAttributes: Record<string, string> };
}

export const handler = async (event: SenderEvent): Promise<void> => {
  let plainTextCode: string | undefined;
  if (event.request.code) {
    const { plaintext } = await decrypt(
      keyring,
      Buffer.from(event.request.code, 'base64'),
    );
    plainTextCode = plaintext.toString('utf8');
  }
  if (plainTextCode && event.request.userAttributes.phone_number) {
    await sns.send(
      new PublishCommand({
        PhoneNumber: event.request.userAttributes.phone_number,
        Message: `Your verification code is ${plainTextCode}`,
      }),
    );
  }
};
