import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sendViaSns } from './sns-sender';
import type { SmsSender } from './types';

export type * from './types';

/**
 * The state table's client, built once per process (idempotency claims and
 * velocity counters). The SDK's standard retries apply: these calls are
 * idempotent or conditional.
 */
export const stateTableClient = new DynamoDBClient({});

/**
 * The {@link SmsSender} that dispatches each route to its transport. SNS is
 * loaded with the bundle (the default transport); End User Messaging is
 * loaded on its first use, so SNS deployments never pay for it.
 */
export const smsSender: SmsSender = {
  async send(sms, route, options) {
    if (route.transport === 'sns') return sendViaSns(sms, route, options);
    const { sendViaEndUserMessaging } = await import('./eum-sender');
    return sendViaEndUserMessaging(sms, route, options);
  },
};
