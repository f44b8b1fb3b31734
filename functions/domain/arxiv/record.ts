/** What Paperboy keeps of an arXiv paper's metadata, whatever interface it came from. */
export interface ArxivRecord {
  /** New-style id without version, e.g. `2402.02583`. */
  readonly arxivId: string;
  readonly version: number | null;
  readonly title: string;
  readonly abstract: string;
  readonly authors: readonly string[];
  /** e.g. `cs.CV`; `null` when the answer did not say. */
  readonly primaryCategory: string | null;
  readonly categories: readonly string[];
  readonly comment: string | null;
  readonly journalRef: string | null;
  /** ISO timestamps of version 1 and of this version. */
  readonly published: string | null;
  readonly updated: string | null;
}

/** `2402.02583v2` from an id and version, as arXiv's `id_list` takes it. */
export function arxivKey(arxivId: string, version: number | null): string {
  return version === null ? arxivId : `${arxivId}v${version}`;
}

const ID_URL = /arxiv\.org\/abs\/(\d{4}\.\d{4,5})(?:v(\d+))?$/;

export function idFromAbsUrl(url: string): { arxivId: string; version: number | null } | null {
  const m = ID_URL.exec(url.trim());
  if (!m?.[1]) return null;
  return { arxivId: m[1], version: m[2] === undefined ? null : Number.parseInt(m[2], 10) };
}
