import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-ris';
import { describe, expect, it } from 'vitest';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { readerKeyFor } from '../../functions/domain/subscribers/tokens.ts';
import { solvedAltcha } from '../../scripts/local/subscribe-client.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { form, linkIn, mailsTo, motoStack, post } from '../support/moto-stack.ts';

// Two days with abstracts: the reader saves from the first, the second's mail is ranked for them.
const FIRST = '2024-02-26';
const NEXT = '2024-03-04';
const SECRET = 'library-secret';
// DynamoDB and S3 on moto_server: the library's conditional writes and its removal run on the real semantics.
const local = motoStack('library', SECRET);
const papersOn = (day: string) => papersOf(parseDigest(fixtureBytes(day), `${day}.md`).digest);
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));

describe('the library and "For you" on the local stack', () => {
  it('saves three papers from a mail through the POST page, ranks the next mail for that reader with a reason each, exports BibTeX, and forgets it all on unsubscribe', async () => {
    const stack = local.stack;
    for (const email of ['alice@example.com', 'bob@example.com']) {
      expect((await post(`${stack.apiUrl}/subscribe`, form({ email, lang: 'bi', categories: 'all', altcha: await solvedAltcha(stack.apiUrl) }))).status).toBe(202);
      expect((await fetch(linkIn(stack, mailsTo(await stack.ses.mails(), email)[0], '/confirm'), { method: 'POST' })).status).toBe(200);
    }
    await stack.ses.clear();
    await stack.ingest({ bytes: fixtureBytes(FIRST), source: `${FIRST}.md` });
    expect((await stack.send(FIRST)).summary.sent).toBe(2);
    const mail = mailsTo(await stack.ses.mails(), 'alice@example.com')[0]!;

    // Every paper has its save link: the reader's 16-character key and the arXiv id, nothing of the address.
    const key = readerKeyFor(SECRET, 'alice@example.com');
    const saveLinks = hrefs(mail.body.html ?? '').filter((h) => h.startsWith(`${stack.apiUrl}/p/`));
    const day = papersOn(FIRST);
    expect(new Set(saveLinks)).toEqual(new Set(day.map((p) => `${stack.apiUrl}/p/${key}/${p.arxivId}`)));
    for (const link of saveLinks) expect(decodeURIComponent(link)).not.toMatch(/alice|example\.com\/p/);
    expect(mail.body.text).toContain(`${stack.apiUrl}/p/${key}/${day[0]!.arxivId}/no`);
    expect(mailsTo(await stack.ses.mails(), 'bob@example.com')[0]?.body.html).not.toContain(`/p/${key}/`);

    // Three papers of one category: a GET only shows the paper and a button (mail scanners open links).
    const category = day[0]!.category;
    const chosen = day.filter((p) => p.category === category).slice(0, 3);
    expect(chosen).toHaveLength(3);
    const shown = await fetch(`${stack.apiUrl}/p/${key}/${chosen[0]!.arxivId}`);
    expect(shown.status).toBe(200);
    const page = await shown.text();
    expect(page).toContain('<form method="post"');
    expect(page).toContain(chosen[0]!.titleEn.slice(0, 30).replaceAll('&', '&amp;'));
    expect(await stack.library.get('alice@example.com')).toBeNull();

    let answer = '';
    for (const p of chosen) {
      const res = await fetch(`${stack.apiUrl}/p/${key}/${p.arxivId}`, { method: 'POST' });
      expect(res.status).toBe(200);
      answer = await res.text();
      expect(answer).toContain('Saved ☆');
    }
    expect(answer).toContain('your next mail starts with “For you”');
    // Saving twice changes nothing, and says so.
    expect(await (await fetch(`${stack.apiUrl}/p/${key}/${chosen[0]!.arxivId}`, { method: 'POST' })).text()).toContain('Already in your library');
    const refused = day.find((p) => p.category !== category)!;
    expect(await (await fetch(`${stack.apiUrl}/p/${key}/${refused.arxivId}/no`, { method: 'POST' })).text()).toContain('Noted: not for you');

    // The library: newest first, and a BibTeX export a BibTeX parser reads back.
    const libraryLink = /href="([^"]+\/library\?token=[^"]+)"/.exec(answer)?.[1]?.replaceAll('&amp;', '&');
    expect(libraryLink).toBeTruthy();
    const libraryPage = await (await fetch(libraryLink!)).text();
    const order = chosen.map((p) => libraryPage.indexOf(`arxiv.org/abs/${p.arxivId}`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => b - a)).toEqual(order);
    const bib = await fetch(libraryLink!.replace('/library?', '/library.bib?'));
    expect(bib.headers.get('content-type')).toContain('application/x-bibtex');
    const parsed = parseBibtex(await bib.text(), { english: false });
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries.map((e) => e.fields.eprint).sort()).toEqual(chosen.map((p) => p.arxivId).sort());
    // RIS and CSL-JSON, linked from the page, read back by Citation.js (Zotero's and citeproc-js's formats).
    for (const [path, type] of [['/library.ris', 'application/x-research-info-systems'], ['/library.csl.json', 'application/vnd.citationstyles.csl+json']] as const) {
      expect(libraryPage).toContain(path);
      const res = await fetch(libraryLink!.replace('/library?', `${path}?`));
      expect(res.headers.get('content-type')).toContain(type);
      const items = (await Cite.async(await res.text())).data as { DOI: string }[];
      expect(items.map((i) => i.DOI).sort()).toEqual(chosen.map((p) => `10.48550/arXiv.${p.arxivId}`).sort());
    }
    const stored = await stack.library.rankings(['alice@example.com', 'bob@example.com']);
    expect([...stored.keys()]).toEqual(['alice@example.com']);

    // The next day's mail: "For you" first for alice, ten papers each with the saved paper it is like.
    await stack.ses.clear();
    await stack.ingest({ bytes: fixtureBytes(NEXT), source: `${NEXT}.md` });
    expect((await stack.send(NEXT)).summary).toMatchObject({ sent: 2, failed: 0 });
    const next = mailsTo(await stack.ses.mails(), 'alice@example.com');
    expect(next).toHaveLength(1);
    const html = next[0]!.body.html ?? '';
    const forYou = html.slice(html.indexOf('id="for-you"'), html.indexOf('<h2', html.indexOf('id="for-you"') + 10));
    expect(html.indexOf('id="for-you"')).toBeGreaterThan(0);
    const recommended = [...forYou.matchAll(/<h3[^>]*><a href="https:\/\/arxiv\.org\/abs\/([0-9.]+)/g)].map((m) => m[1]);
    expect(recommended).toHaveLength(10);
    const reasons = [...forYou.matchAll(/<i>“([^”]+)”<\/i>/g)].map((m) => m[1]!);
    expect(reasons).toHaveLength(10);
    for (const r of reasons) expect(chosen.some((p) => p.titleEn.replaceAll('&', '&amp;').startsWith(r.replace(/…$/, '')))).toBe(true);
    // Each recommended paper has its "not for me" link there, and is listed again only in its category (the categories stay whole).
    for (const id of recommended) {
      expect(forYou).toContain(`/p/${key}/${id}/no`);
      expect(forYou.split(`arxiv.org/abs/${id}`).length - 1).toBe(1);
      expect(html.split(`arxiv.org/abs/${id}`).length - 1).toBeLessThanOrEqual(2);
    }
    expect(next[0]!.body.text).toContain('=== For you · 为你推荐 ===');
    // The personal feed in the mail's order: the newest day's "For you" first.
    const feed = /https?:\/\/\S+\/api\/feed\/[^\s/]+\/rss\.xml/.exec(next[0]!.body.text ?? '')?.[0];
    const items = [...(await (await fetch(feed!)).text()).matchAll(/<item>[\s\S]*?<link>https:\/\/arxiv\.org\/abs\/([0-9.]+)/g)].map((m) => m[1]);
    expect(items.slice(0, 10)).toEqual(recommended);
    expect(mailsTo(await stack.ses.mails(), 'bob@example.com')[0]?.body.html).not.toContain('id="for-you"');

    // Bob seeds his library from a Zotero export, uploaded from the library page: three papers of the
    // recent mail (eprint, url, DOI), one arXiv id Paperboy never mailed (no arXiv API here: reported), one journal paper.
    const bobPrefs = linkIn(stack, mailsTo(await stack.ses.mails(), 'bob@example.com')[0], '/preferences');
    const bobLibrary = /href="([^"]+\/library\?token=[^"]+)"/.exec(await (await fetch(bobPrefs)).text())?.[1]?.replaceAll('&amp;', '&');
    expect(bobLibrary).toBeTruthy();
    const seeds = day.filter((p) => !chosen.includes(p) && p !== refused).slice(0, 3);
    const zotero = [
      `@misc{a_2024,\n\ttitle = {{${seeds[0]!.titleEn}}},\n\teprint = {${seeds[0]!.arxivId}},\n\tarchiveprefix = {arXiv},\n}`,
      `@article{b_2024,\n\ttitle = {${seeds[1]!.titleEn}},\n\turl = {http://arxiv.org/abs/${seeds[1]!.arxivId}v1},\n}`,
      `@misc{c_2024,\n\ttitle = {${seeds[2]!.titleEn}},\n\tdoi = {10.48550/arXiv.${seeds[2]!.arxivId}},\n}`,
      '@misc{d_2023,\n\ttitle = {Older},\n\tnote = {arXiv:2301.00001 [cs]},\n}',
      '@article{e_2019,\n\ttitle = {A journal paper},\n\tjournal = {TPAMI},\n\tpages = {1234--1240},\n}',
    ].join('\n\n');
    const upload = new FormData();
    upload.append('do', 'import');
    upload.append('file', new Blob([zotero], { type: 'application/x-bibtex' }), 'My Library.bib');
    const imported = await (await fetch(bobLibrary!, { method: 'POST', body: upload })).text();
    expect(imported).toContain('Found 4 arXiv ids in 5 references (1 without one, 0 repeated): 3 saved, 0 already in your library, 1 not found on arXiv');
    expect((await stack.library.get('bob@example.com'))?.saved.map((e) => e.id).sort()).toEqual(seeds.map((p) => p.arxivId).sort());
    expect((await stack.library.rankings(['bob@example.com'])).size).toBe(1);
    // The same file again changes nothing, and says so.
    const again = new FormData();
    again.append('do', 'import');
    again.append('file', new Blob([zotero]), 'My Library.bib');
    expect(await (await fetch(bobLibrary!, { method: 'POST', body: again })).text()).toContain('0 saved, 3 already in your library');

    // "Download all my data" holds the subscription and the library; "delete my library" empties it and keeps the save links working.
    const data = JSON.parse(await (await fetch(libraryLink!.replace('/library?', '/library.json?'))).text()) as { subscription: { email: string }; library: { saved: { id: string }[]; notForMe: { id: string }[] } };
    expect(data.subscription.email).toBe('alice@example.com');
    expect(data.library.saved.map((e) => e.id)).toEqual([...chosen].reverse().map((p) => p.arxivId));
    expect(data.library.notForMe.map((e) => e.id)).toEqual([refused.arxivId]);
    expect(await (await post(libraryLink!, form({ do: 'delete-library' }))).text()).toContain('are deleted');
    expect(await stack.library.get('alice@example.com')).toBeNull();
    expect((await stack.library.rankings(['alice@example.com'])).size).toBe(0);
    expect(await stack.library.ownerOf(key)).toBe('alice@example.com');
    expect(await (await fetch(`${stack.apiUrl}/p/${key}/${recommended[0]}`, { method: 'POST' })).text()).toContain('Saved ☆');

    // Leaving removes the library, the model and the key: the old save links say so.
    const unsubscribe = linkIn(stack, next[0], '/unsubscribe');
    expect((await fetch(unsubscribe, { method: 'POST' })).status).toBe(200);
    expect(await stack.library.get('alice@example.com')).toBeNull();
    expect(await stack.library.ownerOf(key)).toBeNull();
    expect((await stack.library.rankings(['alice@example.com'])).size).toBe(0);
    const gone = await fetch(`${stack.apiUrl}/p/${key}/${recommended[1]}`, { method: 'POST' });
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('Nothing was saved');
  }, 180_000);
});
