import type { Transport } from '../routing/plan';

/** How one Custom SMS Sender invocation ended (all terminal). */
export type SenderOutcome =
  | {
      readonly outcome: 'sent';
      readonly transport: Transport;
      readonly country: string;
      readonly region: string;
      readonly attempts: number;
      readonly dryRun: boolean;
      /** The catalogue locale the message was written in. */
      readonly locale: string;
      /** The user asked for a locale the catalogue does not have. */
      readonly localeFallback: boolean;
    }
  | {
      readonly outcome: 'refused';
      readonly reason: string;
      readonly transport: Transport;
      readonly country: string;
    }
  | {
      readonly outcome: 'failed';
      readonly errorClass: string;
      readonly transport: Transport;
      readonly country: string;
    }
  | {
      readonly outcome: 'duplicate';
      readonly transport: Transport;
      readonly country: string;
    };

/** Country dimension when the destination is unknown. */
export const UNKNOWN_COUNTRY = 'unknown';

/**
 * Thrown when every transient path is exhausted (after the claim was
 * released), so Lambda's asynchronous retry gets another chance.
 */
export class TransientSendError extends Error {
  /** The last failure class, e.g. `throttling`, `server`, `kms_unavailable`. */
  readonly errorClass: string;
  /** The destination's country, once the number was read. */
  readonly country: string | undefined;

  constructor(
    errorClass: string,
    options?: ErrorOptions & { readonly country?: string },
  ) {
    super(`SMS not sent yet (${errorClass}); Lambda will retry`, options);
    this.name = 'TransientSendError';
    this.errorClass = errorClass;
    this.country = options?.country;
  }
}
