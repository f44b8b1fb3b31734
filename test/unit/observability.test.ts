import { describe, expect, it, vi } from 'vitest';
import { emitMetric, logger } from '../../functions/commons/observability.ts';
import { SEND_METRICS } from '../../functions/commons/metric-names.ts';

describe('logs and metrics (Powertools)', () => {
  it('a metric is one EMF log line in the Paperboy namespace with the service dimension the alarms select', () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    try {
      emitMetric(SEND_METRICS.failed, 2);
      logger.info('batch for 2024-02-05 will be retried', { error: 'throttled' });
    } finally {
      spy.mockRestore();
      log.mockRestore();
    }
    const records = lines.join('\n').split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const metric = records.find((r) => '_aws' in r) as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] }; service: string; SendFailures: number };
    expect(metric._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Paperboy', Dimensions: [['service']], Metrics: [{ Name: 'SendFailures', Unit: 'Count' }] });
    expect([metric.service, metric.SendFailures]).toEqual(['paperboy', 2]);
    expect(records.find((r) => r.message)).toMatchObject({ level: 'INFO', message: 'batch for 2024-02-05 will be retried', service: 'paperboy', error: 'throttled' });
  });
});
