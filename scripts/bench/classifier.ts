import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { classifiedCategory } from '../../functions/domain/categories.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
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
  // By era: the publisher's category order was fixed from 2024-02-04.
  for (const [label, keep] of [['before 2024-02-04', (d: string) => d < '2024-02-04'], ['from 2024-02-04', (d: string) => d >= '2024-02-04']] as const) {
    const rows = report.perDay.filter((r) => keep(r.date));
    const n = rows.reduce((a, r) => a + r.papers, 0);
    const ok = rows.reduce((a, r) => a + r.agreed, 0);
    console.log(rows.length ? `held-out agreement ${label}: ${ok}/${n} = ${pct(ok, n)} (${rows.length} days)` : `held-out agreement ${label}: no held-out day of that era in the fixtures`);
  }
  // Since 2024-11-29 the publisher's labels are another scheme's (an LLM's, titles only), mapped onto the taxonomy as Paperboy maps them.
  const since = sinceSchemeChange();
  console.log(`agreement since 2024-11-29 (the publisher's new names mapped onto the taxonomy; titles only): ${since.agreed}/${since.papers} = ${pct(since.agreed, since.papers)} over ${since.days.join(', ')}`);
}

/** The shipped classifier against the table days since the scheme changed, labels mapped by the taxonomy. */
function sinceSchemeChange(): { days: string[]; papers: number; agreed: number } {
  const dir = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'table');
  const days = readdirSync(dir).filter((f) => /^\d{4}-\d{2}-\d{2}\.md$/.test(f) && f >= '2024-11-29').sort();
  let papers = 0;
  let agreed = 0;
  for (const f of days) {
    for (const p of papersOf(parseDigest(readFileSync(join(dir, f)), f).digest)) {
      papers++;
      if (classifiedCategory(p).slug === p.category) agreed++;
    }
  }
  return { days: days.map((f) => f.slice(0, 10)), papers, agreed };
}
