import mjml2html from 'mjml';
import { newsletterMjml, type ContentLevel } from '../../../templates/newsletter/newsletter-mjml.ts';
import { newsletterText } from '../../../templates/newsletter/newsletter-text.ts';
import { LANGS, type Lang } from '../language.ts';
import { readableDigest } from '../latex-text.ts';
import type { Category, Digest } from '../model.ts';
import { absoluteUrl, sitePaths } from '../site/paths.ts';
import { splitSegments, type Segment } from './segments.ts';
import { smallerEncoding, type TransferEncoding } from './transfer-encoding.ts';

/** Richest first. The personaliser sends the first level whose HTML fits the size budget. */
export const CONTENT_LEVELS: readonly ContentLevel[] = [{ maxPapers: null }, { maxPapers: 15 }, { maxPapers: 8 }];

export interface EditionConfig {
  readonly siteUrl: string;
  readonly postalAddress: string;
}

export interface CompiledVariant {
  readonly level: number;
  readonly html: readonly Segment[];
  readonly text: readonly Segment[];
  /** Per part, the smaller transfer encoding for this variant's content (base64 for Chinese-heavy text). */
  readonly encoding: { readonly html: TransferEncoding; readonly text: TransferEncoding };
  /** Bytes of the HTML always sent, and per category (abstracts aside). */
  readonly fixedBytes: number;
  readonly categoryBytes: ReadonlyMap<string, number>;
  /** Each paper's abstract cuts, in reading order: its category and the HTML bytes of each cut. */
  readonly abstracts: readonly { readonly paper: number; readonly slug: string; readonly w: number; readonly s: number }[];
}

export interface Edition {
  readonly date: string;
  readonly archiveUrl: string;
  readonly categories: readonly { category: Category; papers: number; firstTitle: { en: string; zh: string | null } }[];
  readonly variants: Readonly<Record<Lang, readonly CompiledVariant[]>>;
}

const HTML_TOKENS = { preheader: 1, count: 1, preferences: 1, unsubscribe: 1, recipient: 1 } as const;
const TEXT_TOKENS = { count: 1, preferences: 1, unsubscribe: 1, recipient: 1 } as const;

function encodingFor(segments: readonly Segment[]): TransferEncoding {
  let raw = 0;
  let qp = 0;
  for (const s of segments) {
    if (s.kind === 'token') continue;
    raw += s.b64.raw.length;
    qp += s.qp.length;
  }
  return smallerEncoding(raw, qp);
}

function sizes(segments: readonly Segment[]): Pick<CompiledVariant, 'fixedBytes' | 'categoryBytes' | 'abstracts'> {
  let fixedBytes = 0;
  const categoryBytes = new Map<string, number>();
  const abstracts = new Map<number, { paper: number; slug: string; w: number; s: number }>();
  for (const s of segments) {
    if (s.kind === 'fixed') fixedBytes += s.bytes;
    else if (s.kind === 'category') categoryBytes.set(s.slug, (categoryBytes.get(s.slug) ?? 0) + s.bytes);
    else if (s.kind === 'abstract') {
      const a = abstracts.get(s.paper) ?? { paper: s.paper, slug: s.slug, w: 0, s: 0 };
      a[s.cut] += s.bytes;
      abstracts.set(s.paper, a);
    }
  }
  return { fixedBytes, categoryBytes, abstracts: [...abstracts.values()] };
}

/**
 * Compiles the day's newsletter once per language and content level (12 MJML compiles a day, however
 * many subscribers). Everything personal is left as a token for `personalise`.
 */
export async function compileEdition(published: Digest, config: EditionConfig): Promise<Edition> {
  const digest = readableDigest(published);
  const archiveUrl = absoluteUrl(config.siteUrl, sitePaths.day(digest.date));
  const links = { archiveUrl, postalAddress: config.postalAddress };
  const variants = {} as Record<Lang, CompiledVariant[]>;
  for (const lang of LANGS) {
    variants[lang] = [];
    for (const [level, content] of CONTENT_LEVELS.entries()) {
      // fonts: {} stops MJML linking Google Fonts for 'Roboto' in the stack: the mail needs nothing remote.
      const out = await mjml2html(newsletterMjml(digest, lang, content, links), { validationLevel: 'strict', fonts: {} });
      if (out.errors.length) throw new Error(`newsletter MJML for ${digest.date}/${lang}: ${out.errors.map((e) => e.formattedMessage).join('; ')}`);
      const html = splitSegments(out.html, HTML_TOKENS);
      const text = splitSegments(newsletterText(digest, lang, content, links), TEXT_TOKENS);
      variants[lang].push({ level, html, text, encoding: { html: encodingFor(html), text: encodingFor(text) }, ...sizes(html) });
    }
  }
  return {
    date: digest.date,
    archiveUrl,
    categories: digest.sections.map((s) => ({ category: s.category, papers: s.papers.length, firstTitle: { en: s.papers[0]?.titleEn ?? '', zh: s.papers[0]?.titleZh ?? null } })),
    variants,
  };
}
