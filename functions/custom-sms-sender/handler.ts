import type { CustomSMSSenderTriggerEvent } from 'aws-lambda';
import { logger } from '../../shared/logging';

/** Custom SMS Sender. Planned (issue 3): logs that nothing was sent. */
export const handler = async (
  event: CustomSMSSenderTriggerEvent,
): Promise<void> => {
  logger.error('custom SMS sender is not built yet; nothing sent', {
    triggerSource: event.triggerSource,
  });
};
