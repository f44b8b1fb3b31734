import { describe, expect, it } from 'vitest';
import { LANGS } from '../../functions/domain/language.ts';
import { HTML_BUDGET_BYTES, personalise } from '../../functions/domain/newsletter/personalise.ts';
import { busyDay } from '../../scripts/bench/busy-day.ts';
import { compile, recipient } from '../support/newsletter.ts';

describe('a 220-paper day', () => {
  it('reaches an every-category reader in every language with every paper, under the 100 KB clipping budget', async () => {
    const day = busyDay(220);
    const edition = await compile(day);
    const ids = day.sections.flatMap((s) => s.papers.map((p) => p.arxivId));
    expect(ids).toHaveLength(220);
    for (const lang of LANGS) {
      const result = personalise(edition, recipient({ lang }));
      if (!result.send) throw new Error('expected a message');
      const html = result.message.html();
      expect(Buffer.byteLength(html), lang).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
      expect(result.message.shownPapers, lang).toBe(220);
      // Every paper's title link, PDF link and (where it has one) code link is in the mail.
      for (const p of day.sections.flatMap((s) => s.papers)) {
        expect(html, `${lang} ${p.arxivId}`).toContain(p.pdfUrl.replace('http://', 'https://'));
        if (p.codeUrl) expect(html, `${lang} ${p.arxivId}`).toContain(p.codeUrl.replaceAll('&', '&amp;'));
      }
      expect(html).not.toContain('more on the web');
      // Whatever room is left goes to abstracts, first sentences before whole ones.
      expect(result.message.abstracts.sentence + result.message.abstracts.whole, lang).toBeGreaterThan(0);
    }
  });

  it('gives a reader of a small category whole abstracts, and one of the biggest as many as fit, first sentences for the rest', async () => {
    const day = busyDay(220);
    const edition = await compile(day);
    const bySize = [...day.sections].sort((a, b) => a.papers.length - b.papers.length);
    const small = bySize.find((s) => s.papers.length >= 3)!;
    const few = personalise(edition, recipient({ lang: 'bi', categories: [small.category.slug] }));
    if (!few.send) throw new Error('expected a message');
    expect(few.message.abstracts.whole).toBe(small.papers.length);
    const big = bySize.at(-1)!;
    const many = personalise(edition, recipient({ lang: 'bi', categories: [big.category.slug] }));
    if (!many.send) throw new Error('expected a message');
    expect(many.message.abstracts.whole).toBeGreaterThan(0);
    expect(many.message.abstracts.whole + many.message.abstracts.sentence).toBe(big.papers.length);
  });
});

describe('MIME transfer encoding', () => {
  it('is base64 where that is smaller (Chinese) and QP where that is (English), and both decode to the exact bodies', async () => {
    const { simpleParser } = await import('mailparser');
    const { buildMime } = await import('../../functions/domain/newsletter/mime.ts');
    const { envelope } = await import('../support/newsletter.ts');
    const day = busyDay(220);
    const edition = await compile(day);
    const encodings: Record<string, string> = {};
    for (const lang of LANGS) {
      for (const categories of ['all', [day.sections[1]!.category.slug]] as const) {
        const r = recipient({ lang, categories: categories === 'all' ? 'all' : [...categories], email: 'ünïcode.reader@example.com' });
        const result = personalise(edition, r);
        if (!result.send) throw new Error('expected a message');
        const raw = buildMime(result.message, envelope(r, day.date));
        for (const line of raw.toString('latin1').split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
        const parsed = await simpleParser(raw);
        expect(String(parsed.html).replace(/\r\n/g, '\n'), lang).toBe(result.message.html().replace(/\r\n/g, '\n'));
        expect(parsed.text?.replace(/\r\n/g, '\n').trimEnd(), lang).toBe(result.message.text().replace(/\r\n/g, '\n').trimEnd());
        if (categories === 'all') encodings[lang] = `${result.message.htmlBody.encoding}/${result.message.textBody.encoding}`;
      }
    }
    expect(encodings.zh).toBe('base64/base64');
    expect(encodings.en).toBe('quoted-printable/quoted-printable');
  });
});

describe('assembly from category blocks kept per cut pattern', () => {
  it('every reader of a day, whichever categories and cuts, gets exactly the bodies of their own selection', async () => {
    const { simpleParser } = await import('mailparser');
    const { buildMime } = await import('../../functions/domain/newsletter/mime.ts');
    const { envelope } = await import('../support/newsletter.ts');
    const day = busyDay(220);
    const edition = await compile(day);
    const slugs = day.sections.map((s) => s.category.slug);
    // 120 readers with different category sets: more cut patterns per block than are kept, so
    // pieces are built, reused and, past the limit, assembled segment by segment.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const patterns = new Set<string>();
    for (let i = 0; i < 120; i++) {
      const chosen = slugs.filter(() => rand() < 0.4);
      const r = recipient({ lang: LANGS[i % 3]!, categories: chosen.length ? chosen : [slugs[0]!], email: `r${i}@example.com` });
      const result = personalise(edition, r);
      if (!result.send) continue;
      patterns.add(`${r.lang}:${result.message.abstracts.whole}:${result.message.abstracts.sentence}`);
      const parsed = await simpleParser(buildMime(result.message, envelope(r, day.date)));
      expect(String(parsed.html).replace(/\r\n/g, '\n'), `reader ${i}`).toBe(result.message.html().replace(/\r\n/g, '\n'));
      expect(parsed.text?.replace(/\r\n/g, '\n').trimEnd(), `reader ${i}`).toBe(result.message.text().replace(/\r\n/g, '\n').trimEnd());
    }
    expect(patterns.size).toBeGreaterThan(20);
  }, 120_000);
});

describe('building into one sender\'s reused memory', () => {
  it('each message is whole while it is handed on, and the next one reuses the memory', async () => {
    const { buildMime, MimeArena } = await import('../../functions/domain/newsletter/mime.ts');
    const { envelope } = await import('../support/newsletter.ts');
    const day = busyDay(220);
    const edition = await compile(day);
    const arena = new MimeArena();
    const readers = LANGS.map((lang, i) => recipient({ lang, email: `arena${i}@example.com` }));
    const fresh: Buffer[] = [];
    const inArena: Buffer[] = [];
    for (const r of readers) {
      const result = personalise(edition, r);
      if (!result.send) throw new Error('expected a message');
      const env = { ...envelope(r, day.date), baseBoundary: 'arena-test' };
      fresh.push(buildMime(result.message, env));
      const built = buildMime(result.message, env, arena);
      // What a mailer receives: byte for byte the message built on its own.
      expect(built.equals(fresh.at(-1)!)).toBe(true);
      inArena.push(built);
    }
    // The memory is the arena's: an earlier view now shows the later message (why keepers copy).
    expect(inArena[0]!.equals(fresh[0]!)).toBe(false);
  });
});

describe('the stored edition', () => {
  it('loads back to the same messages, byte for byte', async () => {
    const { editionFromJson, editionToJson } = await import('../../functions/domain/newsletter/edition.ts');
    const { buildMime } = await import('../../functions/domain/newsletter/mime.ts');
    const { envelope } = await import('../support/newsletter.ts');
    const day = busyDay(220);
    const compiled = await compile(day);
    const loaded = editionFromJson(editionToJson(compiled));
    for (const lang of LANGS) {
      const r = recipient({ lang, categories: [day.sections[0]!.category.slug, day.sections[2]!.category.slug] });
      const a = personalise(compiled, r);
      const b = personalise(loaded, r);
      if (!a.send || !b.send) throw new Error('expected messages');
      expect(buildMime(b.message, envelope(r, day.date, { baseBoundary: 'x' })).equals(buildMime(a.message, envelope(r, day.date, { baseBoundary: 'x' }))), lang).toBe(true);
    }
  });
});
