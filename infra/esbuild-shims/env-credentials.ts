/**
 * Build-time stand-in for `@aws-sdk/credential-provider-node` in the Lambda
 * bundles: Lambda always hands a function its role's credentials in the
 * environment, so the SSO/INI/process/web-identity/IMDS chain and its
 * nested STS/SSO clients (about 120 KiB, 10-20 ms of cold init) are dead
 * weight. Local runs of a bundle need `AWS_ACCESS_KEY_ID` and friends set
 * (the local stack sets them). Same exports as the real package.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Init = Parameters<typeof fromEnv>[0];
type Expiring = { expiration?: Date } | undefined;

/** The default provider, reduced to the environment. */
export const defaultProvider = (init: Init = {}) => fromEnv(init);

/** As in the real package: only expiring credentials need a refresh. */
export const credentialsWillNeedRefresh = (credentials: Expiring): boolean =>
  credentials?.expiration !== undefined;

/** As in the real package: expiring within 5 minutes counts as expired. */
export const credentialsTreatedAsExpired = (credentials: Expiring): boolean =>
  credentials?.expiration !== undefined &&
  credentials.expiration.getTime() - Date.now() < 300_000;
