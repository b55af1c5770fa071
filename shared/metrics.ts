import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { config } from './config';

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
    single.addDimension(key, value);
  }
  single.addMetric(name, MetricUnit.Count, 1);
}

/**
 * Publishes the metrics stored during this invocation, if any (counts made
 * with {@link countMetric} are already out: each is its own EMF line).
 */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

export { MetricUnit };
