/**
 * CloudWatch Embedded Metric Format: one JSON log line becomes a metric, no API call and no extra
 * permission. The alarms on DigestsIngested and SendFailures read these.
 */
export function emitMetric(name: string, value: number, unit: 'Count' | 'Milliseconds' = 'Count'): void {
  console.log(
    JSON.stringify({
      _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'Paperboy', Dimensions: [[]], Metrics: [{ Name: name, Unit: unit }] }] },
      [name]: value,
    }),
  );
}
