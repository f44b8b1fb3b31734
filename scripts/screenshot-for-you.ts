/**
 * docs/for-you.png, the README's picture of "For you": a reader saves three papers of one day's
 * mail on the local stack (through the POST page, as a click does), and the next day's mail is
 * opened in headless Chromium at 600 px. Run: npx tsx scripts/screenshot-for-you.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { papersOf } from '../functions/domain/model.ts';
import { parseDigest } from '../functions/domain/parse-digest.ts';
import { readerKeyFor } from '../functions/domain/subscribers/tokens.ts';
import { launchChromium } from './local/browser.ts';
import { SAMPLE_DIGESTS } from './local/config.ts';
import { startLocalStack } from './local/stack.ts';
import { solvedAltcha } from './local/subscribe-client.ts';

const [FIRST, NEXT] = ['2024-02-26', '2024-03-04'];
const dir = mkdtempSync(join(tmpdir(), 'paperboy-shot-'));
const secret = 'screenshot-secret';
const stack = await startLocalStack({ dir, tokenSecret: secret, limits: { perAddressPerHour: 0, perNetworkPerHour: 0, mailsPerHour: 0, perMailboxPerDay: 0 }, proof: { cost: 1, counterMin: 1, counterMax: 64, minFillSeconds: 0 }, dynamoInMemory: true });
try {
  const email = 'reader@example.com';
  await fetch(`${stack.apiUrl}/subscribe`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, lang: 'bi', categories: 'all', altcha: await solvedAltcha(stack.apiUrl) }) });
  const confirm = /https?:\/\/\S+\/api\/confirm\?token=[^\s"<>]+/.exec((await stack.ses.mails())[0]?.body.text ?? '')?.[0];
  await fetch(confirm!, { method: 'POST' });
  const bytes = (day: string) => readFileSync(join(SAMPLE_DIGESTS, `${day}.md`));
  await stack.ingest({ bytes: bytes(FIRST), source: `${FIRST}.md` });
  await stack.send(FIRST);
  const papers = papersOf(parseDigest(bytes(FIRST), `${FIRST}.md`).digest);
  const category = papers[0]!.category;
  for (const p of papers.filter((q) => q.category === category).slice(0, 3)) await fetch(`${stack.apiUrl}/p/${readerKeyFor(secret, email)}/${p.arxivId}`, { method: 'POST' });
  await stack.ses.clear();
  await stack.ingest({ bytes: bytes(NEXT), source: `${NEXT}.md` });
  await stack.send(NEXT);
  const html = (await stack.ses.mails())[0]?.body.html ?? '';
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 600, height: 1800 } });
  await page.setContent(html);
  const top = await page.locator('#for-you').boundingBox();
  await page.screenshot({ path: join('docs', 'for-you.png'), clip: { x: 0, y: Math.max(0, (top?.y ?? 0) - 120), width: 600, height: 1500 } });
  await browser.close();
  console.log('wrote docs/for-you.png');
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
