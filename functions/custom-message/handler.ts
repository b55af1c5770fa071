import { syncTrigger } from '../../shared/boundary';
import { requireEnvironment } from '../../shared/config';
import type { CustomMessageEvent } from '../../shared/events';
import { customMessageResponse } from '../../shared/templates/custom-message';

const isEmailAllowed =
  requireEnvironment('EMAIL_SENDING_ACCOUNT').EMAIL_SENDING_ACCOUNT ===
  'DEVELOPER';

/**
 * Custom Message trigger: renders the SMS (and, on a DEVELOPER email pool,
 * the email) from the template catalogue. Never blocks the user: anything
 * it cannot render stays `null`, so Cognito sends its default.
 */
export const handler = syncTrigger<CustomMessageEvent>(
  'customMessage',
  (event) => {
    const response = customMessageResponse(event, { isEmailAllowed });
    if (event !== null && typeof event === 'object') {
      // Written whole (the three fields Cognito reads), whatever came in.
      event.response = { ...response };
    }
    return event;
  },
);
