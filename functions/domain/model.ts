/** The typed digest model: what every later stage (feeds, newsletter, send) reads. */

/** Bumped whenever the parsed JSON written to S3 changes shape, so readers can refuse what they do not know. */
export const DIGEST_SCHEMA_VERSION = 1;

export interface Category {
  /** The name exactly as the digest prints it, e.g. `生成模型`. */
  readonly name: string;
  /** Chinese display name (the digest's own name when it is Chinese). */
  readonly nameZh: string;
  readonly nameEn: string;
  /** Stable ASCII slug used in URLs, S3 keys and subscriber preferences. */
  readonly slug: string;
  readonly known: boolean;
}

export interface Paper {
  /** New-style arXiv id without version, e.g. `2402.02583`. */
  readonly arxivId: string;
  /** Version number from the PDF link; `null` when the link carried none. */
  readonly version: number | null;
  readonly titleEn: string;
  /** Chinese title cleaned of translator chatter; `null` when missing or unusable. */
  readonly titleZh: string | null;
  /** The Chinese title as published (normalised whitespace only), kept for round trips and audits. */
  readonly titleZhRaw: string | null;
  readonly authors: readonly string[];
  /** True when the digest cut the author list and wrote `et.al.`. */
  readonly authorsTruncated: boolean;
  readonly abstractEn: string | null;
  readonly abstractZh: string | null;
  /** The PDF link as published. */
  readonly pdfUrl: string;
  /** The arXiv abstract page of this version. */
  readonly absUrl: string;
  readonly codeUrl: string | null;
  /** arXiv's journal reference (where the paper was published), from the API; absent when arXiv has none. */
  readonly journalRef?: string;
  /** Slug of the category this paper was listed under. */
  readonly category: string;
  /** 1-based position within its category, as printed. */
  readonly index: number;
}

export interface Section {
  readonly category: Category;
  readonly papers: readonly Paper[];
}

/** Which header line the day printed: kept so a digest can be written back as it came. */
export type HeaderStyle = 'legacy' | 'modern' | 'modern-update' | 'legacy-table';

/** `detailed`: blockquoted records with abstracts (until 2024-11-28); `table`: markdown tables, no abstracts. */
export type DigestFormat = 'detailed' | 'table';

export interface Digest {
  /** ISO date `YYYY-MM-DD` from the header. */
  readonly date: string;
  /** Where the bytes came from (file name, URL or S3 key). */
  readonly source: string;
  readonly headerStyle: HeaderStyle;
  /** Absent in documents stored before the table format was read: those are all `detailed`. */
  readonly format?: DigestFormat;
  /** Sections in published order. */
  readonly sections: readonly Section[];
}

export function papersOf(digest: Digest): Paper[] {
  return digest.sections.flatMap((s) => s.papers);
}

/** `2402.02583v2` — the id readers see and the key a revision replaces. */
export function versionedId(paper: Pick<Paper, 'arxivId' | 'version'>): string {
  return paper.version === null ? paper.arxivId : `${paper.arxivId}v${paper.version}`;
}
