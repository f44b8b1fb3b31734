import type { Digest, Paper } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { fixtureBytes, fixtureDays } from './fixtures.ts';

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
  const donors = days.flatMap((d) => d.sections.flatMap((s) => s.papers)).filter((p) => p.abstractEn && p.abstractZh);
  let borrowed = 0;
  const withAbstract = (p: Paper): Paper => {
    const donor = donors[borrowed++ % donors.length]!;
    return p.abstractEn ? p : { ...p, abstractEn: donor.abstractEn, abstractZh: donor.abstractZh };
  };
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
  return { ...first, sections: sections.map((s) => ({ ...s, papers: s.papers.map(withAbstract) })) };
}
