/**
 * The save and "not for me" links of a mail: the reader's action base (`<api>/p/<reader key>/`)
 * followed by one of these paths. Short on purpose: a busy day's mail carries 220 of them.
 */
export type PaperAction = 'save' | 'not-for-me';

/** New-style arXiv ids (2007 on), the only ones cs.CV digests carry. */
const ARXIV_ID = /^\d{4}\.\d{4,5}$/;
export const READER_KEY = /^[A-Za-z0-9_-]{16}$/;

export const saveActionPath = (arxivId: string): string => arxivId;
export const notForMeActionPath = (arxivId: string): string => `${arxivId}/no`;

export interface ActionRequest {
  readonly key: string;
  readonly arxivId: string;
  readonly action: PaperAction;
}

/** `/p/<key>/<id>` or `/p/<key>/<id>/no`, as the API sees the path; null for anything else. */
export function readActionPath(path: string): ActionRequest | null {
  const m = /^\/p\/([^/]+)\/([^/]+)(\/no)?\/?$/.exec(path);
  if (!m || !READER_KEY.test(m[1] ?? '') || !ARXIV_ID.test(m[2] ?? '')) return null;
  return { key: m[1]!, arxivId: m[2]!, action: m[3] ? 'not-for-me' : 'save' };
}
