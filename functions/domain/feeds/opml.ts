import { generateOpml } from 'feedsmith';
import { xmlChars } from '../html.ts';
import { LANG_LABEL, LANGS } from '../language.ts';
import type { Category } from '../model.ts';
import { absoluteUrl, FEED_VARIANTS, sitePaths } from '../site/paths.ts';
import { feedTitle, withCodeLabel } from './render-feeds.ts';

/**
 * OPML 2.0 listing every RSS feed, one folder per language and variant (every paper; only papers
 * with code), for importing into a reader.
 */
export function renderOpml(baseUrl: string, categories: readonly Pick<Category, 'slug' | 'nameEn' | 'nameZh'>[], updated: string): string {
  return generateOpml({
    head: { title: 'Paperboy feeds', dateModified: new Date(`${updated}T00:00:00Z`) },
    body: {
      outlines: FEED_VARIANTS.flatMap((variant) =>
        LANGS.map((lang) => ({
          text: `Paperboy (${LANG_LABEL[lang]})${variant === 'code' ? ` · ${withCodeLabel(lang)}` : ''}`,
          outlines: categories.map((c) => ({
            type: 'rss',
            // feedsmith escapes markup in attributes but passes characters XML forbids; a category name
            // from a digest could carry one.
            text: xmlChars(feedTitle({ category: c, lang, variant })),
            title: xmlChars(feedTitle({ category: c, lang, variant })),
            xmlUrl: absoluteUrl(baseUrl, sitePaths.feed(c.slug, lang, 'rss', variant)),
            htmlUrl: absoluteUrl(baseUrl, `${sitePaths.index}#${c.slug}`),
          })),
        })),
      ),
    },
  });
}
