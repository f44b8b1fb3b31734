import { generateOpml } from 'feedsmith';
import { xmlChars } from '../html.ts';
import { categoryLabel, LANG_LABEL, LANGS } from '../language.ts';
import type { Category } from '../model.ts';
import { absoluteUrl, sitePaths } from '../site/paths.ts';

/** OPML 2.0 listing every RSS feed, one folder per language, for importing into a reader. */
export function renderOpml(baseUrl: string, categories: readonly Pick<Category, 'slug' | 'nameEn' | 'nameZh'>[], updated: string): string {
  return generateOpml({
    head: { title: 'Paperboy feeds', dateModified: new Date(`${updated}T00:00:00Z`) },
    body: {
      outlines: LANGS.map((lang) => ({
        text: `Paperboy (${LANG_LABEL[lang]})`,
        outlines: categories.map((c) => ({
          type: 'rss',
          // feedsmith escapes markup in attributes but passes characters XML forbids; a category name
          // from a digest could carry one.
          text: xmlChars(`Paperboy · ${categoryLabel(c, lang)}`),
          title: xmlChars(`Paperboy · ${categoryLabel(c, lang)}`),
          xmlUrl: absoluteUrl(baseUrl, sitePaths.feed(c.slug, lang, 'rss')),
          htmlUrl: absoluteUrl(baseUrl, `${sitePaths.index}#${c.slug}`),
        })),
      })),
    },
  });
}
