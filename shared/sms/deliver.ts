import type { OutgoingSms, SmsSender } from '../clients/types';
import type { Route } from '../routing/plan';
import { type BackoffSettings, type Budget, backoffDelay } from './backoff';
import { classifySendError, isDestinationRefusal } from './send-errors';

/** How a delivery ended. */
export type DeliveryResult =
  | {
      readonly status: 'sent';
      readonly route: Route;
      readonly routeIndex: number;
      readonly attempts: number;
      readonly messageId?: string;
    }
  /** A permanent or ambiguous error: terminal, never retried. */
  | {
      readonly status: 'failed';
      readonly errorClass: string;
      readonly route: Route;
      readonly attempts: number;
    }
  /** Every route failed transiently (or the budget ran out): retry later. */
  | {
      readonly status: 'exhausted';
      readonly errorClass: string;
      readonly attempts: number;
    };

/** Called after each failed attempt (for logs and metrics). */
export type AttemptObserver = (failure: {
  readonly route: Route;
  readonly errorClass: string;
  readonly action: string;
}) => void;

/** What {@link deliver} needs. */
export interface DeliverOptions {
  readonly sender: SmsSender;
  readonly sms: OutgoingSms;
  readonly routes: readonly Route[];
  readonly budget: Budget;
  readonly retry: BackoffSettings & {
    readonly attemptsPerRoute: number;
    readonly attemptTimeoutMs: number;
  };
  readonly dryRun: boolean;
  readonly onFailure?: AttemptObserver;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

const defaultSleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

type Step =
  | { kind: 'done'; result: DeliveryResult; routeScoped?: boolean }
  | { kind: 'next'; errorClass: string; transient: boolean };

/**
 * Tries each route in order: throttling, 5xx and network errors are retried
 * on the same route with jittered backoff while the budget lasts, then the
 * next route (identity, region) is tried. A permanent error stops at once;
 * a timeout after the request left is ambiguous and also stops (it may have
 * been delivered: a retry could send a second SMS). A permanent error of a
 * fallback route after a transient failure of an earlier one ends as
 * `exhausted` (retry later) unless the destination itself refused (opted
 * out, blocked), which holds on every route.
 *
 * @param options - sender, message, routes, budget and retry settings
 */
export async function deliver(
  options: DeliverOptions,
): Promise<DeliveryResult> {
  let attempts = 0;
  let lastClass = 'no_route';
  let anyTransient = false;
  for (const [routeIndex, route] of options.routes.entries()) {
    const step = await tryRoute(
      options,
      route,
      routeIndex,
      () => ++attempts,
      () => attempts,
    );
    if (step.kind === 'done') {
      // A fallback that refuses for reasons of its own (another region's
      // sandbox, spend limit or permissions) says nothing about the route
      // that failed transiently before it: leave the SMS to a retry.
      const { result } = step;
      if (
        anyTransient &&
        result.status === 'failed' &&
        step.routeScoped === true
      ) {
        return { status: 'exhausted', errorClass: lastClass, attempts };
      }
      return result;
    }
    lastClass = step.errorClass;
    anyTransient ||= step.transient;
  }
  const route = options.routes.at(-1);
  if (!anyTransient && route) {
    return { status: 'failed', errorClass: lastClass, route, attempts };
  }
  return { status: 'exhausted', errorClass: lastClass, attempts };
}

/** The least time a first attempt starts with. */
const FIRST_ATTEMPT_FLOOR_MS = 1000;

async function tryRoute(
  options: DeliverOptions,
  route: Route,
  routeIndex: number,
  countAttempt: () => number,
  attemptsSoFar: () => number,
): Promise<Step> {
  const { retry, budget } = options;
  let errorClass = 'budget_exhausted';
  for (let attempt = 0; attempt < retry.attemptsPerRoute; attempt += 1) {
    // A retry or failover starts only with its full timeout left: one the
    // budget cut short would end as an ambiguous timeout (terminal), where
    // a retry of the whole invocation could still deliver. The first
    // attempt of an invocation starts with whatever is left above a floor,
    // so a timeout set longer than the function's still sends.
    const left = budget.remaining();
    const isFirst = attemptsSoFar() === 0;
    const needed = isFirst
      ? Math.min(retry.attemptTimeoutMs, FIRST_ATTEMPT_FLOOR_MS)
      : retry.attemptTimeoutMs;
    if (left < needed) return { kind: 'next', errorClass, transient: true };
    const attempts = countAttempt();
    const signal = AbortSignal.timeout(Math.min(retry.attemptTimeoutMs, left));
    try {
      const sent = await options.sender.send(options.sms, route, {
        abortSignal: signal,
        dryRun: options.dryRun,
      });
      return {
        kind: 'done',
        result: { status: 'sent', route, routeIndex, attempts, ...sent },
      };
    } catch (error) {
      const verdict = classifySendError(error, signal.aborted);
      options.onFailure?.({ route, ...verdict });
      errorClass = verdict.errorClass;
      if (verdict.action === 'stop' || verdict.action === 'ambiguous') {
        return {
          kind: 'done',
          result: { status: 'failed', errorClass, route, attempts },
          routeScoped:
            verdict.action === 'stop' && !isDestinationRefusal(errorClass),
        };
      }
      if (verdict.action === 'next-route') {
        return { kind: 'next', errorClass, transient: false };
      }
    }
    if (attempt + 1 < retry.attemptsPerRoute) {
      const delay = backoffDelay(
        attempt,
        retry,
        (options.random ?? Math.random)(),
      );
      // No sleep after which the retry could not start (it needs its whole
      // timeout): that time is the reserve's, which releases the claim.
      if (budget.remaining() - delay < retry.attemptTimeoutMs) break;
      await (options.sleep ?? defaultSleep)(delay);
    }
  }
  return { kind: 'next', errorClass, transient: true };
}
