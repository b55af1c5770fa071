/**
 * Classification of SNS and End User Messaging errors, from the SDK error's
 * name, HTTP status, `Reason` and network code. Pure.
 *
 * - `retry`: throttling, 5xx, connection failures (including a connection
 *   that did not open in time): try the same route again
 *   after a backoff, then the next route.
 * - `next-route`: this identity or region cannot carry the message (e.g. an
 *   identity not valid for the destination country): skip to the next route
 *   without retrying.
 * - `stop`: the destination or account refuses (opt-out, unverified number
 *   in the sandbox, spend limit, validation): terminal, nothing else tried.
 * - `ambiguous`: the request may have been delivered (timed out after it
 *   was sent): terminal, never retried, so no second SMS.
 */
export type SendErrorAction = 'retry' | 'next-route' | 'stop' | 'ambiguous';

/** A classified send error: what to do and a stable class for metrics. */
export interface SendErrorClass {
  readonly action: SendErrorAction;
  /** e.g. `throttling`, `server`, `network`, `opted_out`, `spend_limit`. */
  readonly errorClass: string;
}

interface SdkErrorLike {
  name?: string;
  code?: string;
  Reason?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// Reasons that rule out this origination identity (or this region's
// identities), not the message: never retried on it, but the next route may
// carry the message. (End User Messaging's ValidationException and
// ConflictException reasons, SDK 3.1138.)
const NEXT_ROUTE_REASONS = new Set([
  'INVALID_IDENTITY_FOR_DESTINATION_COUNTRY',
  'SENDER_ID_NOT_REGISTERED',
  'SENDER_ID_NOT_SUPPORTED',
  'SENDER_ID_REQUIRES_REGISTRATION',
  'INTERNATIONAL_SENDING_NOT_SUPPORTED',
  'RESOURCE_NOT_ACCESSIBLE',
  'INVALID_ORIGINATION_IDENTITY',
  'MESSAGE_TYPE_MISMATCH',
  'NUMBER_CAPABILITIES_MISMATCH',
  'REGISTRATION_NOT_COMPLETE',
  'RESOURCE_NOT_ACTIVE',
  'NO_ORIGINATION_IDENTITIES_FOUND',
]);
const STOP_CLASSES: ReadonlyArray<[RegExp, string]> = [
  [/OPTED_OUT|OptedOut|opted out/i, 'opted_out'],
  [/NOT_VERIFIED|sandbox|not verified/i, 'sandbox_unverified'],
  [/SPEND_LIMIT|spend limit|MonthlySpend/i, 'spend_limit'],
  [/BLOCKED|blocked/i, 'destination_blocked'],
  [/PRICE_OVER_THRESHOLD|MaxPrice/i, 'price_over_threshold'],
];

/**
 * The SDK's `connectionTimeout` error: the TCP connection never opened, so
 * nothing was sent. (Its other `TimeoutError`s come after the request left
 * and stay ambiguous.)
 */
const isConnectionTimeout = (error: SdkErrorLike): boolean =>
  error.name === 'TimeoutError' &&
  /did not establish a connection/.test(error.message ?? '');

/** Refusals by or of the destination itself: every route would get them. */
const DESTINATION_REFUSALS = new Set(['opted_out', 'destination_blocked']);

/**
 * Whether a `stop` class refuses the destination on every route (the user
 * opted out, the number is blocked), rather than this route's region,
 * account or identity (sandbox, spend limit, permissions, validation).
 *
 * @param errorClass - the class of a `stop` verdict
 */
export const isDestinationRefusal = (errorClass: string): boolean =>
  DESTINATION_REFUSALS.has(errorClass);

function stopClass(error: SdkErrorLike): string {
  const text = `${error.Reason ?? ''} ${error.message ?? ''}`;
  for (const [pattern, name] of STOP_CLASSES) {
    if (pattern.test(text)) return name;
  }
  const name = error.name ?? '';
  if (/AccessDenied|Authorization/.test(name)) return 'access_denied';
  if (/Quota/.test(name)) return 'quota';
  return 'validation';
}

/**
 * Decides what to do after a failed send.
 *
 * @param error - what the SDK threw
 * @param timedOut - whether our own per-attempt timeout aborted the call
 */
export function classifySendError(
  error: unknown,
  timedOut = false,
): SendErrorClass {
  const e = (error ?? {}) as SdkErrorLike;
  if (timedOut) return { action: 'ambiguous', errorClass: 'timeout' };
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (THROTTLING.has(name))
    return { action: 'retry', errorClass: 'throttling' };
  if (status >= 500 || /Internal|ServiceUnavailable/.test(name)) {
    return { action: 'retry', errorClass: 'server' };
  }
  if (
    NETWORK.has(e.code ?? '') ||
    NETWORK.has(name) ||
    isConnectionTimeout(e)
  ) {
    return { action: 'retry', errorClass: 'network' };
  }
  if (
    NEXT_ROUTE_REASONS.has(e.Reason ?? '') ||
    name === 'ResourceNotFoundException'
  ) {
    return { action: 'next-route', errorClass: 'identity_unusable' };
  }
  if (status >= 400 && status < 500) {
    return { action: 'stop', errorClass: stopClass(e) };
  }
  return { action: 'ambiguous', errorClass: 'unknown' };
}
