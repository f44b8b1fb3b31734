import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE, type MetricName } from './metric-names.ts';

/**
 * Powertools for AWS Lambda: structured JSON logs with the request id and cold start (once a
 * handler calls `logger.addContext`), and CloudWatch metrics in Embedded Metric Format (a log line,
 * no API call, no permission). Every metric carries the dimension `service=paperboy`, which the
 * stack's alarms select on.
 */

export const logger = new Logger({ serviceName: SERVICE });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE });

/** Records one count and writes it out at once, so a metric is never lost to a later crash. */
export function emitMetric(name: MetricName, value: number): void {
  metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}

/** Records a rate in percent (the reputation alarms' unit) and writes it out at once. */
export function emitPercent(name: MetricName, fraction: number): void {
  metrics.addMetric(name, MetricUnit.Percent, Math.round(fraction * 1e6) / 1e4);
  metrics.publishStoredMetrics();
}
