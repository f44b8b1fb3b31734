import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryContentHtml } from '../../functions/domain/feeds/entry-html.ts';
import { collectEntries } from '../../functions/domain/feeds/feed-window.ts';
import { LANGS } from '../../functions/domain/language.ts';
import { personalise } from '../../functions/domain/newsletter/personalise.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { buildSite } from '../../functions/app/publish/build-site.ts';
import { alreadySubscribedMail, confirmationMail } from '../../functions/domain/subscribers/notifications.ts';
import { simpleParser } from 'mailparser';
import { launchChromium } from '../support/browser.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { mislabelledText } from '../support/lang-check.ts';
import { compile, recipient } from '../support/newsletter.ts';

// A day with abstracts in both languages, and a late one whose categories have new names.
const DAYS = ['2024-02-04', '2024-11-22'];
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

async function check(html: string, root = 'body'): Promise<string[]> {
  const page = await browser.newPage();
  await page.route('**/*', (r) => r.abort());
  await page.setContent(html, { waitUntil: 'load' });
  const wrong = await mislabelledText(page, root);
  await page.close();
  return wrong;
}

describe('every run of text carries the language it is written in', () => {
  it.each(DAYS)('%s: the newsletter in every edition', async (day) => {
    const digest = parseDigest(fixtureBytes(day), `${day}.md`).digest;
    const edition = await compile(digest);
    for (const lang of LANGS) {
      const result = personalise(edition, recipient({ lang, categories: 'all' }));
      if (!result.send) throw new Error('expected a message');
      expect(await check(result.message.html()), lang).toEqual([]);
    }
  });

  it.each(DAYS)('%s: the index and the day page', async (day) => {
    const digest = parseDigest(fixtureBytes(day), `${day}.md`).digest;
    const files = buildSite({ baseUrl: 'https://paperboy.example', digests: [digest], days: [{ date: day, papers: 1 }] });
    for (const path of ['index.html', `days/${day}.html`]) expect(await check(String(files.find((f) => f.path === path)?.body)), path).toEqual([]);
  });

  it.each(DAYS)('%s: the HTML of feed items, which readers show without the feed around it', async (day) => {
    const digest = parseDigest(fixtureBytes(day), `${day}.md`).digest;
    const entries = collectEntries([digest]).slice(0, 20);
    for (const lang of LANGS) {
      const items = entries.map((e) => `<article>${entryContentHtml(e, lang).value}</article>`).join('');
      expect(await check(`<!doctype html><html><body><main>${items}</main></body></html>`, 'main'), lang).toEqual([]);
    }
  });

  it('the confirmation and already-subscribed mails', async () => {
    const config = { from: 'Paperboy <digest@paperboy.example>', postalAddress: '1 Example Street, Example City' };
    for (const raw of [await confirmationMail(config, 'a@example.com', 'https://x.example/confirm'), await alreadySubscribedMail(config, 'a@example.com', 'https://x.example/prefs')]) {
      const html = (await simpleParser(raw)).html;
      expect(await check(String(html))).toEqual([]);
    }
  });
});

describe('the subscription pages', () => {
  it('tag every run of text with its language', async () => {
    const { subscribePage, preferencesPage, messagePage, confirmPage, unsubscribePage } = await import('../../templates/subscription/pages.ts');
    const pages = [
      subscribePage({ action: '/api/subscribe', categories: 'all', lang: 'bi', submit: 'Subscribe · 订阅', error: 'Choose at least one category. · 请至少选择一个类别。', formToken: 't', challengeUrl: '/api/altcha', assetsUrl: '/assets/altcha', minFillSeconds: 4 }),
      preferencesPage({ action: '/api/preferences', email: 'reader@example.com', categories: ['generative'], lang: 'zh', submit: 'Save · 保存', saved: true, filters: { include: '"gaussian splatting", 扩散', exclude: '', authors: 'Kaiming He', rest: 'none', repeats: 'omit', weekly: 3 }, preview: { date: '2024-03-04', papers: 12, matches: 3 } }),
      preferencesPage({ action: '/api/preferences', email: 'reader@example.com', categories: 'all', lang: 'bi', submit: 'Save · 保存', error: 'Keywords: “<b>” may hold only letters. · 关键词：“<b>”只能包含字母。', filters: { include: '<b>', exclude: '', authors: '', rest: 'categories', repeats: 'updated', weekly: null } }),
      messagePage('Check your inbox · 请查收邮件', ['If the address can receive our mail, a message is on its way.', '确认邮件已发出。']),
      confirmPage('/api/confirm'),
      unsubscribePage('/api/unsubscribe'),
    ];
    for (const html of pages) expect(await check(html)).toEqual([]);
  });
});
