import { describe, expect, it } from 'vitest';
import { entryOf, savedMarks, savePaper } from '../../functions/domain/library/library.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { readerKeyFor } from '../../functions/domain/subscribers/tokens.ts';
import { solvedAltcha } from '../../scripts/local/subscribe-client.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { form, linkIn, mailsTo, motoStack, post } from '../support/moto-stack.ts';

const DAY = '2024-03-04';
const SECRET = 'library-news-secret';
const EMAIL = 'keeper@example.com';
// DynamoDB and S3 on moto_server: the library's conditional write after the send runs on the real semantics.
const local = motoStack('library-news', SECRET);

/** Issue 34.5: a saved paper listed again with a change is told once in the mail, and the library page shows it. */
describe('library news on the local stack', () => {
  it('tells a saved paper\'s new version and code link in "Your library", records them in the library, and does not tell them again', async () => {
    const stack = local.stack;
    expect((await post(`${stack.apiUrl}/subscribe`, form({ email: EMAIL, lang: 'en', categories: 'all', altcha: await solvedAltcha(stack.apiUrl) }))).status).toBe(202);
    expect((await fetch(linkIn(stack, mailsTo(await stack.ses.mails(), EMAIL)[0], '/confirm'), { method: 'POST' })).status).toBe(200);
    await stack.ses.clear();

    // Saved a week earlier at the version before, without the code link this listing has.
    const papers = papersOf(parseDigest(fixtureBytes(DAY), `${DAY}.md`).digest);
    const relisted = papers.find((p) => p.version !== null && p.version > 1 && p.codeUrl)!;
    const earlier = { ...entryOf(relisted, '2024-02-26', new Date('2024-02-26T09:00:00Z')), version: relisted.version! - 1, codeUrl: null };
    const { next } = await stack.library.apply(EMAIL, (prev) => savePaper(prev, EMAIL, earlier, new Date('2024-02-26T09:00:00Z')));
    await stack.library.putRanking(EMAIL, { model: null, size: 10, saved: 1, library: savedMarks(next) });

    await stack.ingest({ bytes: fixtureBytes(DAY), source: `${DAY}.md` });
    expect((await stack.send(DAY)).summary.sent).toBe(1);
    const mail = mailsTo(await stack.ses.mails(), EMAIL)[0]!;
    const html = mail.body.html ?? '';
    const section = html.slice(html.indexOf('id="your-library"'), html.indexOf('<h2', html.indexOf('id="your-library"') + 10));
    expect(section).toContain(`new version v${relisted.version}; now with code`);

    // The library took the news: the entry is at the new version with its code link, and remembers when it was told.
    const entry = (await stack.library.get(EMAIL))?.saved.find((e) => e.id === relisted.arxivId);
    expect(entry).toMatchObject({ version: relisted.version, codeUrl: relisted.codeUrl, updates: [{ day: DAY, version: relisted.version, codeUrl: relisted.codeUrl, journalRef: null }] });
    // The marks the next mail compares with moved on: the same listing again is no news.
    const marks = (await stack.library.rankings([EMAIL])).get(EMAIL)?.library;
    expect(marks).toEqual([{ id: relisted.arxivId, v: relisted.version, c: true }]);

    // The library page says so (reached from the answer page of a save, as a reader would).
    const key = readerKeyFor(SECRET, EMAIL);
    const other = papers.find((p) => p.arxivId !== relisted.arxivId)!;
    const answer = await (await fetch(`${stack.apiUrl}/p/${key}/${other.arxivId}`, { method: 'POST' })).text();
    const libraryLink = /href="([^"]+\/library\?token=[^"]+)"/.exec(answer)?.[1]?.replaceAll('&amp;', '&');
    expect(libraryLink).toBeDefined();
    const page = await (await fetch(libraryLink!)).text();
    const block = page.slice(page.indexOf(`arxiv.org/abs/${relisted.arxivId}`));
    expect(block).toMatch(new RegExp(`v${relisted.version}</p><div class="updated"><strong>Updated <span lang="zh-CN">已更新</span></strong><ul><li><time datetime="${DAY}">${DAY}</time>: <span lang="en">new version v${relisted.version}</span>`));
    expect(block).toContain('<span lang="en">now with code</span> · <span lang="zh-CN">附代码</span>');
  });
});
