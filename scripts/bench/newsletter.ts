import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mjml2html from 'mjml';
import MailComposer from 'nodemailer/lib/mail-composer';
import { newsletterMjml } from '../../templates/newsletter/newsletter-mjml.ts';
import { newsletterText } from '../../templates/newsletter/newsletter-text.ts';
import { LANGS, type Lang } from '../../functions/domain/language.ts';
import type { Digest } from '../../functions/domain/model.ts';
import { busyDay, withBorrowedAbstracts } from './busy-day.ts';
import { compileEdition } from '../../functions/app/newsletter/compile-edition.ts';
import { CONTENT_LEVELS } from '../../functions/domain/newsletter/edition.ts';
import { buildMime, MimeArena } from '../../functions/domain/newsletter/mime.ts';
import { HTML_BUDGET_BYTES, personalise, type Recipient } from '../../functions/domain/newsletter/personalise.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { planSend } from '../../functions/app/newsletter/plan.ts';
import { type SendBatch } from '../../functions/domain/ports/batch-queue.ts';
import type { Subscriber } from '../../functions/domain/subscribers/subscriber.ts';
import type { SubscriberStore } from '../../functions/domain/ports/subscriber-store.ts';
import { SAMPLE_DIGESTS } from '../local/config.ts';
import { forYouOf } from '../../functions/app/newsletter/for-you.ts';
import { trainReaderModel, type ReaderModel } from '../../functions/domain/ranking/reader-model.ts';
import { readEvalDays } from '../ranking/evaluate.ts';

/** The site and address every edition of the bench is compiled with. */
const EDITION_CONFIG = { siteUrl: 'https://paperboy.example.org', postalAddress: '1 Main St, Springfield' };
import { fmt, peakRssMb } from './stats.ts';

/** Deterministic PRNG so every bench run sees the same random preferences. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Terms readers of cs.CV would follow: English words, prefixes and phrases, and Chinese terms. */
const TERM_POOL = ['diffusion', 'segment*', 'transformer*', 'point cloud', 'NeRF', 'gaussian splatting', '3D', 'detection', 'medical', 'LLM*', 'language model*', 'benchmark', 'zero-shot', 'self-supervised', 'robot*', 'autonomous driving', '扩散', '分割', '检测', '三维', '医学', '大语言模型', '目标跟踪', '自监督'];
const EXCLUDE_POOL = ['video', 'survey', 'medical', '视频', 'remote sensing'];

/** The same readers, 30% of them with 1 to 5 filter terms (keywords and followed authors of the day), some with an exclusion. */
export function withFilters(digest: Digest, recipients: readonly Recipient[], share = 0.3, seed = 7): Recipient[] {
  const rand = mulberry32(seed);
  const authors = digest.sections.flatMap((s) => s.papers.flatMap((p) => p.authors.slice(0, 1)));
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  return recipients.map((r) => {
    if (rand() >= share) return r;
    const n = 1 + Math.floor(rand() * 5);
    const include: string[] = [];
    const followed: string[] = [];
    for (let i = 0; i < n; i++) (rand() < 0.2 ? followed : include).push(rand() < 0.2 ? pick(authors) : pick(TERM_POOL));
    return { ...r, filters: { include: [...new Set(include)], authors: [...new Set(followed)], exclude: rand() < 0.2 ? [pick(EXCLUDE_POOL)] : [], rest: rand() < 0.4 ? 'none' : 'categories' } };
  });
}

/**
 * The same readers as a sender sees them after a month of mail: each with the 30 days of arXiv ids
 * their earlier mails showed (2,000 of them), half of them with 3 of today's papers among those
 * (re-listings), which go to their "Updated" list.
 */
export function withHistory(digest: Digest, recipients: readonly Recipient[]): Recipient[] {
  const past = Array.from({ length: 2000 }, (_, i) => `2402.${String(i).padStart(5, '0')}`);
  const today = digest.sections.flatMap((s) => s.papers.map((p) => p.arxivId));
  const month = new Set(past);
  const monthWithRelistings = new Set([...past, ...today.filter((_, i) => i % 30 === 7).slice(0, 3)]);
  return recipients.map((r, i) => ({ ...r, seen: i % 2 ? monthWithRelistings : month }));
}

export function randomRecipients(digest: Digest, count: number, seed = 42): Recipient[] {
  return [...recipientStream(digest, count, seed)];
}

/** The same readers as `randomRecipients`, one at a time: as a sender gets them, a batch of 50 after another, never all of them. */
export function* recipientStream(digest: Digest, count: number, seed = 42): Generator<Recipient> {
  const rand = mulberry32(seed);
  const slugs = digest.sections.map((s) => s.category.slug);
  for (let i = 0; i < count; i++) {
    const all = rand() < 0.3;
    const chosen = slugs.filter(() => rand() < 0.35);
    yield {
      email: `reader${i}@example.com`,
      lang: LANGS[Math.floor(rand() * 3)] as Lang,
      categories: all ? 'all' : chosen,
      unsubscribeUrl: `https://paperboy.example.org/api/unsubscribe?token=${i.toString(36)}.${'x'.repeat(43)}`,
      preferencesUrl: `https://paperboy.example.org/api/preferences?token=${i.toString(36)}.${'y'.repeat(43)}`,
      languageUrl: `https://paperboy.example.org/api/language?token=${i.toString(36)}.${'y'.repeat(43)}`,
      feedUrl: `https://paperboy.example.org/api/feed/${i.toString(36)}.${'z'.repeat(43)}/rss.xml`,
      // A reader key is 16 characters, whoever the reader.
      actionUrl: `https://paperboy.example.org/api/p/${i.toString(36).padStart(16, 'k')}/`,
    };
  }
}

/**
 * Models of readers who saved 5 to 200 papers of the fixture days before `day` (a run of one
 * category's papers, as a reader following a topic saves them), trained as a click trains them.
 */
export function benchModels(day: string, count = 40, seed = 11): ReaderModel[] {
  const rand = mulberry32(seed);
  const days = readEvalDays(SAMPLE_DIGESTS).filter((d) => d.date < day);
  const all = days.flatMap((d) => d.papers);
  const models: ReaderModel[] = [];
  for (let i = 0; i < count; i++) {
    const category = all[Math.floor(rand() * all.length)]!.category;
    const mine = all.filter((p) => p.category === category);
    const saved = mine.filter(() => rand() < 0.5).slice(0, 5 + Math.floor(rand() * 196));
    const ids = new Set(saved.map((p) => p.id));
    const model = trainReaderModel({ saved, notForMe: [], passedOver: all.filter((p) => !ids.has(p.id)).slice(0, 1500) });
    if (model) models.push(model);
  }
  return models;
}

const envelopeFor = (r: Recipient, date: string) => ({
  from: 'Paperboy <digest@paperboy.example.org>',
  to: r.email,
  date,
  domain: 'paperboy.example.org',
  unsubscribeUrl: r.unsubscribeUrl,
  unsubscribeMailto: 'mailto:unsubscribe@paperboy.example.org',
  listId: 'Paperboy daily <daily.paperboy.example.org>',
});

/** The naive way: one MJML compile per recipient, with their categories and values written in. */
async function naiveMessage(digest: Digest, r: Recipient): Promise<Buffer> {
  const chosen = r.categories === 'all' ? digest : { ...digest, sections: digest.sections.filter((s) => r.categories.includes(s.category.slug)) };
  const links = { archiveUrl: `https://paperboy.example.org/days/${digest.date}.html`, postalAddress: '1 Main St' };
  const fill = (s: string) => s.replaceAll('%%pb:preheader%%', '').replaceAll('%%pb:count%%', '1').replaceAll('%%pb:unsubscribe%%', r.unsubscribeUrl).replaceAll('%%pb:preferences%%', r.preferencesUrl).replaceAll('%%pb:recipient%%', r.email).replaceAll('%%pb:language%%', r.languageUrl).replaceAll('%%pb:feed%%', r.feedUrl).replace(/<!--pb:cat:pb-matches-->[\s\S]*?<!--\/pb:cat:pb-matches-->/g, '').replace(/<!--pb:ab:\d+:s-->[\s\S]*?<!--\/pb:ab:\d+:s-->/g, '').replace(/<!--\/?pb:(?:cat|ab|p):[^>]*-->/g, '');
  const html = (await mjml2html(newsletterMjml(chosen, r.lang, CONTENT_LEVELS[0]!, links))).html;
  return new MailComposer({ from: 'Paperboy <digest@paperboy.example.org>', to: r.email, subject: 'Paperboy', html: fill(html), text: fill(newsletterText(chosen, r.lang, CONTENT_LEVELS[0]!, links)) }).compile().build();
}

/** Papers shown / total and abstracts shown, over every fixture day × language × {all categories, the biggest one}. */
async function benchCoverage(): Promise<void> {
  const days = withBorrowedAbstracts(readdirSync(SAMPLE_DIGESTS).filter((f) => f.endsWith('.md')).map((f) => parseDigest(readFileSync(join(SAMPLE_DIGESTS, f)), f).digest));
  const editions = await Promise.all(days.map((d) => compileEdition(d, EDITION_CONFIG)));
  console.log(`coverage over ${days.length} real days (every paper with both abstracts), HTML budget ${HTML_BUDGET_BYTES} bytes:`);
  for (const lang of LANGS) {
    for (const which of ['all', 'one'] as const) {
      let papers = 0, shown = 0, whole = 0, sentence = 0, everyDay = 0, largest = 0, saveLinks = 0;
      for (const [i, d] of days.entries()) {
        const biggest = [...d.sections].sort((a, b) => b.papers.length - a.papers.length)[0];
        if (!biggest) continue;
        const result = personalise(editions[i]!, { ...benchRecipient, lang, categories: which === 'all' ? 'all' : [biggest.category.slug] });
        if (!result.send) continue;
        const m = result.message;
        papers += m.papers;
        shown += m.shownPapers;
        whole += m.abstracts.whole;
        sentence += m.abstracts.sentence;
        if (m.shownPapers === m.papers) everyDay++;
        if (m.saveLinks) saveLinks++;
        largest = Math.max(largest, m.htmlBytes);
      }
      console.log(`  ${lang.padEnd(2)} ${which === 'all' ? 'all categories' : 'biggest one   '}: papers shown ${shown}/${papers} (every paper on ${everyDay}/${days.length} days); abstracts whole ${whole}, first sentence ${sentence}, none ${shown - whole - sentence}; save links on ${saveLinks}/${days.length} days; largest HTML ${largest} bytes`);
    }
  }
  const busy = busyDay(220);
  const edition = await compileEdition(busy, EDITION_CONFIG);
  for (const lang of LANGS) {
    const result = personalise(edition, { ...benchRecipient, lang, categories: 'all' });
    if (!result.send) continue;
    const m = result.message;
    console.log(`  220-paper day, ${lang}, all categories: ${m.shownPapers}/${m.papers} papers, save links ${m.saveLinks ? 'on every paper' : 'left out (no room)'}, abstracts whole ${m.abstracts.whole} / first sentence ${m.abstracts.sentence}, HTML ${Buffer.byteLength(m.html())} bytes${m.shownPapers === m.papers && Buffer.byteLength(m.html()) <= HTML_BUDGET_BYTES ? ' — every paper, under budget' : ' — NOT every paper'}`);
  }
}

const benchRecipient: Recipient = {
  email: 'reader@example.com',
  lang: 'bi',
  categories: 'all',
  unsubscribeUrl: `https://paperboy.example.org/api/unsubscribe?token=a.${'x'.repeat(43)}`,
  preferencesUrl: `https://paperboy.example.org/api/preferences?token=a.${'y'.repeat(43)}`,
  languageUrl: `https://paperboy.example.org/api/language?token=a.${'y'.repeat(43)}`,
  feedUrl: `https://paperboy.example.org/api/feed/a.${'z'.repeat(43)}/rss.xml`,
  actionUrl: 'https://paperboy.example.org/api/p/kkkkkkkkkkkkkkkk/',
};

interface RunFigures {
  readonly sent: number;
  readonly skipped: number;
  readonly matched: number;
  readonly wallMs: number;
  readonly cpuS: number;
}

/**
 * Personalises and encodes every recipient's message as the sender does, one after another, and
 * prints the figures. `prepare` runs inside the timing, as the sender's own per-reader work does
 * (ranking a reader's "For you").
 */
function personaliseAll(edition: Awaited<ReturnType<typeof compileEdition>>, date: string, recipients: Iterable<Recipient>, label: string, prepare?: (r: Recipient) => Recipient): RunFigures {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let sent = 0;
  let skipped = 0;
  let matched = 0;
  let bytes = 0;
  let personaliseMs = 0;
  const perLang = Object.fromEntries(LANGS.map((l) => [l, { bytes: 0, messages: 0, html: { base64: 0, 'quoted-printable': 0 } }])) as Record<Lang, { bytes: number; messages: number; html: Record<'base64' | 'quoted-printable', number> }>;
  let mimeMs = 0;
  // As the sender does: one message after another, each built into the memory of the one before.
  const arena = new MimeArena();
  let withForYou = 0;
  for (const given of recipients) {
    const a = performance.now();
    const r = prepare ? prepare(given) : given;
    const result = personalise(edition, r);
    const b = performance.now();
    personaliseMs += b - a;
    if (!result.send) {
      skipped++;
      continue;
    }
    if (result.message.matches > 0) matched++;
    if (result.message.forYou > 0) withForYou++;
    const mime = buildMime(result.message, envelopeFor(r, date), arena);
    mimeMs += performance.now() - b;
    bytes += mime.length;
    const per = perLang[r.lang];
    per.bytes += mime.length;
    per.messages++;
    per.html[result.message.htmlBody.encoding]++;
    sent++;
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(`personalised ${sent} messages, ${label} (${skipped} skipped: nothing for them), ${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB of MIME`);
  console.log(`  wall ${(wallMs / 1000).toFixed(1)} s, CPU ${cpuS.toFixed(1)} s (goal ≤ 5 s); ${(sent / (wallMs / 1000)).toFixed(0)} messages/s`);
  console.log(`  time: personalise (HTML + text assembly${prepare ? ', ranking' : ''}) ${(personaliseMs / 1000).toFixed(1)} s, MIME ${(mimeMs / 1000).toFixed(1)} s${prepare ? `; ${withForYou} mails with “For you”` : ''}`);
  for (const lang of LANGS) {
    const p = perLang[lang];
    console.log(`  MIME per ${lang} message: ${(p.bytes / Math.max(1, p.messages) / 1024).toFixed(1)} KB on average; HTML part base64 in ${p.html.base64}, QP in ${p.html['quoted-printable']}`);
  }
  return { sent, skipped, matched, wallMs, cpuS };
}

/** The readers as the store lists them to the planner: confirmed records with their choices. */
function asSubscribers(recipients: readonly Recipient[]): Subscriber[] {
  const at = '2024-03-01T00:00:00.000Z';
  return recipients.map((r) => ({
    email: r.email, lang: r.lang, categories: r.categories, weekly: null, repeats: r.repeats ?? 'updated',
    ...(r.filters ? { filters: r.filters } : {}),
    status: 'confirmed', createdAt: at, updatedAt: at, confirmedAt: at, tokenGeneration: 1, confirmationsSent: [], version: 1, log: [], schema: 2,
  }));
}

/**
 * The day as the service runs it: the planner lists the readers and queues them in batches (in
 * mail order), and the senders personalise batch after batch, on an edition compiled afresh so
 * no shape of the earlier passes is reused.
 */
async function plannedRun(digest: Digest, recipients: readonly Recipient[], randomOrderCpuS: number): Promise<void> {
  const store: SubscriberStore = {
    listConfirmed: async () => ({ readers: asSubscribers(recipients), unreadable: [] }),
    get: async () => null,
    apply: async () => { throw new Error('the bench plans only'); },
  };
  const batches: SendBatch[] = [];
  const cpu0 = process.cpuUsage();
  const plan = await planSend({ subscribers: store, queue: { enqueue: async (b) => void batches.push(...b) } }, { date: digest.date, parsedKey: `parsed/${digest.date}.json` });
  const planCpu = process.cpuUsage(cpu0);
  console.log(`planned ${plan.recipients} readers into ${plan.batches} batches of 50: CPU ${((planCpu.user + planCpu.system) / 1e6).toFixed(2)} s (listing from the store not counted)`);
  const byEmail = new Map(recipients.map((r) => [r.email, r]));
  const queued = batches.flatMap((b) => b.emails.map((e) => byEmail.get(e)!));
  const edition = await compileEdition(digest, EDITION_CONFIG);
  const run = personaliseAll(edition, digest.date, queued, 'the same readers, filters and all, in the planner\'s batches');
  console.log(`  in the planner's order: CPU ${run.cpuS.toFixed(1)} s against ${randomOrderCpuS.toFixed(1)} s in random order`);
}

/**
 * "For you" as the issue measures it: a 250-paper day, 30% of the readers with a model (each one's
 * list ranked, with reasons, as the sender does it, inside the timing), against the same readers
 * without. Each pass on an edition compiled afresh: a pass on one whose shapes earlier passes
 * worked out costs less (measured: 2.7 s less for 20,000 readers), which hid part of the cost.
 */
async function forYouRun(modelsBefore: string, count: number): Promise<void> {
  const digest = busyDay(250);
  const recipients = randomRecipients(digest, count, 7);
  const models = benchModels(modelsBefore);
  console.log(`## “For you” (a 250-paper day; ${count} recipients, random preferences)`);
  const plain = personaliseAll(await compileEdition(digest, EDITION_CONFIG), digest.date, recipients, 'none with a model');
  const edition = await compileEdition(digest, EDITION_CONFIG);
  const profiled = new Map(recipients.filter((_, i) => i % 10 < 3).map((r, i) => [r.email, models[i % models.length]!]));
  const ranked = personaliseAll(edition, digest.date, recipients, `${profiled.size} of them (30%) with a model of 5-200 saved papers (“For you”, 10 papers)`, (r) => {
    const model = profiled.get(r.email);
    return model ? { ...r, forYou: forYouOf(edition, { model, size: 10, saved: model.saved.length })! } : r;
  });
  const perReader = ((ranked.cpuS - plain.cpuS) * 1000) / Math.max(1, profiled.size);
  console.log(`  “For you” costs ${(ranked.cpuS - plain.cpuS).toFixed(1)} s of CPU more for ${count} (${ranked.cpuS.toFixed(1)} s against ${plain.cpuS.toFixed(1)} s; goal ≤ 5 s more): ${perReader.toFixed(2)} ms a ranked reader`);
}

export async function benchNewsletter(count = Number(process.env.BENCH_RECIPIENTS ?? 100_000)): Promise<void> {
  const day = '2024-03-04';
  const digest = parseDigest(readFileSync(join(SAMPLE_DIGESTS, `${day}.md`)), `${day}.md`).digest;
  console.log(`## newsletter (${day}: ${digest.sections.reduce((n, s) => n + s.papers.length, 0)} papers, ${digest.sections.length} categories; ${count} recipients, random preferences)`);

  const t0 = performance.now();
  const edition = await compileEdition(digest, EDITION_CONFIG);
  const compileMs = performance.now() - t0;
  console.log(`compiled edition: ${CONTENT_LEVELS.length} levels × 3 languages in ${fmt(compileMs)}`);
  // The readers come one at a time, as a sender's batches bring them: a sender never holds the
  // day's readers (the planner does, in a Lambda of its own), and the 100,000 of the passes below
  // took ~250 MB of the bench's own peak (measured: ~310 MB streamed, ~560 MB with them all held).
  const plain = personaliseAll(edition, digest.date, recipientStream(digest, count), 'no filters');
  const ours = plain.wallMs / Math.max(1, plain.sent);
  console.log(`  peak memory (RSS) of the personalised run, readers streamed as a sender gets them: ${peakRssMb().toFixed(0)} MB (goal < 512 MB)`);
  const recipients = randomRecipients(digest, count);
  const filtered = withFilters(digest, recipients);
  const withTerms = filtered.filter((r) => r.filters).length;
  const run = personaliseAll(edition, digest.date, filtered, `${withTerms} of them (${((100 * withTerms) / count).toFixed(0)}%) with 1-5 filter terms`);
  console.log(`  filters cost ${(run.cpuS - plain.cpuS).toFixed(1)} s of CPU more for ${count} (${run.cpuS.toFixed(1)} s against ${plain.cpuS.toFixed(1)} s); ${run.matched} readers had matches, ${run.skipped - plain.skipped} more skipped (nothing matched and they want only matches)`);

  await plannedRun(digest, filtered, run.cpuS);

  await forYouRun(day, count);

  // Against the same readers without history, each pass on an edition compiled afresh: the first
  // pass also paid for the JIT and the heap's growth (measured: history read 2.6 s cheaper than it).
  const warm = personaliseAll(await compileEdition(digest, EDITION_CONFIG), digest.date, recipients, 'no filters, again (the baseline of the history pass)');
  const history = personaliseAll(await compileEdition(digest, EDITION_CONFIG), digest.date, withHistory(digest, recipients), 'each with 30 days of mailed ids (2,000), half of them with 3 of today\'s papers among them');
  console.log(`  30 days of history cost ${(history.cpuS - warm.cpuS).toFixed(1)} s of CPU more for ${count} (${history.cpuS.toFixed(1)} s against ${warm.cpuS.toFixed(1)} s)`);

  const sample = recipients.slice(0, 20);
  const n0 = performance.now();
  for (const r of sample) await naiveMessage(digest, r);
  const naive = (performance.now() - n0) / sample.length;
  console.log(`naive (one mjml2html per recipient), timed on ${sample.length}: ${fmt(naive)} per message → ${((naive * count) / 1000 / 60).toFixed(0)} min for ${count}`);
  console.log(`speed-up: ${(naive / ours).toFixed(0)}× (goal ≥ 300×)`);
  console.log(`peak memory (RSS) after the naive sample too: ${peakRssMb().toFixed(0)} MB`);
  await benchCoverage();
}
