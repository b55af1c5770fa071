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
