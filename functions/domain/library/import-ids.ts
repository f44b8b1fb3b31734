/**
 * arXiv ids in what a reader pastes or uploads: a list of ids or URLs, or a reference manager's
 * BibTeX or RIS export (Zotero, Mendeley, JabRef). Zotero writes the id in `eprint` or `note`
 * ("arXiv: 2401.12345"), in `url` (abs or pdf link) and in the DataCite DOI (`10.48550/arXiv.…`);
 * RIS in `UR`, `DO` and `N1`/`M3`. All of them are found by one scan for the id's shapes, so a
 * field name nobody expected (or a file of plain URLs) still imports.
 */
export interface FoundIds {
  /** New-style ids without version, in the order first found, once each. */
  readonly ids: readonly string[];
  /** References the text holds (BibTeX entries, RIS records; or lines, for a plain list). */
  readonly references: number;
  /** References in which no arXiv id was found (a journal paper, a book). */
  readonly withoutId: number;
  /** Ids found more than once (the same paper twice in a library, or in two fields of one entry counts once). */
  readonly duplicates: number;
}

/** An id's shapes: after arXiv:, abs/ or pdf/, the DataCite DOI, or alone between non-id characters. */
const ID = /(?:arxiv(?:\.org\/(?:abs|pdf)\/|:\s*|\.)|\b)(\d{4}\.\d{4,5})(?:v\d+)?(?!\d|\.\d)/gi;
/** Ids are YYMM.NNNNN from April 2007 (0704): four-digit numbers that only look like one (a page range "1234.5678") are dropped. */
const plausible = (id: string) => {
  const yy = Number(id.slice(0, 2));
  const mm = Number(id.slice(2, 4));
  return mm >= 1 && mm <= 12 && (yy > 7 || (yy === 7 && mm >= 4)) && (yy < 15 ? id.length === 9 : id.length === 10);
};

function references(text: string): string[] {
  if (/^\s*@[a-z]+\s*[{(]/im.test(text)) return text.split(/^(?=\s*@[a-z]+\s*[{(])/im).filter((r) => /^\s*@(?!comment|preamble|string)[a-z]+/i.test(r));
  if (/^TY {2}- /m.test(text)) return text.split(/^(?=TY {2}- )/m).filter((r) => r.startsWith('TY  - '));
  return text.split(/\r?\n/).filter((l) => l.trim() !== '');
}

export function findArxivIds(text: string): FoundIds {
  const seen = new Set<string>();
  let duplicates = 0;
  let withoutId = 0;
  const refs = references(text);
  for (const ref of refs) {
    const mine = new Set<string>();
    for (const m of ref.matchAll(ID)) if (plausible(m[1]!)) mine.add(m[1]!);
    if (mine.size === 0) withoutId++;
    for (const id of mine) {
      if (seen.has(id)) duplicates++;
      else seen.add(id);
    }
  }
  return { ids: [...seen], references: refs.length, withoutId, duplicates };
}

/**
 * The file of a `multipart/form-data` body (the upload field), or null. One file, as text: the
 * exports read are text, and anything else yields no ids (and says so).
 */
export function uploadedFile(body: Buffer, contentType: string, field: string): { name: string; text: string } | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const mark = boundary?.[1] ?? boundary?.[2];
  if (!mark) return null;
  const delimiter = Buffer.from(`--${mark}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(at + delimiter.length, next);
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd >= 0) {
      const head = part.subarray(0, headEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      if (name === field) {
        const filename = /filename="([^"]*)"/i.exec(head)?.[1] ?? '';
        // The part ends with the CRLF before the next delimiter.
        return { name: filename.slice(0, 200), text: part.subarray(headEnd + 4, part.length - 2).toString('utf8') };
      }
    }
    at = next;
  }
  return null;
}
