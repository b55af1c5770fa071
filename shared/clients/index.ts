import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sendViaEndUserMessaging } from './eum-sender';
import { sendViaSns } from './sns-sender';
import type { SmsSender } from './types';

export type * from './types';

let stateTable: DynamoDBClient | undefined;

/**
 * The state table's client (idempotency claims and velocity counters),
 * built on first use and then kept for the life of the process. The SDK's
 * standard retries apply: these calls are idempotent or conditional.
 */
export function stateTableClient(): DynamoDBClient {
  stateTable ??= new DynamoDBClient({ ...SENDER_CLIENT_OPTIONS });
  return stateTable;
}

/**
 * Timeouts of the sender's DynamoDB client: a slow table fails a call in
 * seconds (a logged, retryable outcome) instead of holding the invocation
 * until Lambda kills it, which would leave a claim taken and its outcome
 * unrecorded. The SDK's standard retries stay.
 */
export const SENDER_CLIENT_OPTIONS = Object.freeze({
  requestHandler: Object.freeze({
    connectionTimeout: 1000,
    requestTimeout: 2000,
    // Without it the SDK only warns when requestTimeout passes.
    throwOnRequestTimeout: true,
  }),
});

/**
 * The {@link SmsSender} that dispatches each route to its transport. Both
 * clients are bundled and loaded eagerly: measured, a lazy `import()` of the
 * End User Messaging client cost more cold init than loading it (esbuild
 * then wraps the whole SDK core in lazy-init functions), and its client is
 * only constructed on first use.
 */
export const smsSender: SmsSender = {
  async send(sms, route, options) {
    if (route.transport === 'sns') return sendViaSns(sms, route, options);
    return sendViaEndUserMessaging(sms, route, options);
  },
};
