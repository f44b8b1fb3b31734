import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { LANGS } from '../../functions/domain/language.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { HTML_BUDGET_BYTES, personalise, type PersonalMessage, type Recipient } from '../../functions/domain/newsletter/personalise.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { inTaxonomy } from '../../functions/domain/categories.ts';
import { busyDay } from '../../scripts/bench/busy-day.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { compile, mimeFor, recipient } from '../support/newsletter.ts';

/**
 * "For you" as a reader checks it: their recommendations first, in their model's order, each with
 * its reason; then their categories whole, as every reader of those categories gets them (a
 * recommendation from one of them is listed there too, and counted once); every count saying
 * what is listed; the wire bodies what the mail says it is. Ranked readers share the rest of the
 * mail with each other (see `overlaid` in personalise.ts): nobody gets another's list or links.
 */
const DAY = '2024-03-04';
const digest = inTaxonomy(parseDigest(fixtureBytes(DAY), `${DAY}.md`).digest);
const papers = papersOf(digest);
const chosen = digest.sections.slice(1, 4).map((s) => s.category.slug);
const inside = papers.filter((p) => chosen.includes(p.category));
const outside = papers.filter((p) => !chosen.includes(p.category));

function mail(edition: Awaited<ReturnType<typeof compile>>, r: Partial<Recipient>): PersonalMessage {
  const result = personalise(edition, recipient(r));
  if (!result.send) throw new Error(`expected a mail, got ${result.reason}`);
  return result.message;
}

const forYou = (ranked: readonly string[], size: number) => ({ ranked, size, reasons: (ids: readonly string[]) => new Map(ids.map((id) => [id, `Saved paper like ${id}`])) });

/** The arXiv ids an HTML section lists (its h3 titles), by section id. */
function sections(html: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of html.split('<h2 id="').slice(1)) out.set(part.slice(0, part.indexOf('"')), [...part.matchAll(/<h3[^>]*><a href="https:\/\/arxiv\.org\/abs\/([0-9.]+)/g)].map((m) => m[1]!));
  return out;
}
const categoryIds = (html: string) => [...sections(html)].filter(([id]) => id.startsWith('c-')).flatMap(([, ids]) => ids);
const contentsTotal = (html: string) => [...html.matchAll(/<li><a href="#c-[a-z0-9-]+">.*?<\/a> \((\d+)\)<\/li>/g)].reduce((n, m) => n + Number(m[1]), 0);

describe('"For you" in a reader\'s mail', () => {
  it('comes first in the model\'s order with a reason each; the categories stay whole, and every count counts each paper once', async () => {
    const edition = await compile(digest);
    // Two from the reader's categories, two from elsewhere, interleaved: the model's order is kept.
    const ranked = [inside[3]!, outside[0]!, inside[10]!, outside[7]!, inside[20]!].map((p) => p.arxivId);
    for (const lang of LANGS) {
      for (const categories of ['all', chosen] as const) {
        const label = `${lang} ${categories === 'all' ? 'all' : 'some'}`;
        const plain = mail(edition, { lang, categories });
        const m = mail(edition, { lang, categories, forYou: forYou(ranked, 4) });
        const html = m.html();
        const listed = sections(html);
        expect([...listed.keys()].filter((id) => !id.startsWith('c-'))[0], label).toBe('for-you');
        expect(listed.get('for-you'), label).toEqual(ranked.slice(0, 4));
        for (const id of ranked.slice(0, 4)) expect(html, label).toContain(`Saved paper like ${id}`);
        // The categories list what a plain reader of them gets: a recommendation of theirs stays there too.
        expect(categoryIds(html), label).toEqual(categoryIds(plain.html()));
        const added = ranked.slice(0, 4).filter((id) => !categoryIds(html).includes(id)).length;
        expect(added, label).toBe(categories === 'all' ? 0 : 2);
        expect(m.papers, label).toBe(plain.papers + added);
        expect(contentsTotal(html) + added, label).toBe(m.papers);
        expect(m.subject, label).toContain(String(m.papers));
        expect(m.forYou, label).toBe(4);
        // What the next mails will not show as new again: every paper once, the recommendations among them.
        expect(new Set(m.newIds).size, label).toBe(m.newIds.length);
        expect(m.newIds, label).toEqual(expect.arrayContaining(ranked.slice(0, 4)));
        expect(m.newIds.length, label).toBe(m.shownPapers);
        // The inbox preview names the first recommendation.
        const first = papers.find((p) => p.arxivId === ranked[0])!;
        expect(m.preheader, label).toContain((lang === 'zh' && first.titleZh ? first.titleZh : first.titleEn).slice(0, 20));
        expect(m.htmlBytes, label).toBe(Buffer.byteLength(html));
        expect(m.htmlBytes, label).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
        // The text part numbers "For you" 1..4 as its own section.
        const text = m.text();
        const heading = lang === 'zh' ? '=== 为你推荐 ===' : '=== For you';
        const start = text.indexOf(heading);
        expect(start, label).toBeGreaterThan(0);
        const section = text.slice(start, text.indexOf('\n=== ', start + heading.length));
        expect([...section.matchAll(/^ *(\d+)\. \S/gm)].map((x) => Number(x[1])), label).toEqual([1, 2, 3, 4]);
      }
    }
  });

  it('is in the wire bodies as the mail says, in base64 and in quoted-printable, with the reader\'s own links only', async () => {
    const edition = await compile(digest);
    const a = recipient({ email: 'a@example.com', actionUrl: 'https://paperboy.example.org/api/p/AAAAAAAAAAAAAAAA/', forYou: forYou([outside[1]!.arxivId, inside[2]!.arxivId, outside[5]!.arxivId], 3) });
    const b = recipient({ email: 'b@example.com', actionUrl: 'https://paperboy.example.org/api/p/BBBBBBBBBBBBBBBB/', forYou: forYou([inside[6]!.arxivId, outside[9]!.arxivId, outside[11]!.arxivId], 3) });
    for (const lang of LANGS) {
      for (const r of [a, b]) {
        const mine = { ...r, lang, categories: chosen };
        const result = personalise(edition, mine);
        if (!result.send) throw new Error('expected a mail');
        const wire = await simpleParser(mimeFor(result.message, mine, DAY));
        expect(wire.html, lang).toBe(result.message.html());
        expect(wire.text?.replace(/\r\n/g, '\n').trimEnd(), lang).toBe(result.message.text().trimEnd());
        expect(wire.html, lang).not.toMatch(/%%pb:|pb:cat:|pb:p:/);
        const other = r === a ? b : a;
        expect(sections(wire.html as string).get('for-you'), lang).toEqual(r.forYou!.ranked);
        expect(wire.html, lang).not.toContain(other.actionUrl!);
        expect(wire.html, lang).not.toContain(other.email);
        expect(wire.html, lang).toContain(`${r.actionUrl!}${r.forYou!.ranked[0]}/no`);
      }
      // A plain reader of the same categories, after them: no "For you", and the mail it had before any of them.
      const fresh = mail(await compile(digest), { lang, categories: chosen });
      const after = mail(edition, { lang, categories: chosen });
      expect(after.html(), lang).not.toContain('id="for-you"');
      expect(after.html(), lang).toBe(fresh.html());
    }
  });

  it('on a day too busy to list a recommendation twice, moves it out of its category: every paper once, none lost', async () => {
    const day = busyDay(220);
    const edition = await compile(day);
    const ids = day.sections.flatMap((s) => s.papers.map((p) => p.arxivId));
    // Papers of the day itself (the joined day's others carry a changed id, their links the original one).
    const ranked = ids.filter((id, i) => i % 7 === 3 && /^\d{4}\.\d{5}$/.test(id)).slice(0, 10);
    expect(ranked).toHaveLength(10);
    const plain = mail(edition, { lang: 'en' });
    const m = mail(edition, { lang: 'en', forYou: forYou(ranked, 10) });
    const html = m.html();
    expect(sections(html).get('for-you')).toEqual(ranked);
    expect(categoryIds(html).filter((id) => ranked.includes(id))).toEqual([]);
    expect(new Set([...categoryIds(html), ...ranked]).size).toBe(ids.length);
    expect(m.shownPapers).toBe(plain.shownPapers);
    expect(contentsTotal(html) + ranked.length).toBe(m.papers);
    expect(m.htmlBytes).toBe(Buffer.byteLength(html));
    expect(m.htmlBytes).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
  });

  it('still reaches a reader whose categories list nothing today, and goes with their filters', async () => {
    const edition = await compile(digest);
    const ranked = outside.slice(0, 3).map((p) => p.arxivId);
    const quiet = 'few-shot';
    expect(digest.sections.some((s) => s.category.slug === quiet)).toBe(false);
    const m = mail(edition, { categories: [quiet], forYou: forYou(ranked, 3) });
    expect(sections(m.html()).get('for-you')).toEqual(ranked);
    expect(m.papers).toBe(3);
    // With filters (a mail worked out for the reader alone), a recommendation moves out of its category, as a match does.
    const filtered = mail(edition, { categories: chosen, filters: { include: ['zzzz-nothing'], exclude: [], authors: [], rest: 'categories' }, forYou: forYou([inside[0]!.arxivId], 1) });
    expect(sections(filtered.html()).get('for-you')).toEqual([inside[0]!.arxivId]);
    expect(categoryIds(filtered.html())).not.toContain(inside[0]!.arxivId);
    expect(filtered.papers).toBe(inside.length);
  });
});
