import mjml2html from 'mjml';
import { newsletterMjml } from '../../../templates/newsletter/newsletter-mjml.ts';
import { newsletterText } from '../../../templates/newsletter/newsletter-text.ts';
import { LANGS, type Lang } from '../../domain/language.ts';
import { readableDigest } from '../../domain/latex-text.ts';
import { papersOf, type Digest } from '../../domain/model.ts';
import { inTaxonomy } from '../../domain/categories.ts';
import { compiledVariant, CONTENT_LEVELS, HTML_TOKENS, TEXT_TOKENS, type CompiledVariant, type Edition, type EditionConfig } from '../../domain/newsletter/edition.ts';
import { splitSegments } from '../../domain/newsletter/segments.ts';
import type { WeekSpan } from '../../domain/sending/week.ts';
import { absoluteUrl, sitePaths } from '../../domain/site/paths.ts';

/**
 * Compiles the day's newsletter once per language and content level (9 MJML compiles a day, however
 * many subscribers), when the day is planned for sending. Everything personal is left as a token for `personalise`.
 */
export async function compileEdition(published: Digest, config: EditionConfig, week?: WeekSpan): Promise<Edition> {
  // The taxonomy's names and order, as the site has them, however the digest was read.
  const digest = readableDigest(inTaxonomy(published));
  // A weekly mail has no day page: "view in browser" opens the archive.
  const archiveUrl = absoluteUrl(config.siteUrl, week ? sitePaths.index : sitePaths.day(digest.date));
  const links = { archiveUrl, postalAddress: config.postalAddress, statusUrl: absoluteUrl(config.siteUrl, sitePaths.status), ...(week ? { week } : {}) };
  const variants = {} as Record<Lang, CompiledVariant[]>;
  for (const lang of LANGS) {
    variants[lang] = [];
    for (const [level, content] of CONTENT_LEVELS.entries()) {
      // fonts: {} stops MJML linking Google Fonts for 'Roboto' in the stack: the mail needs nothing remote.
      const out = await mjml2html(newsletterMjml(digest, lang, content, links), { validationLevel: 'strict', fonts: {} });
      if (out.errors.length) throw new Error(`newsletter MJML for ${digest.date}/${lang}: ${out.errors.map((e) => e.formattedMessage).join('; ')}`);
      const html = splitSegments(out.html, HTML_TOKENS);
      const text = splitSegments(newsletterText(digest, lang, content, links), TEXT_TOKENS);
      variants[lang].push(compiledVariant(level, html, text));
    }
  }
  return {
    date: digest.date,
    ...(week ? { label: `${week.from} – ${week.to}` } : {}),
    archiveUrl,
    categories: digest.sections.map((s) => ({ category: s.category, papers: s.papers.length, firstTitle: { en: s.papers[0]?.titleEn ?? '', zh: s.papers[0]?.titleZh ?? null } })),
    papers: papersOf(digest).map((p) => ({ arxivId: p.arxivId, version: p.version, titleEn: p.titleEn, titleZh: p.titleZh, abstractEn: p.abstractEn, abstractZh: p.abstractZh, authors: p.authors, category: p.category, codeUrl: p.codeUrl, ...(p.journalRef ? { journalRef: p.journalRef } : {}) })),
    variants,
  };
}
