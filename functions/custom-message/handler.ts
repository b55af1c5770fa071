import { syncTrigger } from '../../shared/boundary';
import type { CustomMessageEvent } from '../../shared/events';
import { logger } from '../../shared/logging';

/** Custom Message trigger. Planned (issue 4): leaves Cognito's default. */
export const handler = syncTrigger<CustomMessageEvent>(
  'customMessage',
  (event) => {
    logger.warn('custom message rendering is not built yet; default kept');
    return event;
  },
);
