import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readableText } from '../../functions/domain/latex-text.ts';
import { LANGS } from '../../functions/domain/language.ts';
import type { Digest } from '../../functions/domain/model.ts';
import { buildMime } from '../../functions/domain/newsletter/mime.ts';
import { personalise, PREHEADER_CHARS, subjectFor } from '../../functions/domain/newsletter/personalise.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { inTaxonomy } from '../../functions/domain/categories.ts';
import { buildSite } from '../../functions/app/publish/build-site.ts';
import { confirmationMail } from '../../functions/domain/subscribers/notifications.ts';
import { columns } from '../../functions/domain/text-wrap.ts';
import { launchChromium } from '../support/browser.ts';
import { fixtureBytes, fixtureDays, fixtureText } from '../support/fixtures.ts';
import { compile, envelope, recipient } from '../support/newsletter.ts';

const DAY = '2024-02-04';
const digestOf = (day: string): Digest => inTaxonomy(parseDigest(fixtureBytes(day), `${day}.md`).digest);

function message(digest: Digest, lang: (typeof LANGS)[number], categories: 'all' | string[] = 'all') {
  return compile(digest).then((edition) => {
    const result = personalise(edition, recipient({ lang, categories }));
    if (!result.send) throw new Error('expected a message');
    return result.message;
  });
}

describe('replies', () => {
  it('go to the Reply-To address on the newsletter and on the confirmation mail', async () => {
    const m = await message(digestOf(DAY), 'bi');
    const news = await simpleParser(buildMime(m, envelope(recipient(), DAY, { replyTo: 'editor@example.org' })));
    expect(news.replyTo?.text).toBe('editor@example.org');
    const confirm = await simpleParser(await confirmationMail({ from: 'Paperboy <digest@paperboy.example.org>', postalAddress: 'x', replyTo: 'editor@example.org' }, 'a@example.com', 'https://x.example/c'));
    expect(confirm.replyTo?.text).toBe('editor@example.org');
  });
});

describe('headers', () => {
  it('carry the one-click unsubscribe pair and Reply-To; Message-ID and Date are nodemailer’s placeholders that SES replaces', async () => {
    const m = await message(digestOf(DAY), 'en');
    const raw = buildMime(m, envelope(recipient(), DAY, { replyTo: 'editor@example.org' })).toString('latin1');
    const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n\s+/g, ' ');
    expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(head).toMatch(/^List-Unsubscribe: <https:\/\/paperboy\.example\.org\/api\/unsubscribe\?token=abc\.def>/m);
    expect(head).toMatch(/^Reply-To: editor@example\.org$/m);
    const parsed = await simpleParser(raw);
    expect(parsed.headers.has('reply-to')).toBe(true);
  });
});

describe('LaTeX in titles and abstracts', () => {
  // Every 2024 title in the fixtures that carries LaTeX, with what a reader sees.
  const latexTitles = fixtureDays().flatMap((d) =>
    fixtureText(d)
      .split('\n')
      .filter((l) => l.startsWith('**Title:** **'))
      .map((l) => l.slice('**Title:** **'.length, l.lastIndexOf('**')))
      .filter((t) => /\$|\\/.test(t)),
  );

  it('turns the simple cases into Unicode and leaves what it cannot read as written', () => {
    expect(latexTitles.length).toBeGreaterThanOrEqual(20);
    const shown = latexTitles.map(readableText);
    const expectations: [string, string][] = [
      ['Dr$^2$Net', 'Dr²Net'],
      ['Color-$S^{4}L$', 'Color-S⁴L'],
      ['$\\boldsymbol{M^2}$-Encoder', 'M²-Encoder'],
      ['H\\&E stained', 'H&E stained'],
      ['360$^\\circ$ Objects', '360° Objects'],
      ['$\\text{Di}^2\\text{Pose}$', 'Di²Pose'],
      ['\\emph{Radomaniola}', 'Radomaniola'],
      ['$\\sim$20 Seconds', '∼20 Seconds'],
      ['MOT\\_FCG++', 'MOT_FCG++'],
      ['C${^2}$RL', 'C²RL'],
    ];
    for (const [raw, want] of expectations) {
      const i = latexTitles.findIndex((t) => t.includes(raw));
      expect(i, raw).toBeGreaterThanOrEqual(0);
      expect(shown[i]).toContain(want);
    }
    // "Just Add $100 More" has one dollar sign: money, not math.
    expect(shown.find((t) => t.startsWith('Just Add'))).toContain('$100 More');
    // Nothing half-converted: what is left of LaTeX is whole `$…$` spans as published.
    for (const [i, s] of shown.entries()) if (/[\\^{}]/.test(s.replace(/\$[^$]*\$/g, ''))) expect.fail(`${latexTitles[i]} → ${s}`);
    expect(readableText('$\\frac{1}{2}$ of $100 and $200')).toBe('$\\frac{1}{2}$ of $100 and $200');
    expect(readableText("Fr\\'echet \\textit{sweet}")).toBe('Fréchet sweet');
    expect(readableText('at \\href{https://x.example/a}{https://x.example/a} and \\url{https://y.example}')).toBe('at https://x.example/a and https://y.example');
    // No subscript f exists: half-converted would read "ₑ_f_f"; it stays as written, untouched.
    expect(readableText('$\\alpha_{\\textrm{eff}}$ and AP$_{50}^{box}$')).toBe('$\\alpha_{\\textrm{eff}}$ and AP₅₀ᵇᵒˣ');
    // A text command in a script is the whole word's (issue 31.5: it read "AP₅₀ᵇox").
    expect(readableText('AP$_{50}^\\text{box}$ and mAP$^{\\text{mask}}$')).toBe('AP₅₀ᵇᵒˣ and mAPᵐᵃˢᵏ');
  });

  it('shows as Unicode in the mail, the feeds and the pages, while the model keeps the published text', async () => {
    const day = fixtureDays().find((d) => fixtureText(d).includes('Dr$^2$Net'))!;
    const digest = digestOf(day);
    expect(digest.sections.flatMap((s) => s.papers).some((p) => p.titleEn.includes('Dr$^2$Net'))).toBe(true);
    const m = await message(digest, 'en');
    expect(m.html()).toContain('Dr²Net');
    expect(m.text()).toContain('Dr²Net');
    expect(m.html() + m.text()).not.toContain('Dr$^2$Net');
    const files = buildSite({ baseUrl: 'https://paperboy.example', digests: [digest], days: [{ date: day, papers: 1 }] });
    for (const path of ['feeds/all.rss.xml', 'feeds/en/all.atom.xml', 'feeds/all.feed.json', `days/${day}.html`]) {
      const body = String(files.find((f) => f.path === path)?.body);
      expect(body, path).toContain('Dr²Net');
      expect(body, path).not.toContain('Dr$^2$Net');
    }
  });
});

describe('words and numbers', () => {
  it('never say "1 papers", in any edition, subject or part', async () => {
    const one: Digest = { ...digestOf(DAY), sections: [{ ...digestOf(DAY).sections[0]!, papers: digestOf(DAY).sections[0]!.papers.slice(0, 1) }] };
    for (const lang of LANGS) {
      const m = await message(one, lang);
      expect(m.subject).not.toMatch(/\b1 (new )?(cs\.CV )?papers\b/);
      expect(m.html() + m.text()).not.toMatch(/\b1 papers\b/);
      expect(m.text()).not.toMatch(/\d+ [a-z ]+ · 篇论文/);
    }
    expect(subjectFor('en', DAY, 1)).toBe(`Paperboy ${DAY}: 1 new cs.CV paper`);
    expect(subjectFor('bi', DAY, 2)).toBe(`Paperboy ${DAY}: 2 new papers · 2 篇新论文`);
  });

  it('give a preheader that helps: the first paper for a small selection, the categories for a large one, never long', async () => {
    const digest = digestOf(DAY);
    const first = digest.sections[0]!;
    const small = await message(digest, 'en', [first.category.slug]);
    expect(small.preheader.startsWith(readableText(first.papers[0]!.titleEn).slice(0, 40))).toBe(true);
    for (const lang of LANGS) {
      const all = await message(digest, lang);
      expect([...all.preheader].length).toBeLessThanOrEqual(PREHEADER_CHARS);
      expect([...all.preheader].length).toBeGreaterThan(30);
    }
  });
});

describe('the plain-text part', () => {
  const URL_OR_TOKEN = /^\s*(https?:\/\/\S+|%%pb:[a-z]+%%)$/;
  it.each(['2024-02-04', '2024-03-04', '2024-11-22'])('%s: wraps at 76 columns, Chinese included, with hanging indents and whole URLs', async (day) => {
    for (const lang of LANGS) {
      const text = (await message(digestOf(day), lang)).text();
      const lines = text.split('\n');
      const long = lines.filter((l) => columns(l) > 76 && !URL_OR_TOKEN.test(l));
      expect(long, `${day} ${lang}`).toEqual([]);
      // Every URL whole on its line: no line ends inside one.
      for (const l of lines) for (const url of l.match(/https?:\/\/\S+/g) ?? []) expect(url, `${day} ${lang}`).toMatch(/^https?:\/\/[^\s]+$/);
      // A numbered title that wraps continues under its first letter, not at column 0.
      for (const [i, l] of lines.entries()) {
        if (/^\d+\. /.test(l) && lines[i + 1] && !lines[i + 1]!.startsWith(' ') && lines[i + 1] !== '') expect.fail(`${day} ${lang}: "${lines[i + 1]}" after "${l}"`);
      }
    }
  });

  it('breaks a Chinese abstract into lines of sensible width', async () => {
    const text = (await message(digestOf('2024-02-04'), 'zh')).text();
    const zhLines = text.split('\n').filter((l) => /\p{Script=Han}{20}/u.test(l));
    expect(zhLines.length).toBeGreaterThan(20);
    expect(Math.max(...zhLines.map(columns))).toBeLessThanOrEqual(76);
    // No line starts with closing punctuation.
    expect(zhLines.filter((l) => /^\s*[，。、；：？！）》」]/.test(l))).toEqual([]);
  });
});

describe('in a mail client (headless Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it('declares its colour schemes, keeps the footer dark in dark mode, and makes titles look like links', async () => {
    const html = (await message(digestOf(DAY), 'bi')).html();
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<meta name="supported-color-schemes" content="light dark">');
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.route('**/*', (r) => r.abort());
    await page.setContent(html);
    const footer = await page.locator('.foot td').first().evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(footer).toBe('rgb(31, 32, 35)'); // theme.dark.card
    await page.close();
    const light = await browser.newPage({ colorScheme: 'light' });
    await light.route('**/*', (r) => r.abort());
    await light.setContent(html);
    const title = await light.locator('h3 a').first().evaluate((a) => ({ line: getComputedStyle(a).textDecorationLine, color: getComputedStyle(a).color }));
    const body = await light.locator('.c').first().evaluate((p) => getComputedStyle(p).color);
    expect(title.line).toBe('underline');
    expect(title.color).not.toBe(body);
    await light.close();
  });
});
