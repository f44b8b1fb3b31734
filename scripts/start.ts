/**
 * npm start [-- --once] [--port 8080] [--fresh] [--source url|arxiv] [--listing FILE]
 * The whole pipeline on this machine with the same domain code the Lambdas run: S3, DynamoDB and SES
 * emulators on 127.0.0.1, ingest of the bundled sample days (or, with `--source arxiv`, Paperboy's
 * own digest produced from a recorded arXiv listing), feeds and pages, a demo subscriber who
 * subscribes and confirms through the API, and the newest day's newsletter sent. Serves until Ctrl-C.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatSummary, summarise, type DayResult } from '../functions/app/ingest/ingest-runs.ts';
import { formatProduce } from '../functions/app/ingest/produce-day.ts';
import { LOCAL_ROOT, SAMPLE_ARXIV, SAMPLE_DIGESTS, SAMPLE_TABLE_DIGESTS } from './local/config.ts';
import { startLocalArxiv } from './local/arxiv-server.ts';
import { digestFiles, ingestFiles } from './local/ingest-folder.ts';
import { subscribeWithProof } from './local/subscribe-client.ts';
import { feedUrl, preferencesUrl } from '../functions/domain/subscribers/links.ts';
import { isoWeekday } from '../functions/domain/sending/week.ts';
import { startLocalStack } from './local/stack.ts';
import { readOptions } from './local/cli.ts';

const values = readOptions('npm start', 'Runs the whole pipeline on this machine on the bundled sample days and serves it on 127.0.0.1 (README, "Local walk-through").', {
  once: { type: 'boolean', default: false, help: 'run the pipeline once and exit instead of serving' },
  port: { type: 'string', default: '8080', value: 'PORT', help: 'the site server port (a taken port falls back to a free one)' },
  fresh: { type: 'boolean', default: false, help: 'start from empty: remove .local/ first (PAPERBOY_LOCAL_DIR moves it)' },
  resend: { type: 'boolean', default: false, help: 'plan and send the newest day again: readers who have not had it (subscribed since) get it; no one gets it twice' },
  source: { type: 'string', default: 'url', value: 'url|arxiv', help: 'the sample digests, or the producer on a recorded arXiv listing' },
  listing: { type: 'string', default: join(SAMPLE_ARXIV, 'listing-2024-02-05.xml'), value: 'FILE', help: 'the recorded listing the producer reads with --source arxiv' },
});
if (values.source !== 'url' && values.source !== 'arxiv') {
  console.error(`npm start: --source ${values.source}: expected "url" (the sample digests) or "arxiv" (the producer on a recorded listing)`);
  process.exit(2);
}
if (values.fresh) rmSync(LOCAL_ROOT, { recursive: true, force: true });

const started = Date.now();
const arxiv = await startLocalArxiv({ dir: SAMPLE_ARXIV });
arxiv.setListing('cs.CV', readFileSync(values.listing, 'utf8'));
const stackOptions = { dir: LOCAL_ROOT, arxivEndpoint: arxiv.apiEndpoint, arxivListingEndpoint: arxiv.listingEndpoint, keepRawMail: true };
const stack = await startLocalStack({ ...stackOptions, port: Number(values.port) }).catch(async (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EADDRINUSE') throw err;
  console.log(`port ${values.port} is taken; using a free one`);
  return startLocalStack(stackOptions);
});
console.log(`Paperboy, locally: S3 ${stack.s3.endpoint}, DynamoDB ${stack.dynamo.endpoint}, SES ${stack.ses.endpoint}, arXiv API (recorded answers) ${arxiv.apiEndpoint} (data under ${LOCAL_ROOT})`);

// 1. Ingest the sample days as the upload trigger and the backfill do. Where a day has a copy in the
//    table format (the only one published today), that copy is read, and its abstracts come from arXiv.
//    With --source arxiv, the producer makes the day from the recorded listing instead, as it does in AWS.
let results: DayResult[];
if (values.source === 'arxiv') {
  const { produced, ingested } = await stack.produce();
  console.log(`produce: ${formatProduce(produced)}`);
  results = ingested ? [{ date: ingested.date ?? '', source: 'producer', status: ingested.status, outcome: ingested }] : [];
} else {
  results = await ingestFiles(digestFiles([SAMPLE_DIGESTS, SAMPLE_TABLE_DIGESTS], 'table-only-where-present'), (input) => stack.ingest(input));
}
const ingest = summarise(results);
console.log(`ingest:  ${formatSummary(ingest)}`);
const fetched = stack.enrichments.reduce((n, o) => n + o.fetched, 0);
const completedDays = stack.enrichments.filter((o) => o.fetched > 0).map((o) => `${o.date} ${o.withAbstract}/${o.papers}`);
console.log(
  `abstracts: ${fetched} fetched from the arXiv API in ${arxiv.requests.length} request(s)${completedDays.length ? ` (${completedDays.join(', ')} papers with abstracts)` : ''}; ` +
    `${stack.enrichments.reduce((n, o) => n + o.missing, 0)} not in the recording stay without one`,
);
// Only a day ingested in this run has a DigestReady event to send from; --resend plans the newest published day from its index.
const ingestedNow = results.filter((r) => r.status === 'ingested').map((r) => r.date).sort().at(-1);

// 2. Feeds and pages, as the publisher does on DigestReady.
const published = await stack.publish();
console.log(`publish: ${published.files} files (${published.uploaded.length} written, ${published.unchanged} unchanged), newest day ${published.newestDay ?? 'none'}, search shards built: ${published.searchShards.join(' ') || 'none'}`);

// 3. Readers go through the real double opt-in: the form with its proof of work (solved here as
// the widget solves it in a browser), the confirmation mail, the link; then, for two of them, the
// preferences page.
const CONFIRM_LINK = /https?:\/\/\S+\/api\/confirm\?token=[^\s"<>]+/;
async function subscribeAndConfirm(email: string, lang: 'bi' | 'en' | 'zh', categories: string[]) {
  const subscribed = await subscribeWithProof(stack.apiUrl, { email, lang, categories });
  const link = CONFIRM_LINK.exec((await stack.ses.mails()).filter((m) => m.destination.to.includes(email)).at(-1)?.body.text ?? '')?.[0];
  if (link) await fetch(link, { method: 'POST' });
  return { status: subscribed.status, confirmed: !!link, reader: await stack.subscribers.get(email) };
}
/** Saves settings the way the preferences page's form posts them. */
async function savePreferences(email: string, generation: number, fields: Record<string, string>) {
  const form = new URLSearchParams({ categories: 'all', include: '', exclude: '', authors: '', rest: 'categories', repeats: 'updated', do: 'save', ...fields });
  const saved = await fetch(preferencesUrl(stack.senderConfig, email, generation, new Date()), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  await saved.body?.cancel();
}

const demo = 'demo.reader@example.com';
const proofStarted = performance.now();
const subscribed = await subscribeAndConfirm(demo, 'bi', ['generative', 'multimodal', '3d-cg']);
const proofMs = Math.round(performance.now() - proofStarted);
console.log(`subscribe: ${demo} → HTTP ${subscribed.status} (proof of work solved in ${proofMs} ms), ${subscribed.confirmed ? 'confirmed through the link in its mail' : 'no new confirmation mail (already subscribed)'}; status ${subscribed.reader?.status ?? 'none'}`);
// A second reader follows keywords.
const filterReader = 'filters.reader@example.com';
const { reader } = await subscribeAndConfirm(filterReader, 'bi', ['all']);
const filterPrefs = reader ? preferencesUrl(stack.senderConfig, filterReader, reader.tokenGeneration, new Date()) : null;
const filterFeed = reader ? feedUrl(stack.senderConfig, filterReader, reader.tokenGeneration, reader.feedGeneration ?? 0, 'rss') : null;
if (reader) await savePreferences(filterReader, reader.tokenGeneration, { lang: 'bi', include: 'diffusion, "gaussian splatting", 扩散, segment*' });
// A third reader takes the weekly mail, on the weekday after the newest day.
const weeklyReader = 'weekly.reader@example.com';
const weeklySub = (await subscribeAndConfirm(weeklyReader, 'zh', ['all'])).reader;
const weekDate = ingestedNow ? new Date(Date.parse(`${ingestedNow}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : null;
if (weeklySub && weekDate) await savePreferences(weeklyReader, weeklySub.tokenGeneration, { lang: 'zh', frequency: String(isoWeekday(weekDate)) });
console.log(`filters: ${filterReader} follows diffusion, "gaussian splatting", 扩散, segment* (status ${(await stack.subscribers.get(filterReader))?.status ?? 'none'})`);
// As in AWS, the API function's own URL refuses what did not come through the site (CloudFront).
const direct = await fetch(`${stack.functionUrl}/api/subscribe`);
await direct.body?.cancel();
console.log(`api:     through the site ${stack.apiUrl}/subscribe; called directly at ${stack.functionUrl} → HTTP ${direct.status}`);

// 4. The newest day's newsletter, planned and sent through the queue and the SES emulator.
let sendLine = 'send:    no new day in this run: its newsletter went out in an earlier one (npm start -- --resend sends it to readers who have not had it; --fresh starts over)';
const newest = ingestedNow ?? (values.resend ? published.newestDay ?? undefined : undefined);
if (newest) {
  const before = (await stack.ses.mails()).length;
  const sent = await stack.send(newest, { fromIndex: values.resend }).catch((err: Error) => {
    if (/no DigestReady event/.test(err.message)) return null;
    throw err;
  });
  const after = await stack.ses.mails();
  const newsletters = after.slice(before);
  sendLine = sent
    ? `send:    ${newest}: sent ${sent.summary.sent}, skipped ${sent.summary.skipped}, suppressed ${sent.summary.suppressed}, failed ${sent.summary.failed} — ${newsletters.map((m) => `"${m.subject}" to ${m.destination.to.join(', ')}`).join('; ') || 'already sent in an earlier run'}`
    : `send:    nothing new to send`;
  const theirs = newsletters.find((m) => m.destination.to.includes(filterReader));
  if (theirs) sendLine += `\n         ${filterReader}: ${(/<h2 id="matches">[\s\S]*?\((\d+)\)/.exec(theirs.body.html ?? '') ?? [])[1] ?? 0} matches first, terms marked`;
}
console.log(sendLine);
if (weekDate && newest) {
  const before = (await stack.ses.mails()).length;
  const week = await stack.sendWeek(weekDate);
  const mail = (await stack.ses.mails()).slice(before).find((m) => m.destination.to.includes(weeklyReader));
  console.log(`weekly:  ${weekDate} (weekday ${isoWeekday(weekDate)}): ${week ? `${week.papers} papers of ${week.days} mailed day(s), sent ${week.summary.sent}` : 'no day mailed the week before'}${mail ? ` — "${mail.subject}" to ${weeklyReader}` : ''}`);
}
if (filterFeed) {
  const feed = await fetch(filterFeed);
  const items = (await feed.text()).match(/<item>/g)?.length ?? 0;
  console.log(`feed:    ${filterReader}'s personal feed → HTTP ${feed.status}, ${items} items`);
}

console.log(`
Look:
  site and feeds   ${stack.server.url}/            (all feeds: ${stack.server.url}/feeds.opml)
  newest day       ${stack.server.url}/days/${published.newestDay ?? ''}.html
  its BibTeX       ${stack.server.url}/days/${published.newestDay ?? ''}.bib
  search           ${stack.server.url}/search.html?q=${encodeURIComponent('高斯泼溅')}   (English or 中文)
  subscribe        ${stack.apiUrl}/subscribe
  preferences      ${filterPrefs ?? '(none)'}   (filters, preview, personal feed)
  personal feed    ${filterFeed ?? '(none)'}
  mailbox (SES)    ${stack.ses.mailboxUrl}
  raw mail (.eml)  ${stack.server.url}/local/mail/   (every message as sent, headers included)
done in ${((Date.now() - started) / 1000).toFixed(1)} s`);

if (values.once) {
  await stack.stop();
  await arxiv.stop();
  console.log('ok (--once)');
} else {
  console.log('serving; press Ctrl-C to stop');
  const stop = () => void Promise.all([stack.stop(), arxiv.stop()]).then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
