import type { Digest, HeaderStyle, Paper } from './model.ts';

const HEADER_LINES: Readonly<Record<HeaderStyle, (date: string) => string>> = {
  legacy: (d) => `# !UPDATED  -- ${d}`,
  'legacy-table': (d) => `## !UPDATED  -- ${d}`,
  modern: (d) => `## [UPDATED!] **${d}** (Publish Time)`,
  'modern-update': (d) => `## [UPDATED!] **${d}** (Update Time)`,
};

/**
 * Writes a model in the detailed format, whatever format it was read from (the producer writes its
 * own days this way). Parsing the result gives the same papers, which is how the tests prove the
 * parser loses nothing it claims to keep.
 */
export function renderDigestMarkdown(digest: Digest): string {
  const out: string[] = [
    HEADER_LINES[digest.headerStyle](digest.date),
    '',
  ];
  for (const section of digest.sections) {
    out.push(`>## **${section.category.name}**`, '>---');
    for (const paper of section.papers) out.push(...renderPaper(paper));
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function renderPaper(p: Paper): string[] {
  const lines = [`>>**index:** ${p.index}<br />`, `**Title:** **${p.titleEn}**<br />`];
  if (p.titleZhRaw !== null) lines.push(`**Title_cn:** ${p.titleZhRaw}<br />`);
  const authors = p.authorsTruncated ? [...p.authors, 'et.al.'] : p.authors;
  lines.push(`**Authors:** ${authors.join(', ')}<br />`);
  if (p.abstractEn !== null) lines.push(`**Abstract:** <details><summary>原文: </summary>${p.abstractEn}</details>`);
  if (p.abstractZh !== null) lines.push(`**Abstract_cn:** <details><summary>译文: </summary>${p.abstractZh}</details>`);
  lines.push(`**PDF:** <${p.pdfUrl}><br />`);
  lines.push(`**Code:** ${p.codeUrl === null ? 'null' : `<${p.codeUrl}>**`}<br />`);
  return lines;
}
