import { INGEST_METRICS } from './metric-names.ts';
import { emitMetric, logger } from './observability.ts';

/** Category names the taxonomy does not map, told once per run: a metric (an alarm can watch it) and one log line naming them. */
export function reportUnmapped(names: readonly string[]): void {
  if (!names.length) return;
  emitMetric(INGEST_METRICS.unmappedCategories, names.length);
  logger.warn(`category names not in Paperboy's taxonomy (their papers were classified one by one): ${names.map((n) => JSON.stringify(n)).join(', ')}; add them to PUBLISHER_NAMES in functions/domain/taxonomy.ts`, { names });
}
