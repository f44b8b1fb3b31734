import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { classifiedCategory } from '../../functions/domain/categories.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { loadLabelledDays, loadLaterDays } from '../classifier/training-set.ts';
import { EXTENSION_ORDER } from '../classifier/taxonomy-extension.ts';
import { TAXONOMY } from '../../functions/domain/taxonomy.ts';
import { laterDaysHeldOut, leaveOneDayOut } from '../classifier/evaluate.ts';

/** The producer's classifier: agreement with the publisher on held-out days, per category, and load time. */
export async function benchClassifier(): Promise<void> {
  const t0 = performance.now();
  const { SHIPPED_MODEL } = await import('../../functions/domain/classifier/shipped-model.ts');
  const loadMs = performance.now() - t0;
  const rules = SHIPPED_MODEL.categories.reduce((n, c) => n + c.phrases.length, 0);
  console.log(`classifier: ${rules} rules, loaded in ${loadMs.toFixed(1)} ms`);

  const days = loadLabelledDays();
  const later = loadLaterDays();
  const t1 = performance.now();
  const report = leaveOneDayOut(days, later);
  const pct = (a: number, n: number) => (n ? `${((100 * a) / n).toFixed(1)}%` : '–');
  console.log(`held-out agreement (leave one day out over the ${report.days.length} days with abstracts, ${report.days[0]} .. ${report.days[report.days.length - 1]}): ${report.agreed}/${report.papers} = ${pct(report.agreed, report.papers)} (${((performance.now() - t1) / 1000).toFixed(1)} s for ${report.days.length} trainings)`);
  for (const [slug, row] of Object.entries(report.perCategory).sort((a, b) => b[1].papers - a[1].papers)) {
    console.log(`  ${slug.padEnd(24)} ${String(row.agreed).padStart(4)}/${String(row.papers).padEnd(4)} ${pct(row.agreed, row.papers)}`);
  }
  // By era: the publisher's category order was fixed from 2024-02-04. (Complete days cannot be told
  // apart here: a day prints no section for a category without papers, so a missing section is not
  // evidence of a partial day.)
  const eras = [
    ['before 2024-02-04', (d: string) => d < '2024-02-04'],
    ['from 2024-02-04', (d: string) => d >= '2024-02-04'],
  ] as const;
  for (const [label, keep] of eras) {
    const rows = report.perDay.filter((r) => keep(r.date));
    const n = rows.reduce((a, r) => a + r.papers, 0);
    const ok = rows.reduce((a, r) => a + r.agreed, 0);
    console.log(rows.length ? `held-out agreement ${label}: ${ok}/${n} = ${pct(ok, n)} (${rows.length} days)` : `held-out agreement ${label}: no held-out day of that era in the fixtures`);
  }
  // Since 2024-11-29 the publisher's labels are another scheme's (an LLM's, titles only), mapped onto the taxonomy as Paperboy maps them.
  const since = sinceSchemeChange();
  console.log(`agreement since 2024-11-29, shipped model (its extension learned from these days: in-sample; the publisher's new names mapped onto the taxonomy; titles only): ${since.agreed}/${since.papers} = ${pct(since.agreed, since.papers)} over ${since.days.join(', ')}`);
  const laterHeld = laterDaysHeldOut(days, later);
  console.log(`agreement since 2024-11-29, each day held out from the extension's training: ${laterHeld.agreed}/${laterHeld.papers} = ${pct(laterHeld.agreed, laterHeld.papers)}`);
  for (const slug of EXTENSION_ORDER) {
    const row = laterHeld.perCategory[slug];
    if (row) console.log(`  ${slug.padEnd(24)} ${String(row.agreed).padStart(4)}/${String(row.papers).padEnd(4)} ${pct(row.agreed, row.papers)}`);
  }
  // A category the classifier never predicts is never produced: its readers would get nothing from Paperboy's own digest.
  const predicted = new Map<string, number>();
  for (const r of [report, laterHeld]) for (const [slug, n] of Object.entries(r.predicted)) predicted.set(slug, (predicted.get(slug) ?? 0) + n);
  const never = TAXONOMY.map((c) => c.slug).filter((slug) => !predicted.has(slug));
  console.log(`categories predicted on the held-out days: ${predicted.size} of ${TAXONOMY.length}${never.length ? `; never: ${never.join(', ')}` : ' (every one)'}; ${TAXONOMY.map((c) => `${c.slug} ${predicted.get(c.slug) ?? 0}`).join(', ')}`);
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
