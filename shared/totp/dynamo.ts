import { DependencyError } from '../errors';
import type { DynamoDBClient, KMSClient } from './sdk.chunk';

type TotpSdk = typeof import('./sdk.chunk');

/** The TOTP store's AWS SDK module and its two clients (one per process). */
export interface TotpAws {
  readonly sdk: TotpSdk;
  readonly dynamo: DynamoDBClient;
  readonly kms: KMSClient;
}

let aws: TotpAws | undefined;
let loading: Promise<TotpAws> | undefined;

/**
 * Timeouts (ms) and attempts of the TOTP clients: a slow or dead endpoint
 * fails a call well inside the triggers' 3-second timeout (so Verify can
 * still give back an attempt it reserved), instead of the SDK's default of
 * waiting as long as the socket does.
 */
export const TOTP_CLIENT_OPTIONS = Object.freeze({
  maxAttempts: 2,
  requestHandler: Object.freeze({
    connectionTimeout: 300,
    requestTimeout: 800,
    // Without it the SDK only warns when requestTimeout passes.
    throwOnRequestTimeout: true,
  }),
});

const connect = (sdk: TotpSdk): TotpAws => {
  aws ??= {
    sdk,
    dynamo: new sdk.DynamoDBClient({ ...TOTP_CLIENT_OPTIONS }),
    kms: new sdk.KMSClient({ ...TOTP_CLIENT_OPTIONS }),
  };
  return aws;
};

/**
 * Loads the SDK chunk and builds the clients now, during the bundle's cold
 * start. Create and Verify call it at module load: every one of their calls
 * needs DynamoDB and KMS, and Lambda runs the init phase at full CPU.
 * Define does not: its password rounds never touch the store. Outside a
 * bundle (the test runner, where `./sdk.chunk` is TypeScript) it does
 * nothing, and a chunk missing from a bundle is left to {@link totpAws},
 * which turns it into a logged DependencyError on the first call.
 */
export function preloadTotpAws(): void {
  if (aws !== undefined || typeof require !== 'function') return;
  try {
    connect(require('./sdk.chunk') as TotpSdk);
  } catch {
    // See above: totpAws() reports it.
  }
}

/**
 * The SDK and clients, loading the chunk on first use.
 *
 * @throws DependencyError (`dynamodb`, not transient) when the chunk cannot
 *   be loaded
 */
export function totpAws(): Promise<TotpAws> {
  if (aws) return Promise.resolve(aws);
  loading ??= import('./sdk.chunk').then(connect, (error: unknown) => {
    loading = undefined;
    throw new DependencyError('dynamodb', 'TOTP SDK chunk not loaded', {
      cause: error,
      isTransient: false,
    });
  });
  return loading;
}

/**
 * Runs a DynamoDB call, turning a failed condition into `false` and any
 * other failure into a {@link DependencyError} (no table data in messages).
 *
 * @param call - the request
 * @returns `true` when it succeeded, `false` when its condition failed
 */
export async function conditional(
  call: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (
      error instanceof Error &&
      error.name === 'ConditionalCheckFailedException'
    ) {
      return false;
    }
    throw asDependencyError(error);
  }
}

/**
 * Wraps a DynamoDB failure.
 *
 * @param error - what the SDK threw
 */
export function asDependencyError(error: unknown): DependencyError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  return new DependencyError('dynamodb', `TOTP table call failed: ${name}`, {
    cause: error,
  });
}
