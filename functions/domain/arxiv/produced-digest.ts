import { categoryFor, inTaxonomyOrder } from '../categories.ts';
import { classify, type KeywordModel } from '../classifier/keyword-rules.ts';
import type { Digest, Paper, Section } from '../model.ts';
import { findCodeLink } from './code-links.ts';
import { arxivKey, type ArxivRecord } from './record.ts';

/**
 * A day's digest made from arXiv's own records: English fields only (the ingest's translation
 * step adds the Chinese), each paper in the category the classifier gives it, categories in the
 * rules' order, papers in the order arXiv listed them. Pure, so the same records give the same
 * bytes when rendered.
 */
export function buildProducedDigest(date: string, records: readonly ArxivRecord[], model: KeywordModel, source: string): Digest {
  // One section per name, though a category may hold rules at two places of the order (a refined 2024 rule and its own seeds).
  const order = [...new Set([...model.categories.map((c) => c.name), model.fallback.name])];
  const byName = new Map<string, ArxivRecord[]>();
  const seen = new Set<string>();
  for (const record of records) {
    // Cross-listed in two configured categories, a paper is still one paper.
    if (seen.has(record.arxivId)) continue;
    seen.add(record.arxivId);
    const { name } = classify(model, record.title, record.abstract);
    byName.set(name, [...(byName.get(name) ?? []), record]);
  }
  const sections: Section[] = [];
  for (const name of order) {
    const members = byName.get(name);
    if (!members?.length) continue;
    const category = categoryFor(name);
    sections.push({ category, papers: members.map((r, i) => paperOf(r, category.slug, i + 1)) });
  }
  return { date, source, headerStyle: 'modern', format: 'detailed', sections: inTaxonomyOrder(sections) };
}

function paperOf(r: ArxivRecord, slug: string, index: number): Paper {
  const key = arxivKey(r.arxivId, r.version);
  return {
    arxivId: r.arxivId,
    version: r.version,
    titleEn: r.title,
    titleZh: null,
    titleZhRaw: null,
    authors: r.authors,
    authorsTruncated: false,
    abstractEn: r.abstract || null,
    abstractZh: null,
    pdfUrl: `https://arxiv.org/pdf/${key}`,
    absUrl: `https://arxiv.org/abs/${key}`,
    codeUrl: findCodeLink(r.comment, r.abstract),
    category: slug,
    index,
  };
}
