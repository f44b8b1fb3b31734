import { authorLine } from '../feeds/entry-html.ts';
import { readableDigest } from '../latex-text.ts';
import type { Digest } from '../model.ts';
import { sitePaths } from '../site/paths.ts';

/**
 * What the archive search indexes: one record per paper per day, pointing at the paper's anchor on
 * its day page. Each record holds both languages, so one query box finds a paper by its English or
 * its Chinese title or abstract.
 */
export interface SearchRecord {
  /** Relative to the site root, like every link on the site. */
  readonly url: string;
  readonly content: string;
  readonly meta: Readonly<Record<string, string>>;
}

/**
 * Every record is indexed as Chinese. Pagefind keeps one index per language and the search page
 * loads one; Chinese is the language whose words need segmenting (Pagefind's extended build splits
 * Chinese text into words with ICU4X when indexing, and the browser splits a query with
 * Intl.Segmenter only when the index is Chinese), while English words are split at spaces in any
 * language. What is lost is English stemming: "segmentation" does not find "segmenting" (a query
 * word still matches as a prefix, so "segment" finds both).
 */
export const SEARCH_LANGUAGE = 'zh';

/**
 * The archive is indexed in shards of half a month (`2024-05-1`: the 1st to the 15th, `2024-05-2`:
 * the rest), so a day's publish rebuilds one shard, not the year. Pagefind's binary needs about
 * 0.35 MB per paper while it writes an index (886 MB for 2,363 papers with both abstracts,
 * measured): half a month of the busiest real days (200 papers a day) stays under 1 GB.
 */
export function searchShardOf(date: string): string {
  return `${date.slice(0, 7)}-${Number(date.slice(8, 10)) <= 15 ? 1 : 2}`;
}

export function searchRecords(raw: Digest): SearchRecord[] {
  // Readers search for what the pages show: simple LaTeX rendered as Unicode.
  const digest = readableDigest(raw);
  const seen = new Set<string>();
  const records: SearchRecord[] = [];
  for (const section of digest.sections) {
    for (const p of section.papers) {
      if (seen.has(p.arxivId)) continue;
      seen.add(p.arxivId);
      const authors = authorLine(p.authors, p.authorsTruncated);
      records.push({
        url: `${sitePaths.day(digest.date)}#${p.arxivId}`,
        content: [p.titleEn, p.titleZh, authors, p.abstractEn, p.abstractZh, `arXiv:${p.arxivId}`].filter(Boolean).join('\n'),
        meta: {
          title: p.titleEn,
          ...(p.titleZh ? { title_zh: p.titleZh } : {}),
          date: digest.date,
          category_en: section.category.nameEn,
          category_zh: section.category.nameZh,
          authors,
        },
      });
    }
  }
  return records;
}
