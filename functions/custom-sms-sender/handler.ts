import type { Context } from 'aws-lambda';
import { handleCustomSmsSender } from '../../shared/sms';

/**
 * Custom SMS Sender (asynchronous trigger): Cognito's response is ignored,
 * so the handler returns nothing. It throws only when a retry may still
 * deliver; every terminal outcome is logged and counted inside.
 */
export const handler = async (
  event: unknown,
  context: Context,
): Promise<void> => {
  await handleCustomSmsSender(event, context);
};
