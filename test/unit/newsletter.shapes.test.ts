import libqp from 'libqp';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { LANGS } from '../../functions/domain/language.ts';
import { buildMime } from '../../functions/domain/newsletter/mime.ts';
import { HTML_BUDGET_BYTES, personalise, type Recipient } from '../../functions/domain/newsletter/personalise.ts';
import { qpSegment, qpValue, wireText } from '../../functions/domain/newsletter/segments.ts';
import { busyDay } from '../../scripts/bench/busy-day.ts';
import { compile, envelope, recipient } from '../support/newsletter.ts';

/**
 * Readers who chose the same share their mail's shape: everything but their own links and address
 * is worked out and encoded once. What a reader must see is their own values only, and the same
 * mail a reader of their choices would get on their own.
 */
const readerNo = (i: number, overrides: Partial<Recipient> = {}) =>
  recipient({
    email: `reader.${i}@example.com`,
    unsubscribeUrl: `https://paperboy.example.org/api/unsubscribe?token=u${i}.sig`,
    preferencesUrl: `https://paperboy.example.org/api/preferences?token=p${i}.sig`,
    languageUrl: `https://paperboy.example.org/api/language?token=l${i}.sig`,
    feedUrl: `https://paperboy.example.org/api/feed/f${i}.sig/rss.xml`,
    // Reader keys are 16 characters: the shape's papers are encoded once and each reader's key written in.
    actionUrl: `https://paperboy.example.org/api/p/Key${String(i).padStart(13, '0')}/`,
    ...overrides,
  });

describe('readers sharing a shape', () => {
  it('each get their own links and address, and nobody else\'s, in both parts and every language', async () => {
    const day = busyDay(120);
    const edition = await compile(day);
    const slugs = day.sections.map((s) => s.category.slug);
    for (const lang of LANGS) {
      for (const categories of ['all', [slugs[1]!, slugs[0]!], [slugs[0]!, slugs[1]!]] as const) {
        const readers = [0, 1, 2].map((i) => readerNo(i, { lang, categories }));
        const bodies = [];
        for (const r of readers) {
          const result = personalise(edition, r);
          if (!result.send) throw new Error('expected a mail');
          const parsed = await simpleParser(buildMime(result.message, envelope(r, day.date)));
          const html = String(parsed.html);
          const text = parsed.text ?? '';
          bodies.push(html.replaceAll(/[upfl]\d\.sig/g, 'X').replace(r.email, 'ME').replaceAll(/Key0{12}\d/g, 'KEY'));
          for (const other of readers.filter((o) => o !== r)) {
            expect(html).not.toContain(other.email);
            expect(text).not.toContain(other.email);
            expect(html).not.toContain(other.unsubscribeUrl.split('token=')[1]);
            expect(text).not.toContain(other.feedUrl);
            expect(html).not.toContain(other.actionUrl);
            expect(text).not.toContain(other.actionUrl);
          }
          // Every paper's save link carries this reader's key, in both parts.
          const ids = day.sections.flatMap((s) => s.papers.filter((p) => categories === 'all' || categories.includes(p.category)).map((p) => p.arxivId));
          expect(result.message.saveLinks, lang).toBe(true);
          for (const id of ids) expect(html, `${lang} ${id}`).toContain(`${r.actionUrl}${id}"`);
          for (const id of ids) expect(text, `${lang} ${id}`).toContain(`${r.actionUrl}${id}/no`);
          expect(html).toContain(r.email);
          expect(text).toContain(r.unsubscribeUrl);
          expect(html).toContain(`${r.languageUrl}&amp;lang=`);
          expect(text).toContain(r.feedUrl);
          // What the reader decodes is what the personaliser says it wrote.
          expect(html.replace(/\r\n/g, '\n')).toBe(result.message.html().replace(/\r\n/g, '\n'));
        }
        // Apart from their own values, the three mails are the same mail (the categories in any order).
        expect(new Set(bodies).size, `${lang} ${String(categories)}`).toBe(1);
      }
    }
  }, 120_000);

  it('readers of many different choices on one edition each decode to the mail their own view and cuts make', async () => {
    // Shapes keep their encoded pieces per category and cut pattern across readers; html() and text() put the
    // reader's segments together from their shape's view and cuts alone: a reader must never get another shape's pieces.
    const day = busyDay(250);
    const edition = await compile(day);
    const slugs = day.sections.map((s) => s.category.slug);
    let seed = 5;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const readers = Array.from({ length: 36 }, (_, i) => readerNo(i, {
      lang: LANGS[i % 3]!,
      categories: i % 6 === 0 ? 'all' : slugs.filter(() => rand() < 0.4),
      // Long links for some: their reserve moves where the abstracts stop.
      ...(i % 4 === 1 ? { feedUrl: `https://paperboy.example.org/api/feed/f${i}.${'s'.repeat(900)}/rss.xml` } : {}),
    }));
    let mails = 0;
    for (const r of readers) {
      const result = personalise(edition, r);
      if (!result.send) continue;
      mails++;
      const parsed = await simpleParser(buildMime(result.message, envelope(r, day.date)));
      expect(String(parsed.html).replace(/\r\n/g, '\n'), r.email).toBe(result.message.html().replace(/\r\n/g, '\n'));
      expect((parsed.text ?? '').replace(/\r\n/g, '\n').trimEnd(), r.email).toBe(result.message.text().replace(/\r\n/g, '\n').trimEnd());
    }
    expect(mails).toBeGreaterThan(30);
  }, 120_000);

  it('a reader with long links and a long address still stays under the budget, and does not change other readers\' mail', async () => {
    const day = busyDay(220);
    const edition = await compile(day);
    const long = 'x'.repeat(180);
    const before = personalise(edition, readerNo(1));
    const big = personalise(edition, readerNo(2, { email: `${'a'.repeat(60)}@${'b'.repeat(60)}.example.com`, unsubscribeUrl: `https://paperboy.example.org/api/unsubscribe?token=${long}`, preferencesUrl: `https://paperboy.example.org/api/preferences?token=${long}`, languageUrl: `https://paperboy.example.org/api/language?token=${long}`, feedUrl: `https://paperboy.example.org/api/feed/${long}/rss.xml` }));
    const after = personalise(edition, readerNo(3));
    if (!before.send || !big.send || !after.send) throw new Error('expected mails');
    expect(Buffer.byteLength(big.message.html())).toBe(big.message.htmlBytes);
    expect(big.message.htmlBytes).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(big.message.shownPapers).toBe(220);
    // The long values took room from abstracts in that reader's mail only.
    expect(big.message.abstracts.sentence + big.message.abstracts.whole).toBeLessThanOrEqual(before.message.abstracts.sentence + before.message.abstracts.whole);
    expect(after.message.abstracts).toEqual(before.message.abstracts);
    expect(Buffer.byteLength(after.message.html())).toBe(after.message.htmlBytes);
  }, 60_000);

  it('thirty days of mailed ids shape a mail only through the papers listed again today', async () => {
    const day = busyDay(120);
    const edition = await compile(day);
    const old = new Set(Array.from({ length: 2000 }, (_, i) => `2401.${String(i).padStart(5, '0')}`));
    const plain = personalise(edition, readerNo(1));
    const withHistory = personalise(edition, readerNo(2, { seen: old }));
    if (!plain.send || !withHistory.send) throw new Error('expected mails');
    expect(withHistory.message.papers).toBe(plain.message.papers);
    expect(withHistory.message.updated).toBe(0);
    expect(withHistory.message.newIds).toEqual(plain.message.newIds);
    // One of today's papers among them: it leaves the new papers for the Updated list.
    const again = edition.papers[3]!.arxivId;
    const relisted = personalise(edition, readerNo(3, { seen: new Set([...old, again]) }));
    if (!relisted.send) throw new Error('expected a mail');
    expect(relisted.message.papers).toBe(plain.message.papers - 1);
    expect(relisted.message.updated).toBe(1);
    expect(relisted.message.newIds).not.toContain(again);
  }, 60_000);
});

describe('quoted-printable pieces', () => {
  it('decode to their text with lines of at most 76 characters, whatever the text', () => {
    const parts = ['a', ' ', '\t', '\n', '=', '中', '<', '&', 'é', '😀', 'x'.repeat(80), ' \n', '=\n', 'https://paperboy.example.org/api/x?token=a=b'];
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 3000; n++) {
      let text = '';
      for (let i = Math.floor(rand() * 120); i > 0; i--) text += parts[Math.floor(rand() * parts.length)];
      for (const encoded of [qpSegment(text), qpValue(text)]) {
        const wire = encoded.toString('latin1');
        expect(wire.split('\r\n').every((line) => line.length <= 76), JSON.stringify(text)).toBe(true);
        expect(/[ \t]\r\n/.test(wire), JSON.stringify(text)).toBe(false);
        expect(libqp.decode(wire).equals(wireText(text)), JSON.stringify(text)).toBe(true);
      }
    }
  });
});
