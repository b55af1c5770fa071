/**
 * Build-time stand-in for `@aws-sdk/client-kms` as seen by the Encryption
 * SDK's KMS keyring only (`@aws-crypto/kms-keyring-node`): the aggregated
 * `KMS` class registers all of KMS's commands, while the keyring calls three
 * (`generateDataKey`, `encrypt`, `decrypt`, promise style). This class has
 * exactly those, on the bare `KMSClient`. Everything else is re-exported
 * unchanged; any other importer of `@aws-sdk/client-kms` gets the real one.
 */
import {
  DecryptCommand,
  type DecryptCommandInput,
  EncryptCommand,
  type EncryptCommandInput,
  GenerateDataKeyCommand,
  type GenerateDataKeyCommandInput,
  KMSClient,
} from '@aws-sdk/client-kms';

export * from '@aws-sdk/client-kms';

/** The keyring's view of the aggregated client. */
export class KMS extends KMSClient {
  decrypt(input: DecryptCommandInput) {
    return this.send(new DecryptCommand(input));
  }

  encrypt(input: EncryptCommandInput) {
    return this.send(new EncryptCommand(input));
  }

  generateDataKey(input: GenerateDataKeyCommandInput) {
    return this.send(new GenerateDataKeyCommand(input));
  }
}
