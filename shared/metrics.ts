import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { config } from './config';
import { logger } from './logging';

/**
 * The suite's one metrics emitter (CloudWatch Embedded Metric Format). Call
 * {@link flushMetrics} once per invocation (the boundary does). Every count
 * carries the stage, so one stage's alarms never read another's metrics.
 */
export const metrics = new Metrics({
  namespace: 'CognitoTriggerSuite',
  serviceName: 'cognito-trigger-suite',
  defaultDimensions: { stage: config.env.STAGE },
});

/**
 * Counts one occurrence of `name` with the given dimensions, emitted as its
 * own EMF line so dimensions never leak between counts.
 *
 * @param name - metric name, e.g. `SmsSent`
 * @param dimensions - low-cardinality dimensions (never PII)
 */
export function countMetric(
  name: string,
  dimensions: Record<string, string> = {},
): void {
  const single = metrics.singleMetric();
  for (const [key, value] of Object.entries(dimensions)) {
    if (!DIMENSIONS.has(key) || !isClassification(value)) {
      // Never fail the request over a metric: drop it, and say so.
      logger.warn('metric dimension dropped', { metric: name, dimension: key });
      continue;
    }
    single.addDimension(key, value);
  }
  single.addMetric(name, MetricUnit.Count, 1);
}

/**
 * A dimension value that can only be a classification (a reason code, a
 * country, an error name): short, no `@`, `+` or spaces, and no run of
 * digits long enough to be part of a phone number.
 */
const isClassification = (value: unknown): boolean =>
  typeof value === 'string' &&
  /^[A-Za-z0-9_.:-]{1,64}$/.test(value) &&
  !/\d{5}/.test(value);

/**
 * The only dimensions a count may carry: classifications, never a value
 * that could name a person (a number, a prefix, an address, a domain).
 * Metric lines do not pass through the log redactor.
 */
const DIMENSIONS: ReadonlySet<string> = new Set([
  'trigger',
  'triggerSource',
  'outcome',
  'reason',
  'transport',
  'country',
  'class',
  'retried',
  'dependency',
  'failureMode',
  'channel',
  'kind',
  'round',
  'error',
]);

/**
 * Publishes the metrics stored during this invocation, if any (counts made
 * with {@link countMetric} are already out: each is its own EMF line).
 */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

export { MetricUnit };
