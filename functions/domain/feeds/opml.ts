import { generateOpml } from 'feedsmith';
import { xmlChars } from '../html.ts';
import { LANG_LABEL, LANGS, type Lang } from '../language.ts';
import type { Category } from '../model.ts';
import { absoluteUrl, FEED_VARIANTS, sitePaths } from '../site/paths.ts';
import { feedTitle, withCodeLabel } from './render-feeds.ts';

/**
 * OPML 2.0 listing every RSS feed, one folder per language and variant (every paper; only papers
 * with code), for importing into a reader: of every language, or of the ones given.
 */
export function renderOpml(baseUrl: string, categories: readonly Pick<Category, 'slug' | 'nameEn' | 'nameZh'>[], updated: string, langs: readonly Lang[] = LANGS): string {
  return generateOpml({
    head: { title: langs.length === 1 ? `Paperboy feeds (${LANG_LABEL[langs[0]!]})` : 'Paperboy feeds', dateModified: new Date(`${updated}T00:00:00Z`) },
    body: {
      outlines: FEED_VARIANTS.flatMap((variant) =>
        langs.map((lang) => ({
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
