import type { ArxivRecord } from './arxiv/record.ts';
import { arxivKey } from './arxiv/record.ts';
import type { Digest, Paper } from './model.ts';
import { normaliseText } from './text.ts';

/**
 * What Paperboy added to a day's papers after the digest was published: English abstracts (and
 * arXiv's primary category, comment, journal ref) from arXiv, Chinese titles and abstracts from a
 * translator. Kept apart from the parsed digest, which stays what the publisher wrote; applied
 * when a day is read for feeds, pages and mail.
 */

export interface PaperExtras {
  readonly abstractEn?: string;
  readonly abstractZh?: string;
  readonly titleZh?: string;
  readonly primaryCategory?: string | null;
  readonly comment?: string | null;
  readonly journalRef?: string | null;
  /** Which translator wrote the Chinese fields. */
  readonly translatedBy?: string;
}

export interface DayEnrichment {
  readonly schemaVersion: 1;
  readonly date: string;
  /** Keyed by versioned id (`2402.02583v1`): a new version may have a new abstract. */
  readonly papers: Readonly<Record<string, PaperExtras>>;
}

export function emptyEnrichment(date: string): DayEnrichment {
  return { schemaVersion: 1, date, papers: {} };
}

export function keyOf(p: Pick<Paper, 'arxivId' | 'version'>): string {
  return arxivKey(p.arxivId, p.version);
}

/** Fills what the digest lacks; never replaces what the publisher wrote. */
export function applyEnrichment(digest: Digest, enrichment: DayEnrichment | null): Digest {
  if (!enrichment || Object.keys(enrichment.papers).length === 0) return digest;
  return {
    ...digest,
    sections: digest.sections.map((s) => ({
      ...s,
      papers: s.papers.map((p) => {
        const extra = enrichment.papers[keyOf(p)];
        if (!extra) return p;
        return {
          ...p,
          abstractEn: p.abstractEn ?? extra.abstractEn ?? null,
          abstractZh: p.abstractZh ?? extra.abstractZh ?? null,
          titleZh: p.titleZh ?? extra.titleZh ?? null,
          ...(extra.journalRef ? { journalRef: extra.journalRef } : {}),
        };
      }),
    })),
  };
}

/** Papers with no English abstract in the digest or in the enrichment so far. */
export function keysWithoutAbstract(digest: Digest, enrichment: DayEnrichment): string[] {
  return digest.sections.flatMap((s) => s.papers.filter((p) => p.abstractEn === null && !enrichment.papers[keyOf(p)]?.abstractEn).map(keyOf));
}

export function extrasFromArxiv(record: ArxivRecord): PaperExtras {
  return {
    ...(record.abstract ? { abstractEn: record.abstract } : {}),
    primaryCategory: record.primaryCategory,
    comment: record.comment,
    journalRef: record.journalRef,
  };
}

export type TranslationJob = { readonly key: string; readonly field: 'titleZh' | 'abstractZh'; readonly text: string };

/** What a translator still has to do for the day: Chinese titles and abstracts the digest lacks. */
export function translationJobs(digest: Digest, enrichment: DayEnrichment): TranslationJob[] {
  const jobs: TranslationJob[] = [];
  for (const p of digest.sections.flatMap((s) => s.papers)) {
    const key = keyOf(p);
    const extra = enrichment.papers[key] ?? {};
    if (p.titleZh === null && !extra.titleZh) jobs.push({ key, field: 'titleZh', text: p.titleEn });
    const abstractEn = p.abstractEn ?? extra.abstractEn;
    if (p.abstractZh === null && !extra.abstractZh && abstractEn) jobs.push({ key, field: 'abstractZh', text: abstractEn });
  }
  return jobs;
}

/** Adds entries, keeping what is already there: two writers that race both keep their work. */
export function mergeEnrichment(base: DayEnrichment, additions: Readonly<Record<string, PaperExtras>>): DayEnrichment {
  const papers: Record<string, PaperExtras> = { ...base.papers };
  for (const [key, extra] of Object.entries(additions)) {
    const current = papers[key] ?? {};
    const merged: Record<string, unknown> = { ...current };
    for (const [field, value] of Object.entries(extra)) if (merged[field] === undefined) merged[field] = value;
    papers[key] = merged as PaperExtras;
  }
  return { ...base, papers };
}

export function cleanTranslation(text: string): string | null {
  const t = normaliseText(text);
  return t === '' ? null : t;
}
