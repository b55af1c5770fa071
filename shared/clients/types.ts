import type { Route } from '../routing/plan';

/** The SMS to deliver: destination in E.164 and the rendered text. */
export interface OutgoingSms {
  readonly phoneNumber: string;
  readonly text: string;
}

/** Per-call options of a send. */
export interface SendOptions {
  /** Aborts the HTTP call (our per-attempt timeout). */
  readonly abortSignal?: AbortSignal;
  /** Validate only (End User Messaging `DryRun`) or log only (SNS). */
  readonly dryRun: boolean;
}

/** What the transport answered. */
export interface SendResult {
  /** The provider's message id; absent for a log-only dry run. */
  readonly messageId?: string;
}

/**
 * Hands one SMS to AWS over one route (region, identity). Implementations
 * build their SDK clients once per region and never retry on their own:
 * retries, failover and budgets are the caller's.
 */
export interface SmsSender {
  /**
   * @throws the SDK's error unchanged (the caller classifies it)
   */
  send(
    sms: OutgoingSms,
    route: Route,
    options: SendOptions,
  ): Promise<SendResult>;
}

/**
 * The SNS and End User Messaging clients' options: no SDK retries (the
 * caller retries, fails over and keeps the budget), and a connection that
 * does not open within half a second fails as a connection error. Without it a
 * regional endpoint that drops connections holds the attempt until its
 * timeout, which must count as possibly delivered (the request may have
 * left), ending the delivery for good where a retry or the next region
 * could still send.
 */
export const SEND_CLIENT_OPTIONS = Object.freeze({
  maxAttempts: 1,
  // Below the shortest attempt (sms.retry.attemptTimeoutMs ≥ 1000, and a
  // first attempt starts with at least a second left), so a connection that
  // never opens ends as this error, never as the attempt's own timeout.
  requestHandler: Object.freeze({ connectionTimeout: 500 }),
});
