import {
  CUSTOM_MESSAGE_SOURCES,
  type CustomMessageEvent,
  customMessageEventSchema,
  type MessageKind,
  messageKindOf,
  resolveEventSchema,
} from '../events';
import { issuePathOf } from '../events/parse';
import { logger } from '../logging';
import { countMetric } from '../metrics';
import {
  type Channel,
  formatViolation,
  type RenderRequest,
  renderMessage,
  smsEncodingOf,
  templateViolations,
} from './index';
import { type Rendered, TemplateError } from './types';

// Built at cold start: the one event schema this function uses.
const eventSchema = resolveEventSchema(customMessageEventSchema);

/** What Custom Message returns to Cognito; `null` keeps Cognito's default. */
export interface CustomMessageResponse {
  smsMessage: string | null;
  emailMessage: string | null;
  emailSubject: string | null;
}

const DEFAULTS: CustomMessageResponse = {
  smsMessage: null,
  emailMessage: null,
  emailSubject: null,
};

// Reported once per cold start; every render then fails safe.
if (templateViolations.length > 0) {
  logger.error('template catalogue invalid; Cognito defaults will be sent', {
    violations: templateViolations.slice(0, 50).map(formatViolation),
  });
  countMetric('TemplateCatalogueInvalid');
}

function tryRender(request: RenderRequest): Rendered | null {
  try {
    return renderMessage(request);
  } catch (error) {
    const reason =
      error instanceof TemplateError ? error.reason : 'unexpected_error';
    logger.error('message not rendered; Cognito default used', {
      kind: request.kind,
      channel: request.channel,
      reason,
      error,
    });
    countMetric('TemplateRenderFailed', { channel: request.channel, reason });
    return null;
  }
}

function requestFor(
  event: CustomMessageEvent,
  kind: MessageKind,
): (channel: Channel) => RenderRequest {
  const { request } = event;
  return (channel) => ({
    kind,
    channel,
    locales: [request.userAttributes.locale, request.clientMetadata?.locale],
    clientId: event.callerContext?.clientId,
    placeholders: {
      code: request.codeParameter ?? undefined,
      username: request.usernameParameter ?? undefined,
      link: request.linkParameter ?? undefined,
    },
    userAttributes: request.userAttributes,
  });
}

function decline(reason: string, detail: Record<string, unknown> = {}) {
  logger.warn('custom message not rendered; Cognito default kept', {
    reason,
    ...detail,
  });
  countMetric('CustomMessageDeclined', { reason });
  return { ...DEFAULTS };
}

/**
 * Decides what Custom Message returns: the SMS always, the email subject
 * and body only when the pool sends email through its own SES
 * (`EmailSendingAccount: DEVELOPER`), because Cognito rejects them
 * otherwise. Never throws: a malformed event, an unknown triggerSource or a
 * failed render leaves the field `null` (Cognito then sends its default),
 * with a log line and a metric, so sign-up is never blocked.
 *
 * @param event - the raw Custom Message event
 * @param options.isEmailAllowed - whether the pool's email account is DEVELOPER
 * @returns the three response fields
 */
export function customMessageResponse(
  event: unknown,
  options: { isEmailAllowed: boolean },
): CustomMessageResponse {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) {
    return decline('invalid_event', {
      issues: parsed.error.issues.map((issue) => issuePathOf(issue.path)),
    });
  }
  const source = parsed.data.triggerSource;
  const kind = (CUSTOM_MESSAGE_SOURCES as readonly string[]).includes(source)
    ? messageKindOf(source)
    : undefined;
  if (kind === undefined) return decline('unknown_trigger_source');
  const build = requestFor(parsed.data, kind);
  const sms = tryRender(build('sms'));
  const response = { ...DEFAULTS, smsMessage: sms?.text ?? null };
  let body: Rendered | null = null;
  if (options.isEmailAllowed) {
    const subject = tryRender(build('emailSubject'));
    body = tryRender(build('emailBody'));
    // Both or neither: a custom subject over Cognito's default body (or the
    // other way round) would not match.
    if (subject !== null && body !== null) {
      response.emailSubject = subject.text;
      response.emailMessage = body.text;
    }
  }
  const smsEncoding = sms === null ? undefined : smsEncodingOf(sms.text);
  // Every channel resolves the locale alike: the first one rendered says.
  const rendered = sms ?? body;
  logger.info('custom message rendered', {
    kind,
    locale: rendered?.locale,
    localeFallback: rendered?.isLocaleFallback,
    sms: response.smsMessage !== null,
    email: response.emailMessage !== null,
    smsEncoding: smsEncoding?.encoding,
    smsSegments: smsEncoding?.segments,
  });
  countMetric('CustomMessageRendered', { kind });
  if (rendered?.isLocaleFallback) {
    countMetric('LocaleFallback', { trigger: 'customMessage' });
  }
  return response;
}
