import { syncTrigger } from '../../shared/boundary';
import type { PreSignUpEvent } from '../../shared/events';
import { logger } from '../../shared/logging';

/** Pre Sign-up trigger. Planned (issue 6): lets every sign-up through. */
export const handler = syncTrigger<PreSignUpEvent>('preSignUp', (event) => {
  logger.warn('pre sign-up policy is not built yet; sign-up allowed');
  return event;
});
