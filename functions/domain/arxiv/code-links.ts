/**
 * The code link of a paper, from what its authors wrote on arXiv: the comment first (where "Code:
 * https://…" usually goes), then the abstract. In order of preference:
 *   1. a repository: github.com/<owner>/<repo>, gitlab.com/<group>/<project>, bitbucket.org/<o>/<r>,
 *      codeberg.org/<o>/<r>, huggingface.co/<owner>/<model> or /spaces|datasets/<owner>/<name>;
 *   2. a github.io project page (<owner>.github.io/<path>);
 *   3. any other URL in a sentence that calls it code, a project page, a website or a homepage, or
 *      says the work "is available at" it.
 * arXiv's own links and DOIs are never code links.
 */

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'()[\]{}]+|\b(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org|codeberg\.org)\/[^\s<>"'()[\]{}]+|\b[a-z0-9-]+\.github\.io(?:\/[^\s<>"'()[\]{}]*)?/gi;
const REPOSITORY = /^https:\/\/(?:www\.)?(?:(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\/[^/]+\/[^/]+|huggingface\.co\/(?:(?:spaces|datasets)\/)?[^/]+\/[^/]+)/i;
const PROJECT_PAGE = /^https:\/\/[a-z0-9-]+\.github\.io\b/i;
const CUE = /\b(?:code|codes|source|implementation|project (?:page|website|site)|website|webpage|homepage|home page|available at|released at|github)\b/i;
const NEVER = /^https?:\/\/(?:[a-z]+\.)?(?:arxiv\.org|doi\.org|dx\.doi\.org)\//i;

function clean(raw: string): string {
  // Sentence punctuation that follows a URL is not part of it.
  let url = raw.replace(/[.,;:!?]+$/, '');
  if (!/^https?:\/\//i.test(url)) url = `https://${url.replace(/^www\./i, 'www.')}`;
  return url.replace(/^http:\/\//i, 'https://');
}

function urlsWithContext(text: string): { url: string; sentence: string }[] {
  const out: { url: string; sentence: string }[] = [];
  for (const m of text.matchAll(URL_IN_TEXT)) {
    const start = m.index ?? 0;
    const sentenceStart = Math.max(text.lastIndexOf('. ', start), text.lastIndexOf('; ', start), 0);
    out.push({ url: clean(m[0]), sentence: text.slice(sentenceStart, start) });
  }
  return out;
}

export function findCodeLink(comment: string | null, abstract: string | null): string | null {
  const found = [comment, abstract].flatMap((t) => (t ? urlsWithContext(t) : [])).filter((u) => !NEVER.test(u.url));
  const repo = found.find((u) => REPOSITORY.test(u.url));
  if (repo) return repo.url.match(REPOSITORY)?.[0] ?? repo.url;
  const page = found.find((u) => PROJECT_PAGE.test(u.url));
  if (page) return page.url;
  return found.find((u) => CUE.test(u.sentence))?.url ?? null;
}
