import type { ApiConfig } from '../../domain/subscribers/api-config.ts';
import { alreadyUnsubscribedPage, confirmBrokenPage, confirmedPage, confirmPage, confirmSpentPage, languagePage, unsubscribedPage, messagePage, preferencesPage, subscribePage, unsubscribePage, type SubscribeForm } from '../../../templates/subscription/pages.ts';
import type { SubscriberStore } from '../../domain/ports/subscriber-store.ts';
import { viewerAddress } from '../../domain/abuse/client-network.ts';
import type { Counters } from '../../domain/ports/counters.ts';
import { altchaChallenge, checkProof, formToken } from '../../domain/abuse/human-proof.ts';
import { fromOrigin, ORIGIN_HEADER } from '../../domain/abuse/origin-secret.ts';
import { takeClientAllowance, takeMailAllowance } from '../../domain/abuse/subscribe-limits.ts';
import { mailboxOf } from '../../domain/subscribers/mailbox.ts';
import { knownCategories } from '../../domain/categories.ts';
import { formatTerms, readFilters, type Filters } from '../../domain/filters/filter-terms.ts';
import { personalEntries, personalFeedHead, previewCounts } from '../../domain/filters/personal-feed.ts';
import { fitFeed } from '../../domain/feeds/fit-feed.ts';
import { renderAtom, renderRss } from '../../domain/feeds/render-feeds.ts';
import type { Digest } from '../../domain/model.ts';
import { createHash } from 'node:crypto';
import { html } from '../../domain/html.ts';
import { bilingualHtml, LANG_LABEL, LANGS, type Lang } from '../../domain/language.ts';
import type { Mailer } from '../../domain/ports/mailer.ts';
import { normaliseAddress } from '../../domain/subscribers/address.ts';
import { actionBaseUrl, confirmUrl, feedUrl, libraryUrl, preferencesUrl } from '../../domain/subscribers/links.ts';
import { alreadySubscribedMail, confirmationMail } from '../../domain/subscribers/notifications.ts';
import { confirm, filtersOf, resetFeed, subscribe, unsubscribe, updatePreferences, type Preferences, type Subscriber, type Weekday } from '../../domain/subscribers/subscriber.ts';
import { readerKeyFor, verifyToken } from '../../domain/subscribers/tokens.ts';
import type { LibraryStore } from '../../domain/ports/library-store.ts';
import { notForMeActionPath, readActionPath, saveActionPath, type ActionRequest } from '../../domain/library/actions.ts';
import { DEFAULT_FOR_YOU_SIZE, emptyLibrary, removePaper, setForYouSize, type Library, type LibraryEntry } from '../../domain/library/library.ts';
import { libraryBibtex, libraryCslJson, libraryRis } from '../../domain/library/exports.ts';
import { actionDonePage, libraryPage, paperActionPage, type ShownPaper } from '../../../templates/subscription/library-pages.ts';
import { findListed, forYouOfDay, importIds, recordAction, retrain, type ImportSummary, type ListedPaper } from './library.ts';
import { findArxivIds, uploadedFile } from '../../domain/library/import-ids.ts';
import type { ArxivMetadataSource } from '../../domain/ports/arxiv-source.ts';

export interface ApiRequest {
  readonly method: string;
  /** Path relative to the API root, e.g. `/subscribe`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  /** The address the request came from as the function sees it (behind CloudFront: an edge's). */
  readonly ip: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the subscribe form's defences turned away, for metrics and the held-back alarm. */
export type GuardEvent = 'origin-refused' | 'honeypot' | 'no-proof' | 'proof-reused' | 'rate-limited' | 'mail-held-back';

export interface ApiDeps {
  readonly store: SubscriberStore;
  readonly mailer: Mailer;
  readonly config: ApiConfig;
  /** Hourly limits and spent proofs, shared by every container. */
  readonly counters: Counters;
  /**
   * The origin secrets CloudFront may send (current and, during a rotation, previous): a request
   * without one did not come through CloudFront and is refused. Absent only in unit tests.
   */
  readonly originSecrets?: () => Promise<readonly string[]>;
  readonly onGuard?: (event: GuardEvent) => void;
  /** The mailed days of the last 30 days, oldest first: readers' personal feeds, and the newest for the preferences page's preview; absent: empty feeds, no preview. */
  readonly feedDays?: () => Promise<readonly Digest[]>;
  /** Readers' libraries and the keys of their save links; absent: those links answer that saving is not set up here. */
  readonly library?: LibraryStore;
  /** arXiv's API, for imported papers the recent mail does not hold; absent: those are reported unknown. */
  readonly arxiv?: ArxivMetadataSource | null;
  readonly now?: () => Date;
}

// Room for the preferences form: three filter boxes of up to 1,500 characters, percent-encoded.
export const MAX_BODY_BYTES = 32 * 1024;
/** An import (a reference manager's export of a few thousand entries) may be larger; Lambda takes 6 MB. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** What an import did, in both languages. */
function importNotice(s: ImportSummary): string {
  if (s.references === 0 || s.found === 0) return `No arXiv id found${s.references ? ` in ${s.references} references` : ''}; nothing changed. · 未找到 arXiv 编号，未作更改。`;
  const parts = [`${s.added} saved`, `${s.already} already in your library`];
  if (s.unknown.length) parts.push(`${s.unknown.length} not found on arXiv or not looked up yet (${s.unknown.slice(0, 5).join(', ')}${s.unknown.length > 5 ? ', …' : ''}; an import looks up 200, import the file again for more)`);
  if (s.full) parts.push(`${s.full} left out: a library holds 500 papers`);
  return `Found ${s.found} arXiv ${s.found === 1 ? 'id' : 'ids'} in ${s.references} ${s.references === 1 ? 'reference' : 'references'} (${s.withoutId} without one, ${s.duplicates} repeated): ${parts.join(', ')}. · 在 ${s.references} 条文献中找到 ${s.found} 个 arXiv 编号：新收藏 ${s.added} 篇，已在收藏中 ${s.already} 篇${s.unknown.length ? `，arXiv 上未找到 ${s.unknown.length} 个` : ''}。`;
}
const MAX_CATEGORIES = 64;

const HTML = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'" };
/** The subscribe form runs the ALTCHA widget: its script, worker and styles from the site itself, its challenge from this API. */
const FORM_CSP = { 'Content-Security-Policy': "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'" };
/** The library's exports: what reference managers import (BibTeX for LaTeX and Overleaf, RIS for Zotero, Mendeley and EndNote, CSL-JSON for citeproc and pandoc). */
type LibraryExport = 'bibtex' | 'ris' | 'csl';
const LIBRARY_EXPORTS: Record<LibraryExport, { type: string; file: string; write: (lib: Library) => string }> = {
  bibtex: { type: 'application/x-bibtex; charset=utf-8', file: 'paperboy-library.bib', write: libraryBibtex },
  ris: { type: 'application/x-research-info-systems; charset=utf-8', file: 'paperboy-library.ris', write: libraryRis },
  csl: { type: 'application/vnd.citationstyles.csl+json; charset=utf-8', file: 'paperboy-library.json', write: libraryCslJson },
};
const respond = (status: number, body: string, extra: Record<string, string> = {}): ApiResponse => ({ status, headers: { ...HTML, ...extra }, body });

const INVALID_UNSUBSCRIBE = () =>
  respond(
    400,
    messagePage('This unsubscribe link does not work · 退订链接无效', [
      'The link is damaged (a mail program may have cut it) or was not made by Paperboy; nothing changed. 该链接已损坏（可能被邮件程序截断）或并非 Paperboy 生成，此次未作更改。',
      'Use the unsubscribe link of another Paperboy mail, or reply to a mail and ask: every mail has one. 请使用其他 Paperboy 邮件中的退订链接，或回复任一邮件提出退订。',
    ]),
  );
const INVALID_LINK = () =>
  respond(
    400,
    messagePage('This link does not work · 链接无效', [
      'This link is invalid or has expired (links to your preferences work for 30 days). 此链接无效或已过期（偏好设置链接 30 天内有效）。',
      'Enter your address on the subscribe page: if you are subscribed, a fresh link to your preferences comes by mail. 在订阅页面输入您的地址：如果您已订阅，我们会通过邮件发送新的偏好设置链接。',
    ]),
  );

function readForm(req: ApiRequest): URLSearchParams | null {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    try {
      const json = JSON.parse(req.body) as Record<string, unknown>;
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(json)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, String(item));
      return form;
    } catch {
      return null;
    }
  }
  return new URLSearchParams(req.body);
}

type PrefsCheck = { ok: true; prefs: Preferences } | { ok: false; error: string };

function readPreferences(form: URLSearchParams): PrefsCheck {
  const known = new Set(knownCategories().map((c) => c.slug));
  const picked = form.getAll('categories').flatMap((v) => v.split(','));
  if (picked.length > MAX_CATEGORIES) return { ok: false, error: 'Too many categories. · 类别过多。' };
  const unknown = picked.filter((c) => c !== 'all' && !known.has(c));
  if (unknown.length) return { ok: false, error: `Unknown category: ${unknown.slice(0, 3).join(', ').slice(0, 100)}. · 未知类别。` };
  if (picked.length === 0) return { ok: false, error: 'Choose at least one category. · 请至少选择一个类别。' };
  const lang = form.get('lang') ?? 'bi';
  if (!LANGS.includes(lang as Lang)) return { ok: false, error: 'Choose English, Chinese or both. · 请选择语言：英文、中文或双语。' };
  return { ok: true, prefs: { categories: picked.includes('all') ? 'all' : [...new Set(picked)].sort(), lang: lang as Lang } };
}

/**
 * The subscription API, as pages a person uses and as the RFC 8058 one-click endpoint mail clients
 * call. Every answer about an address is the same whether or not it is subscribed.
 */
export function createApi(deps: ApiDeps): (req: ApiRequest) => Promise<ApiResponse> {
  const now = deps.now ?? (() => new Date());
  const guard = (event: GuardEvent) => deps.onGuard?.(event);
  const apiBase = deps.config.apiUrl.replace(/\/+$/, '');
  /** The site beside the API (`/api` is one behaviour of the same distribution). */
  const siteBase = apiBase.replace(/\/api$/, '');
  const self = (path: string, token?: string) => `${apiBase}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  // The widget's files are published with the site, beside the API (`/api` is one behaviour of the same distribution).
  const assets = `${apiBase.replace(/\/api$/, '')}/assets/altcha`;
  const form = (status: number, f: Pick<SubscribeForm, 'email' | 'categories' | 'lang' | 'error'>): ApiResponse =>
    respond(status, subscribePage({ ...f, action: self('/subscribe'), submit: 'Subscribe · 订阅', formToken: formToken(deps.config.tokenSecret, now()), challengeUrl: self('/altcha'), assetsUrl: assets, minFillSeconds: deps.config.proof.minFillSeconds }), FORM_CSP);
  // The same words whatever happened: new, pending, already subscribed, suppressed, held back or a bot's honeypot.
  const CHECK_INBOX = () => respond(202, messagePage('Check your inbox · 请查收邮件', ['If the address can receive our mail, a message is on its way: click the link in it to confirm.', '如果该地址可以接收邮件，确认邮件已发出：请点击邮件中的链接完成订阅。']));

  async function handleSubscribe(req: ApiRequest, client: string): Promise<ApiResponse> {
    const body = readForm(req);
    if (!body) return respond(400, messagePage('Bad request · 请求无效', ['The form could not be read. 无法读取表单。']));
    const address = normaliseAddress(body.get('email'));
    const prefs = readPreferences(body);
    const lang = (body.get('lang') as Lang | null) ?? 'bi';
    // What was ticked stays ticked ("all" included) when the form comes back with an error.
    const ticked = body.getAll('categories');
    const again = (error: string) => form(400, { email: String(body.get('email') ?? '').slice(0, 254), categories: ticked.includes('all') ? 'all' : ticked, lang: LANGS.includes(lang) ? lang : 'bi', error });
    if (!address.ok || !prefs.ok) return again(!address.ok ? `E-mail: ${address.error}` : `${(prefs as { error: string }).error}`);

    // Proof first: it costs no I/O, so a flood without one never reaches DynamoDB or anyone's quota.
    const at = now();
    const proof = await checkProof(deps.config.tokenSecret, deps.config.proof, body, at);
    if (!proof.ok && proof.why === 'bot') {
      guard('honeypot');
      return CHECK_INBOX();
    }
    if (!proof.ok) {
      guard('no-proof');
      return again(`The check that you are a person did not finish. With JavaScript, wait until the box says it is done; without it, wait ${deps.config.proof.minFillSeconds} seconds before sending. Then send the form again. · 人机验证未完成：如已启用 JavaScript，请等待验证框完成；否则请在打开页面 ${deps.config.proof.minFillSeconds} 秒后再提交。请重新提交表单。`);
    }
    if (!(await deps.counters.claimOnce(proof.spentKey, proof.expiresAt))) {
      // A proof is good for one address: a second use (a bot's replay, or a double click) sends nothing.
      guard('proof-reused');
      return CHECK_INBOX();
    }
    if ((await takeClientAllowance(deps.counters, deps.config.limits, client, at)) !== 'ok') {
      guard('rate-limited');
      return respond(429, messagePage('Too many requests · 请求过多', ['Too many subscriptions came from your network this hour. Please try again later. 您所在的网络本小时内提交的订阅过多，请稍后再试。']), { 'Retry-After': '3600' });
    }
    // Only a request that would mail someone spends the hour's budget; past it, nothing is stored or sent.
    const preview = subscribe(await deps.store.get(address.email), address.email, prefs.prefs, at);
    const allowance = { path: proof.path, client, mailbox: mailboxOf(address.email) };
    if (preview.effect !== 'none' && (await takeMailAllowance(deps.counters, deps.config.limits, allowance, at)) !== 'ok') {
      guard('mail-held-back');
      return CHECK_INBOX();
    }
    const result = await deps.store.apply(address.email, (prev) => subscribe(prev, address.email, prefs.prefs, at));
    // The record changed between the preview and the write (a racing request) so that it now asks for
    // a mail the preview did not: that mail takes from the budget too, or is not sent.
    if (preview.effect === 'none' && result.effect !== 'none' && (await takeMailAllowance(deps.counters, deps.config.limits, allowance, at)) !== 'ok') {
      guard('mail-held-back');
      return CHECK_INBOX();
    }
    const generation = result.next?.tokenGeneration ?? 0;
    if (result.effect === 'send-confirmation') {
      await deps.mailer.sendRaw(await confirmationMail(deps.config, address.email, confirmUrl(deps.config, address.email, generation, at, prefs.prefs)), address.email);
    } else if (result.effect === 'send-manage-link') {
      await deps.mailer.sendRaw(await alreadySubscribedMail(deps.config, address.email, preferencesUrl(deps.config, address.email, generation, at)), address.email);
    }
    return CHECK_INBOX();
  }

  async function handleConfirm(req: ApiRequest): Promise<ApiResponse> {
    const raw = req.query.get('token');
    // GET shows a button; only its POST confirms (link scanners GET every link in a mail).
    if (req.method === 'GET') return respond(200, confirmPage(self('/confirm', raw ?? '')));
    const token = verifyToken(deps.config.tokenSecret, raw, 'confirm', Math.floor(now().getTime() / 1000));
    if (!token) return respond(400, confirmBrokenPage(self('/subscribe')));
    const at = now();
    const chosen = token.c !== undefined && token.l !== undefined && LANGS.includes(token.l) ? { categories: token.c, lang: token.l } : undefined;
    await deps.store.apply(token.e, (prev) => confirm(prev, token.g, at, chosen));
    // Confirming starts the generation after the link's: a record there was confirmed by this link, now or at an earlier click.
    const current = await deps.store.get(token.e);
    if (current?.status !== 'confirmed' || current.tokenGeneration !== token.g + 1) return respond(200, confirmSpentPage(`${siteBase}/`));
    return respond(200, confirmedPage(preferencesUrl(deps.config, token.e, current.tokenGeneration, at), `${siteBase}/`));
  }

  const filterBoxes = (f: Filters, repeats: 'updated' | 'omit' = 'updated', weekly: Weekday | null = null) => ({ include: formatTerms(f.include, 'include'), exclude: formatTerms(f.exclude, 'exclude'), authors: formatTerms(f.authors, 'authors'), rest: f.rest, repeats, weekly });
  const repeatsIn = (body: URLSearchParams | null) => (body?.get('repeats') === 'omit' ? ('omit' as const) : ('updated' as const));
  /** The weekly day from the form: null for daily; undefined when the form says nothing usable. */
  const weeklyIn = (body: URLSearchParams | null): Weekday | null | undefined => {
    const frequency = body?.get('frequency') ?? 'daily';
    if (frequency === 'daily') return null;
    return /^[1-7]$/.test(frequency) ? (Number(frequency) as Weekday) : undefined;
  };
  const preview = async (prefs: Preferences) => {
    const day = (await deps.feedDays?.().catch(() => []))?.at(-1);
    return day ? previewCounts(day, prefs) : null;
  };

  async function handlePreferences(req: ApiRequest): Promise<ApiResponse> {
    const raw = req.query.get('token');
    const token = verifyToken(deps.config.tokenSecret, raw, 'manage', Math.floor(now().getTime() / 1000));
    if (!token || !raw) return INVALID_LINK();
    const current = await deps.store.get(token.e);
    if (!current || current.tokenGeneration !== token.g || current.status !== 'confirmed') return INVALID_LINK();
    const feedsOf = (s: Subscriber, reset = false) => ({ rss: feedUrl(deps.config, s.email, s.tokenGeneration, s.feedGeneration ?? 0, 'rss'), atom: feedUrl(deps.config, s.email, s.tokenGeneration, s.feedGeneration ?? 0, 'atom'), resetAction: self('/preferences', raw), reset });
    const form = { action: self('/preferences', raw), email: current.email, submit: 'Save · 保存', feeds: feedsOf(current), ...(deps.library ? { library: self('/library', raw) } : {}) };
    const showCurrent = async (s: Subscriber, extra: Partial<Parameters<typeof preferencesPage>[0]> = {}) => respond(200, preferencesPage({ ...form, categories: s.categories, lang: s.lang, filters: filterBoxes(filtersOf(s), s.repeats, s.weekly ?? null), preview: await preview(s), ...extra }));
    if (req.method === 'GET') return showCurrent(current);
    const body = readForm(req);
    if (body?.get('do') === 'reset-feed') {
      const at = now();
      const result = await deps.store.apply(token.e, (prev) => resetFeed(prev, token.g, at));
      const after = result.next ?? current;
      return showCurrent(after, { feeds: feedsOf(after, !!result.next) });
    }
    const prefs = body ? readPreferences(body) : ({ ok: false, error: 'The form could not be read. 无法读取表单。' } as const);
    const filters = body ? readFilters(body) : null;
    const weekly = weeklyIn(body);
    if (!prefs.ok || !filters?.ok || weekly === undefined) {
      // What was typed comes back as typed (escaped by the page), with what is wrong with it.
      const typed = body
        ? { include: body.get('include') ?? '', exclude: body.get('exclude') ?? '', authors: body.get('authors') ?? '', rest: body.get('rest') === 'none' ? ('none' as const) : ('categories' as const), repeats: repeatsIn(body), weekly: weeklyIn(body) ?? null }
        : filterBoxes(filtersOf(current), current.repeats, current.weekly ?? null);
      const ticked = body?.getAll('categories') ?? [];
      const error = !prefs.ok ? prefs.error : filters && !filters.ok ? filters.error : weekly === undefined ? 'How often: choose every day, or a weekday for the weekly mail. · 频率：请选择每天，或每周的发送日。' : 'The form could not be read. 无法读取表单。';
      return respond(400, preferencesPage({ ...form, categories: ticked.includes('all') || !body ? current.categories : ticked, lang: LANGS.includes(body?.get('lang') as Lang) ? (body?.get('lang') as Lang) : current.lang, filters: typed, error }));
    }
    const wanted: Preferences = { ...prefs.prefs, filters: filters.filters, repeats: repeatsIn(body), weekly };
    const shown = { ...form, ...wanted, filters: filterBoxes(filters.filters, wanted.repeats, weekly), preview: await preview(wanted) };
    // "Preview" shows what the settings would do and stores nothing; "Save" (or a form without the button) stores them.
    if (body?.get('do') === 'preview') return respond(200, preferencesPage(shown));
    const at = now();
    await deps.store.apply(token.e, (prev) => updatePreferences(prev, token.g, wanted, at));
    return respond(200, preferencesPage({ ...shown, saved: true }));
  }

  /** A mail's language link: the GET asks (link scanners open every link), the POST switches. */
  async function handleLanguage(req: ApiRequest): Promise<ApiResponse> {
    const raw = req.query.get('token');
    const token = verifyToken(deps.config.tokenSecret, raw, 'manage', Math.floor(now().getTime() / 1000));
    if (!token || !raw) return INVALID_LINK();
    const lang = req.query.get('lang') as Lang | null;
    if (!lang || !LANGS.includes(lang)) return respond(400, messagePage('Unknown language · 未知语言', ['Choose English, Chinese or both on your preferences page. 请在订阅设置页面选择英文、中文或双语。']));
    const current = await deps.store.get(token.e);
    if (!current || current.tokenGeneration !== token.g || current.status !== 'confirmed') return INVALID_LINK();
    const action = `${self('/language', raw)}&lang=${lang}`;
    if (req.method === 'GET') return respond(200, languagePage(action, lang));
    const at = now();
    // updatePreferences keeps the filters, repeat choice and weekly day it is not given.
    await deps.store.apply(token.e, (prev) => updatePreferences(prev, token.g, { categories: prev?.categories ?? 'all', lang }, at));
    return respond(200, messagePage('Language changed · 语言已更改', [`From the next mail on, Paperboy comes in ${LANG_LABEL[lang]}.`, `从下一封邮件起，Paperboy 将使用${lang === 'bi' ? '中英双语' : lang === 'zh' ? '中文' : '英文'}。`]));
  }

  const FEED_GONE = (): ApiResponse => ({
    status: 404,
    // Feed readers keep polling a feed that is gone: let the edge answer them for a while.
    headers: { ...HTML, 'Cache-Control': 'public, max-age=600' },
    body: messagePage('No such feed · 订阅源不存在', ['This feed does not exist, or its subscription ended. 该订阅源不存在，或订阅已结束。']),
  });

  /**
   * A reader's private feed: what their mail selects over the last 30 days, in their language,
   * answered as private data (no shared cache) with an ETag for conditional GETs; it names nothing
   * but papers.
   */
  async function handleFeed(req: ApiRequest, raw: string, format: 'rss' | 'atom'): Promise<ApiResponse> {
    const token = verifyToken(deps.config.tokenSecret, raw, 'feed', Math.floor(now().getTime() / 1000));
    if (!token) return FEED_GONE();
    const sub = await deps.store.get(token.e);
    if (!sub || sub.tokenGeneration !== token.g || sub.status !== 'confirmed' || (token.legacy ? 0 : (token.f ?? 0)) !== (token.legacy ? 0 : (sub.feedGeneration ?? 0))) return FEED_GONE();
    if (token.legacy) {
      // A feed URL of the readable format spells out the address: feed readers follow a permanent
      // redirect and keep the new, sealed URL. Only while the feed was never reset (then it is gone).
      if ((sub.feedGeneration ?? 0) !== 0) return FEED_GONE();
      return { status: 301, headers: { Location: feedUrl(deps.config, sub.email, sub.tokenGeneration, 0, format), 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' }, body: '' };
    }
    const days = (await deps.feedDays?.()) ?? [];
    // The same order as the mail: a reader with a model gets each day's "For you" first.
    const ranking = (await deps.library?.rankings([sub.email]))?.get(sub.email);
    const entries = personalEntries(days, sub, ranking ? (day) => forYouOfDay(day, ranking) : undefined);
    const newest = days.reduce((d, day) => (day.date > d ? day.date : d), '');
    const urls = { rss: self(`/feed/${raw}/rss.xml`), atom: self(`/feed/${raw}/atom.xml`) };
    const spec = { baseUrl: siteBase, category: { slug: 'mine', nameEn: 'Your papers', nameZh: '您的论文' }, lang: sub.lang, entries, updated: newest || now().toISOString().slice(0, 10), personal: personalFeedHead(sub.lang, urls) };
    const body = fitFeed(spec, format === 'rss' ? renderRss : renderAtom, 1_500_000).body;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const headers = {
      'Content-Type': format === 'rss' ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8',
      // Private data: no shared cache (CloudFront, a proxy) keeps it, so a reset or an unsubscribe
      // ends it within the reader's own five minutes; conditional GETs keep polling cheap.
      'Cache-Control': 'private, max-age=300',
      ETag: etag,
      ...(newest ? { 'Last-Modified': new Date(`${newest}T00:00:00Z`).toUTCString() } : {}),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      // A private address: never in a search engine, whoever links it.
      'X-Robots-Tag': 'noindex, nofollow',
    };
    const wanted = req.headers['if-none-match'];
    if (wanted && wanted.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return { status: 304, headers, body: '' };
    return { status: 200, headers, body: req.method === 'HEAD' ? '' : body };
  }

  /**
   * Leaving, from the link of any mail ever sent to the address: the token proves the mailbox, not a
   * generation, so a re-subscription since does not void it (RFC 8058). The answer says what
   * happened, to the person holding the mail.
   */
  async function handleUnsubscribe(req: ApiRequest): Promise<ApiResponse> {
    const raw = req.query.get('token');
    const token = verifyToken(deps.config.tokenSecret, raw, 'unsubscribe', Math.floor(now().getTime() / 1000));
    if (!token || !raw) return INVALID_UNSUBSCRIBE();
    if (req.method === 'GET') return respond(200, unsubscribePage(self('/unsubscribe', raw)));
    const at = now();
    let before: Subscriber | null = null;
    const result = await deps.store.apply(token.e, (prev) => {
      before = prev;
      return unsubscribe(prev, null, at);
    });
    const was = (before as Subscriber | null)?.status ?? null;
    const outcome = result.next ? 'unsubscribed' : was === 'bounced' || was === 'complained' ? 'suppressed' : 'already';
    // Leaving takes the library, the model and the save links' key with it.
    if (result.next) await deps.library?.remove(token.e, readerKeyFor(deps.config.tokenSecret, token.e));
    // RFC 8058: the mail client posts "List-Unsubscribe=One-Click" and wants a plain success.
    if (req.body.trim() === 'List-Unsubscribe=One-Click') return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, body: outcome === 'unsubscribed' ? 'unsubscribed\n' : 'already unsubscribed\n' };
    if (outcome === 'unsubscribed') return respond(200, unsubscribedPage(self('/subscribe'), `${siteBase}/`));
    if (outcome === 'suppressed') return respond(200, messagePage('No mail goes to this address · 此地址不再接收邮件', ['Paperboy already stopped mailing this address (its mail bounced or was reported as spam); nothing changed. Paperboy 已停止向此地址发送邮件（退信或被标记为垃圾邮件），此次未作更改。']));
    return respond(200, alreadyUnsubscribedPage(self('/subscribe'), `${siteBase}/`));
  }

  const NO_SUCH_READER = () =>
    respond(404, messagePage('This link does not work any more · 链接已失效', ['Nothing was saved: the subscription this mail was sent to has ended, or the link is damaged. 未保存：此邮件对应的订阅已结束，或链接已损坏。'], html`<p><a href="${self('/subscribe')}">${bilingualHtml('Subscribe · 订阅')}</a></p>`));
  const shown = (l: ListedPaper): ShownPaper => ({ id: l.paper.arxivId, title: l.paper.titleEn, titleZh: l.paper.titleZh, authors: l.paper.authors, abstract: l.paper.abstractEn, day: l.day });

  /**
   * A mail's save or "not for me" link. The GET shows the paper and a button (mail scanners open
   * every link); the POST records it and retrains the reader's model. The key names the reader
   * only while their subscription lasts.
   */
  async function handleAction(req: ApiRequest, action: ActionRequest): Promise<ApiResponse> {
    if (!deps.library) return respond(503, messagePage('Saving is not set up · 收藏功能未启用', ['This Paperboy has no library table. 此 Paperboy 未配置收藏数据表。']));
    const email = await deps.library.ownerOf(action.key);
    const sub = email ? await deps.store.get(email) : null;
    if (!email || sub?.status !== 'confirmed') return NO_SUCH_READER();
    const days = (await deps.feedDays?.()) ?? [];
    const listed = findListed(days, action.arxivId);
    if (!listed) return respond(404, messagePage('Paper not found · 未找到论文', [`arXiv:${action.arxivId} is not in the last 30 days of Paperboy's mail, so it cannot be saved from this link. 该论文不在最近 30 天的邮件中，无法通过此链接收藏。`]));
    const base = actionBaseUrl(deps.config, email);
    const url = (a: ActionRequest['action']) => `${base}${a === 'save' ? saveActionPath(action.arxivId) : notForMeActionPath(action.arxivId)}`;
    if (req.method === 'GET') return respond(200, paperActionPage(shown(listed), action.action, url(action.action), url(action.action === 'save' ? 'not-for-me' : 'save')));
    const at = now();
    const change = await recordAction(deps.library, email, action.action, listed, days, at);
    return respond(200, actionDonePage({ outcome: change.outcome, paper: shown(listed), saved: change.next.saved.length, library: libraryUrl(deps.config, email, sub.tokenGeneration, at) }));
  }

  /** The library page, its exports and its buttons, opened with a preferences link's token. */
  async function handleLibrary(req: ApiRequest, format: 'page' | LibraryExport | 'data'): Promise<ApiResponse> {
    const raw = req.query.get('token');
    const token = verifyToken(deps.config.tokenSecret, raw, 'manage', Math.floor(now().getTime() / 1000));
    if (!token || !raw) return INVALID_LINK();
    const current = await deps.store.get(token.e);
    if (!current || current.tokenGeneration !== token.g || current.status !== 'confirmed') return INVALID_LINK();
    if (!deps.library) return respond(503, messagePage('The library is not set up · 收藏功能未启用', ['This Paperboy has no library table. 此 Paperboy 未配置收藏数据表。']));
    let lib = await deps.library.get(token.e);
    const show = (entries: readonly LibraryEntry[], forYouSize: number, notice?: string) =>
      respond(200, libraryPage({ entries, action: self('/library', raw), bibtex: self('/library.bib', raw), ris: self('/library.ris', raw), csl: self('/library.csl.json', raw), data: self('/library.json', raw), preferences: self('/preferences', raw), forYouSize, ...(notice ? { notice } : {}) }));
    if (format === 'bibtex' || format === 'ris' || format === 'csl') {
      const { type, file, write } = LIBRARY_EXPORTS[format];
      return { status: 200, headers: { 'Content-Type': type, 'Content-Disposition': `attachment; filename="${file}"`, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }, body: write(lib ?? emptyLibrary(token.e, now())) };
    }
    if (format === 'data') {
      // Everything Paperboy keeps about the reader, but the delivery ledger's rows (which papers went in which mail, kept 90 days).
      const { email, status, categories, lang, filters, repeats, weekly, createdAt, confirmedAt } = current;
      const data = { subscription: { email, status, categories, lang, filters, repeats, weekly: weekly ?? null, createdAt, confirmedAt }, library: lib ? { saved: lib.saved, notForMe: lib.notForMe, forYouSize: lib.forYouSize, updatedAt: lib.updatedAt } : null };
      return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': 'attachment; filename="paperboy-my-data.json"', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }, body: JSON.stringify(data, null, 2) };
    }
    let notice: string | undefined;
    // Removing a paper or changing the section's size retrains here; saving and importing retrain where they save.
    let retrainAfter = false;
    if (req.method === 'POST') {
      const body = readForm(req);
      const at = now();
      const type = req.headers['content-type'] ?? '';
      if (type.toLowerCase().startsWith('multipart/form-data') || body?.get('do') === 'import') {
        const file = type.toLowerCase().startsWith('multipart/form-data') ? uploadedFile(Buffer.from(req.body, 'utf8'), type, 'file') : null;
        const text = file?.text ?? String(body?.get('ids') ?? '');
        const summary = await importIds(deps.library, token.e, findArxivIds(text), (await deps.feedDays?.()) ?? [], deps.arxiv ?? null, at);
        lib = await deps.library.get(token.e);
        notice = importNotice(summary);
      } else if (body?.get('do') === 'delete-library') {
        await deps.library.remove(token.e, null);
        return show([], DEFAULT_FOR_YOU_SIZE, 'Your library, your “not for me” list and your model are deleted. Your subscription continues. · 您的收藏、“不感兴趣”记录和模型已删除，订阅继续。');
      } else if (body?.get('do') === 'remove') {
        const id = String(body.get('id') ?? '').slice(0, 20);
        const change = await deps.library.apply(token.e, (prev) => removePaper(prev, token.e, id, at));
        notice = change.outcome === 'removed' ? `Removed arXiv:${id}. · 已移除。` : 'That paper was not in your library; nothing changed. · 该论文不在收藏中，未作更改。';
        lib = change.next;
        retrainAfter = change.outcome === 'removed';
      } else if (body?.get('do') === 'size') {
        const size = Number(body.get('size'));
        if (!Number.isFinite(size)) return respond(400, messagePage('Not a number · 不是数字', ['Papers in “For you”: a number from 0 to 30. “为你推荐”篇数：0 到 30 之间的数字。']));
        const change = await deps.library.apply(token.e, (prev) => setForYouSize(prev, token.e, size, at));
        lib = change.next;
        retrainAfter = true;
        notice = lib.forYouSize === 0 ? '“For you” is off. · “为你推荐”已关闭。' : `“For you” shows ${lib.forYouSize} papers. · “为你推荐”显示 ${lib.forYouSize} 篇。`;
      }
      if (lib && retrainAfter) await retrain(deps.library, lib, (await deps.feedDays?.()) ?? []);
    }
    return show(lib?.saved ?? [], lib?.forYouSize ?? DEFAULT_FOR_YOU_SIZE, notice);
  }

  return async (req) => {
    let client = req.ip;
    if (deps.originSecrets) {
      if (!fromOrigin(req.headers[ORIGIN_HEADER], await deps.originSecrets())) {
        guard('origin-refused');
        return respond(403, messagePage('Forbidden · 禁止访问', ['Use the site’s address for this page. 请通过网站地址访问此页面。']));
      }
      // Only CloudFront writes this header (it replaces a viewer's), and only CloudFront knows the secret.
      client = viewerAddress(req.headers['cloudfront-viewer-address']) ?? req.ip;
    }
    // An import is the one request that may carry a file; the answer names the limit that applied.
    const limit = req.method === 'POST' && /^\/library\/?$/.test(req.path) ? MAX_IMPORT_BYTES : MAX_BODY_BYTES;
    if (Buffer.byteLength(req.body) > limit) return respond(413, messagePage('Too large · 请求过大', [`A request body has at most ${limit} bytes.`]));
    const feed = /^\/feed\/([A-Za-z0-9_-]{1,900}\.[A-Za-z0-9_-]{1,100})\/(rss|atom)\.xml$/.exec(req.path);
    if (feed && (req.method === 'GET' || req.method === 'HEAD')) return handleFeed(req, feed[1] ?? '', feed[2] === 'atom' ? 'atom' : 'rss');
    const action = readActionPath(req.path);
    if (action && (req.method === 'GET' || req.method === 'POST')) return handleAction(req, action);
    const route = `${req.method} ${req.path.replace(/\/+$/, '') || '/'}`;
    switch (route) {
      case 'GET /subscribe':
        return form(200, { categories: 'all', lang: 'bi' });
      case 'POST /subscribe':
        return handleSubscribe(req, client);
      case 'GET /altcha':
        return { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }, body: JSON.stringify(await altchaChallenge(deps.config.tokenSecret, deps.config.proof, now())) };
      case 'GET /confirm':
      case 'POST /confirm':
        return handleConfirm(req);
      case 'GET /preferences':
      case 'POST /preferences':
        return handlePreferences(req);
      case 'GET /language':
      case 'POST /language':
        return handleLanguage(req);
      case 'GET /library':
      case 'POST /library':
        return handleLibrary(req, 'page');
      case 'GET /library.bib':
        return handleLibrary(req, 'bibtex');
      case 'GET /library.ris':
        return handleLibrary(req, 'ris');
      case 'GET /library.csl.json':
        return handleLibrary(req, 'csl');
      case 'GET /library.json':
        return handleLibrary(req, 'data');
      case 'GET /unsubscribe':
      case 'POST /unsubscribe':
        return handleUnsubscribe(req);
      default:
        return respond(404, messagePage('Not found · 未找到', ['There is nothing here. 此页面不存在。']));
    }
  };
}
