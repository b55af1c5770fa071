/**
 * The AWS SDK parts of the TOTP store and secret box, built as a lazy chunk
 * (`handler.sdk.js` beside each bundle; infra/esbuild-plugins.cjs): Define
 * needs them only from its TOTP round on, so its password rounds never
 * compile them. Only package re-exports belong here.
 */
export {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
export { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
export { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
