import type { Digest } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { fixtureBytes, fixtureDays } from '../../test/support/fixtures.ts';

/**
 * A day busier than any in the fixtures, as real days reach (203 papers): the busiest fixture day
 * joined with papers of the next busiest, category by category, until `papers`; every paper given
 * an English and a Chinese abstract (borrowed in turn from the days that have them), as the arXiv
 * enrichment gives them.
 */
export function busyDay(papers = 220): Digest {
  const days = fixtureDays().map((d) => parseDigest(fixtureBytes(d), `${d}.md`).digest);
  const count = (d: Digest) => d.sections.reduce((n, s) => n + s.papers.length, 0);
  const [first, second] = [...days].sort((a, b) => count(b) - count(a));
  if (!first || !second) throw new Error('need two fixture days');
  const sections = first.sections.map((s) => ({ ...s, papers: [...s.papers] }));
  let need = papers - count(first);
  for (const s of second.sections) {
    if (need <= 0) break;
    const extra = s.papers.slice(0, need).map((p) => ({ ...p, arxivId: `${p.arxivId}9`, category: s.category.slug }));
    need -= extra.length;
    const into = sections.find((x) => x.category.slug === s.category.slug);
    if (into) into.papers.push(...extra);
    else sections.push({ ...s, papers: extra });
  }
  return withBorrowedAbstracts([{ ...first, sections }], days)[0]!;
}

/**
 * The days with an English and a Chinese abstract on every paper, as the arXiv enrichment gives
 * them: papers without one borrow, in turn, those of the papers in `from` that have both.
 */
export function withBorrowedAbstracts(days: readonly Digest[], from: readonly Digest[] = days): Digest[] {
  const donors = from.flatMap((d) => d.sections.flatMap((s) => s.papers)).filter((p) => p.abstractEn && p.abstractZh);
  if (!donors.length) throw new Error('no day carries abstracts to borrow');
  let i = 0;
  return days.map((d) => ({
    ...d,
    sections: d.sections.map((s) => ({
      ...s,
      papers: s.papers.map((p) => {
        if (p.abstractEn) return p;
        const donor = donors[i++ % donors.length]!;
        return { ...p, abstractEn: donor.abstractEn, abstractZh: donor.abstractZh };
      }),
    })),
  }));
}
