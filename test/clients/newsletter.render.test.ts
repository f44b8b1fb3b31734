import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { LANGS } from '../../functions/domain/language.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { categoryOfSlug, inTaxonomy } from '../../functions/domain/categories.ts';
import { buildMimeStreamed } from '../../functions/domain/newsletter/mime.ts';
import { HTML_BUDGET_BYTES, personalise } from '../../functions/domain/newsletter/personalise.ts';
import { fixtureBytes, fixtureDays, SEED_DAY } from '../support/fixtures.ts';
import { HOSTILE_ABSTRACT, HOSTILE_TITLE, HOSTILE_ZH, hostileDigest } from '../support/hostile.ts';
import { compile, envelope, mimeFor, recipient } from '../support/newsletter.ts';

const run = promisify(execFile);
// In the taxonomy's names and order, as the mail has them.
const digestOf = (day: string) => inTaxonomy(parseDigest(fixtureBytes(day), `${day}.md`).digest);

describe('every real day in every language', () => {
  it.each(fixtureDays())('%s renders, and every variant stays under the Gmail clipping size', async (day) => {
    const digest = digestOf(day);
    const edition = await compile(digest);
    const slugs = digest.sections.map((s) => s.category.slug);
    for (const lang of LANGS) {
      const choices: ('all' | string[])[] = ['all', slugs.slice(0, 1), slugs.filter((_, i) => i % 2 === 0)];
      for (const categories of choices) {
        const result = personalise(edition, recipient({ lang, categories }));
        if (digest.sections.length === 0) {
          expect(result.send).toBe(false);
          continue;
        }
        expect(result.send).toBe(true);
        if (!result.send) continue;
        const html = result.message.html();
        expect(Buffer.byteLength(html), `${day} ${lang} ${String(categories)}`).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
        expect(result.message.htmlBytes).toBe(Buffer.byteLength(html));
        expect(html).not.toMatch(/%%pb:|pb:cat:/);
        expect(result.message.text()).not.toMatch(/%%pb:|pb:cat:/);
      }
    }
  });
});

describe('content', () => {
  it('a one-category reader of a small day gets whole abstracts; the largest day every paper, with fewer words', async () => {
    const small = personalise(await compile(digestOf(SEED_DAY)), recipient({ categories: ['image-understanding'] }));
    if (!small.send) throw new Error('expected a message');
    expect(small.message.level).toBe(0);
    expect(small.message.abstracts.whole).toBe(small.message.shownPapers);
    const large = personalise(await compile(digestOf('2024-03-04')), recipient());
    if (!large.send) throw new Error('expected a message');
    expect(large.message.shownPapers).toBe(large.message.papers);
    expect(large.message.abstracts.whole).toBeLessThan(large.message.papers);
    expect(large.message.htmlBytes).toBeLessThanOrEqual(100_000);
    expect(large.send && large.message.html()).toContain('days/2024-03-04.html');
  });

  it('sends nothing to a reader whose categories have no paper today', async () => {
    const result = personalise(await compile(digestOf(SEED_DAY)), recipient({ categories: ['3dgs'] }));
    expect(result).toEqual({ send: false, reason: 'no-papers-in-chosen-categories' });
  });

  it('shows only the chosen categories, in the chosen language, in both parts', async () => {
    const digest = digestOf(SEED_DAY);
    const result = personalise(await compile(digest), recipient({ lang: 'zh', categories: ['generative', 'other'] }));
    if (!result.send) throw new Error('expected a message');
    const { html, text } = { html: result.message.html(), text: result.message.text() };
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toContain('id="c-generative"');
    expect(html).toContain('id="c-other"');
    expect(html).not.toContain('id="c-multimodal"');
    expect(text).toContain(`=== ${categoryOfSlug('generative')!.nameZh} (`);
    expect(text).not.toContain('多模态');
    const count = digest.sections.filter((s) => ['generative', 'other'].includes(s.category.slug)).reduce((n, s) => n + s.papers.length, 0);
    expect(result.message.subject).toBe(`Paperboy ${SEED_DAY}：${count} 篇新论文`);
    expect(text).toContain(`Paperboy · ${SEED_DAY}\n您订阅的类别今日共 ${count} 篇论文`);
  });
});

describe('the MIME message', () => {
  it('parses back (mailparser) to the same subject, parts and headers, with no line over 998 octets', async () => {
    const digest = digestOf(SEED_DAY);
    const r = recipient({ email: 'lǐ.reader@example.com', categories: ['generative', 'multimodal'] });
    const result = personalise(await compile(digest), r);
    if (!result.send) throw new Error('expected a message');
    const mime = mimeFor(result.message, r, digest.date);
    const lines = mime.toString('latin1').split('\r\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(998);
    expect(mime.toString('latin1')).not.toMatch(/[^\r]\n/);
    const parsed = await simpleParser(mime);
    expect(parsed.subject).toBe(result.message.subject);
    expect(parsed.html).toBe(result.message.html());
    expect(parsed.text).toBe(result.message.text());
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(parsed.headers.get('list')).toMatchObject({ unsubscribe: { url: r.unsubscribeUrl, mail: 'unsubscribe@paperboy.example.org?subject=unsubscribe%20abc.def' }, id: { id: 'daily.paperboy.example.org' } });
    expect(parsed.messageId).toMatch(/^<2024-02-04\.[0-9a-f]{24}@paperboy\.example\.org>$/);
    expect(mime.toString('latin1')).toMatch(/^Subject: =\?UTF-8\?Q\?/m);
  });

  it('is byte for byte what nodemailer\'s own streamed build writes', async () => {
    const digest = digestOf(SEED_DAY);
    const r = recipient({ lang: 'zh' });
    const result = personalise(await compile(digest), r);
    if (!result.send) throw new Error('expected a message');
    const env = envelope(r, digest.date, { baseBoundary: 'fixed0123456789' });
    const { buildMime } = await import('../../functions/domain/newsletter/mime.ts');
    expect(buildMime(result.message, env).equals(await buildMimeStreamed(result.message, env))).toBe(true);
  });

  it('stays byte for byte nodemailer\'s own when one layout serves many readers (addresses and links of every length)', async () => {
    const { signToken } = await import('../../functions/domain/subscribers/tokens.ts');
    const { unsubscribeMailto } = await import('../../functions/domain/subscribers/links.ts');
    const { buildMime } = await import('../../functions/domain/newsletter/mime.ts');
    const digest = digestOf(SEED_DAY);
    const edition = await compile(digest);
    let seed = 11;
    const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789._+-';
    let compared = 0;
    for (let i = 0; i < 400; i++) {
      const local = Array.from({ length: 1 + rand(40) }, () => chars[rand(chars.length)]).join('').replace(/^[._+-]+/, 'a');
      const email = `${local}@${'sub.'.repeat(rand(3))}example${rand(2) ? '.org' : '.co.uk'}`;
      const token = signToken('k', { p: 'manage', e: email, g: rand(1000) });
      const r = recipient({ lang: LANGS[i % 3]!, email, unsubscribeUrl: `https://paperboy.example.org/api/unsubscribe?token=${encodeURIComponent(token)}` });
      const result = personalise(edition, r);
      if (!result.send) continue;
      const mailto = i % 4 === 0 ? {} : { unsubscribeMailto: unsubscribeMailto({ apiUrl: '', tokenSecret: 'k' }, 'unsubscribe@paperboy.example.org', email, rand(9)) };
      const env = { ...envelope(r, digest.date, { baseBoundary: 'fixed0123456789' }), ...mailto };
      if (!mailto.unsubscribeMailto) delete (env as { unsubscribeMailto?: string }).unsubscribeMailto;
      const ours = buildMime(result.message, env);
      expect(ours.toString('latin1'), email).toBe((await buildMimeStreamed(result.message, env)).toString('latin1'));
      compared++;
    }
    // And an address nodemailer encodes (not ASCII): its own layout, still the same bytes.
    const r = recipient({ lang: 'bi', email: 'ünïcode.reader@example.com' });
    const result = personalise(edition, r);
    if (!result.send) throw new Error('expected a message');
    const env = envelope(r, digest.date, { baseBoundary: 'fixed0123456789' });
    expect(buildMime(result.message, env).equals(await buildMimeStreamed(result.message, env))).toBe(true);
    expect(compared).toBeGreaterThan(300);
  });

  it('scores below 2.0 in SpamAssassin (local tests only)', async () => {
    const digest = digestOf(SEED_DAY);
    for (const lang of LANGS) {
      const r = recipient({ lang, categories: ['generative', 'multimodal'] });
      const result = personalise(await compile(digest), r);
      if (!result.send) throw new Error('expected a message');
      // -L: local tests only, no network; no Bayes learning, so the run leaves nothing behind.
      const child = run('spamassassin', ['-L', '-t', '--cf=use_bayes 0', '--cf=bayes_auto_learn 0'], { maxBuffer: 64 * 1024 * 1024 });
      child.child.stdin?.end(mimeFor(result.message, r, digest.date));
      const { stdout } = await child;
      const score = Number(/^X-Spam-Status: \w+, score=(-?[\d.]+)/m.exec(stdout)?.[1]);
      const hits = /^X-Spam-Status: [^\n]*tests=([^\n]*(?:\n\t[^\n]*)*)/m.exec(stdout)?.[1]?.replace(/\s+/g, '').replace(/autolearn=.*$/, '');
      console.log(`SpamAssassin ${lang}: score ${score}, tests ${hits}`);
      expect(score).toBeLessThan(2.0);
    }
  });
});

describe('hostile text', () => {
  it('arrives as text in both parts', async () => {
    const digest = parseDigest(hostileDigest(), 'hostile.md').digest;
    const result = personalise(await compile(digest), recipient());
    if (!result.send) throw new Error('expected a message');
    const parsed = await simpleParser(mimeFor(result.message, recipient(), digest.date));
    expect(parsed.html).not.toMatch(/<script|<img|href="javascript:/i);
    expect(parsed.html).toContain('Beyond &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(parsed.text).toContain(HOSTILE_TITLE.slice(0, 60));
    expect(parsed.text).toContain(HOSTILE_ZH);
    expect(parsed.text).toContain(HOSTILE_ABSTRACT.slice(0, 30));
    expect(parsed.text).toContain('😀');
  });

  it('cannot forge a personal token', async () => {
    const text = hostileDigest().replace('A normal title', 'Click %%pb:unsubscribe%% now %%pb:recipient%%');
    const digest = parseDigest(text, 'hostile.md').digest;
    const result = personalise(await compile(digest), recipient({ email: 'victim@example.com' }));
    if (!result.send) throw new Error('expected a message');
    expect(result.message.html()).toContain('Click %&#37;pb:unsubscribe%&#37; now');
    expect(result.message.text().match(/victim@example\.com/g)).toHaveLength(1);
  });
});
