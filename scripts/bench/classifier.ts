import { performance } from 'node:perf_hooks';
import { loadLabelledDays } from '../classifier/training-set.ts';
import { leaveOneDayOut } from '../classifier/evaluate.ts';

/** The producer's classifier: agreement with the publisher on held-out days, per category, and load time. */
export async function benchClassifier(): Promise<void> {
  const t0 = performance.now();
  const { SHIPPED_MODEL } = await import('../../functions/domain/classifier/shipped-model.ts');
  const loadMs = performance.now() - t0;
  const rules = SHIPPED_MODEL.categories.reduce((n, c) => n + c.phrases.length, 0);
  console.log(`classifier: ${rules} rules, loaded in ${loadMs.toFixed(1)} ms`);

  const days = loadLabelledDays();
  const t1 = performance.now();
  const report = leaveOneDayOut(days);
  const pct = (a: number, n: number) => (n ? `${((100 * a) / n).toFixed(1)}%` : '–');
  console.log(`held-out agreement (leave one day out over ${report.days.join(', ')}): ${report.agreed}/${report.papers} = ${pct(report.agreed, report.papers)} (${((performance.now() - t1) / 1000).toFixed(1)} s for ${report.days.length} trainings)`);
  for (const [slug, row] of Object.entries(report.perCategory).sort((a, b) => b[1].papers - a[1].papers)) {
    console.log(`  ${slug.padEnd(24)} ${String(row.agreed).padStart(4)}/${String(row.papers).padEnd(4)} ${pct(row.agreed, row.papers)}`);
  }
}
