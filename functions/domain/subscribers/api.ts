import { confirmPage, messagePage, preferencesPage, subscribePage, unsubscribePage } from '../../../templates/subscription/pages.ts';
import type { SubscriberStore } from '../../storage/subscriber-store.ts';
import { knownCategories } from '../categories.ts';
import { LANGS, type Lang } from '../language.ts';
import type { Mailer } from '../sending/mailer.ts';
import { normaliseAddress } from './address.ts';
import { confirmUrl, preferencesUrl, type LinkConfig } from './links.ts';
import { alreadySubscribedMail, confirmationMail } from './notifications.ts';
import { confirm, subscribe, unsubscribe, updatePreferences, type Preferences } from './subscriber.ts';
import { verifyToken } from './tokens.ts';

export interface ApiRequest {
  readonly method: string;
  /** Path relative to the API root, e.g. `/subscribe`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  readonly ip: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface ApiConfig extends LinkConfig {
  readonly from: string;
  readonly postalAddress: string;
  readonly replyTo?: string;
  /** Subscribe requests one client address may make per minute; 0 turns the limit off. */
  readonly subscribeLimitPerIpPerMinute: number;
}

export interface ApiDeps {
  readonly store: SubscriberStore;
  readonly mailer: Mailer;
  readonly config: ApiConfig;
  readonly now?: () => Date;
}

export const MAX_BODY_BYTES = 8 * 1024;
const MAX_CATEGORIES = 64;

const HTML = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" };
const respond = (status: number, body: string, extra: Record<string, string> = {}): ApiResponse => ({ status, headers: { ...HTML, ...extra }, body });

const CONFIRM_ANSWER = () =>
  messagePage('Thank you · 谢谢', [
    'If this link was still valid, your subscription is confirmed and the next daily digest will reach you. Confirmation links work for 48 hours, once.',
    '如果该链接仍然有效，您的订阅已确认，将收到下一期每日论文。确认链接 48 小时内有效，且只能使用一次。',
    'No mail after a day? Subscribe again from the site. 一天后仍未收到邮件？请在网站重新订阅。',
  ]);
const INVALID_LINK = () =>
  respond(
    400,
    messagePage('This link does not work · 链接无效', [
      'This link is invalid or has expired (links to your preferences work for 30 days). 此链接无效或已过期（偏好设置链接 30 天内有效）。',
      'Enter your address on the subscribe page: if you are subscribed, a fresh link to your preferences comes by mail. 在订阅页面输入您的地址：如果您已订阅，我们会通过邮件发送新的偏好设置链接。',
    ]),
  );

/** Fixed one-minute windows per client address, per warm container: a brake, not a wall (API throttling is the wall). */
export class IpLimiter {
  private window = 0;
  private counts = new Map<string, number>();
  constructor(private readonly perMinute: number) {}
  allow(ip: string, now: Date): boolean {
    if (this.perMinute <= 0) return true;
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== this.window) {
      this.window = minute;
      this.counts.clear();
    }
    const n = (this.counts.get(ip) ?? 0) + 1;
    this.counts.set(ip, n);
    return n <= this.perMinute;
  }
}

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
  const limiter = new IpLimiter(deps.config.subscribeLimitPerIpPerMinute);
  const self = (path: string, token?: string) => `${deps.config.apiUrl.replace(/\/+$/, '')}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;

  async function handleSubscribe(req: ApiRequest): Promise<ApiResponse> {
    if (!limiter.allow(req.ip, now())) return respond(429, messagePage('Too many requests · 请求过多', ['Please wait a minute and try again. 请稍后再试。']), { 'Retry-After': '60' });
    const form = readForm(req);
    if (!form) return respond(400, messagePage('Bad request · 请求无效', ['The form could not be read. 无法读取表单。']));
    const address = normaliseAddress(form.get('email'));
    const prefs = readPreferences(form);
    const lang = (form.get('lang') as Lang | null) ?? 'bi';
    if (!address.ok || !prefs.ok) {
      const error = !address.ok ? `E-mail: ${address.error}` : `${(prefs as { error: string }).error}`;
      return respond(400, subscribePage({ action: self('/subscribe'), email: String(form.get('email') ?? '').slice(0, 254), categories: form.getAll('categories'), lang: LANGS.includes(lang) ? lang : 'bi', submit: 'Subscribe · 订阅', error }));
    }
    const at = now();
    const result = await deps.store.apply(address.email, (prev) => subscribe(prev, address.email, prefs.prefs, at));
    const generation = result.next?.tokenGeneration ?? 0;
    if (result.effect === 'send-confirmation') {
      await deps.mailer.sendRaw(await confirmationMail(deps.config, address.email, confirmUrl(deps.config, address.email, generation, at)), address.email);
    } else if (result.effect === 'send-manage-link') {
      await deps.mailer.sendRaw(await alreadySubscribedMail(deps.config, address.email, preferencesUrl(deps.config, address.email, generation, at)), address.email);
    }
    // The same words whatever happened: new, pending, already subscribed, suppressed or rate limited.
    return respond(202, messagePage('Check your inbox · 请查收邮件', ['If the address can receive our mail, a message is on its way: click the link in it to confirm.', '如果该地址可以接收邮件，确认邮件已发出：请点击邮件中的链接完成订阅。']));
  }

  async function handleConfirm(req: ApiRequest): Promise<ApiResponse> {
    const raw = req.query.get('token');
    // GET shows a button; only its POST confirms (link scanners GET every link in a mail).
    if (req.method === 'GET') return respond(200, confirmPage(self('/confirm', raw ?? '')));
    const token = verifyToken(deps.config.tokenSecret, raw, 'confirm', Math.floor(now().getTime() / 1000));
    if (token) {
      const at = now();
      await deps.store.apply(token.e, (prev) => confirm(prev, token.g, at));
    }
    // One page whatever happened (confirmed now, confirmed before, expired, forged): nothing is revealed.
    return respond(200, CONFIRM_ANSWER());
  }

  async function handlePreferences(req: ApiRequest): Promise<ApiResponse> {
    const raw = req.query.get('token');
    const token = verifyToken(deps.config.tokenSecret, raw, 'manage', Math.floor(now().getTime() / 1000));
    if (!token || !raw) return INVALID_LINK();
    const current = await deps.store.get(token.e);
    if (!current || current.tokenGeneration !== token.g || current.status !== 'confirmed') return INVALID_LINK();
    const form = { action: self('/preferences', raw), email: current.email, submit: 'Save · 保存' };
    if (req.method === 'GET') return respond(200, preferencesPage({ ...form, categories: current.categories, lang: current.lang }));
    const body = readForm(req);
    const prefs = body ? readPreferences(body) : ({ ok: false, error: 'The form could not be read. 无法读取表单。' } as const);
    if (!prefs.ok) return respond(400, preferencesPage({ ...form, categories: current.categories, lang: current.lang, error: prefs.error }));
    const at = now();
    await deps.store.apply(token.e, (prev) => updatePreferences(prev, token.g, prefs.prefs, at));
    return respond(200, preferencesPage({ ...form, ...prefs.prefs, saved: true }));
  }

  async function handleUnsubscribe(req: ApiRequest): Promise<ApiResponse> {
    const raw = req.query.get('token');
    const token = verifyToken(deps.config.tokenSecret, raw, 'manage', Math.floor(now().getTime() / 1000));
    if (!token || !raw) return INVALID_LINK();
    if (req.method === 'GET') return respond(200, unsubscribePage(self('/unsubscribe', raw)));
    const at = now();
    await deps.store.apply(token.e, (prev) => unsubscribe(prev, token.g, at));
    // RFC 8058: the mail client posts "List-Unsubscribe=One-Click" and wants a plain success.
    if (req.body.trim() === 'List-Unsubscribe=One-Click') return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, body: 'unsubscribed\n' };
    return respond(200, messagePage('Unsubscribed · 已退订', ['You will get no more e-mail from Paperboy. 您将不再收到 Paperboy 的邮件。']));
  }

  return async (req) => {
    if (Buffer.byteLength(req.body) > MAX_BODY_BYTES) return respond(413, messagePage('Too large · 请求过大', [`A request body has at most ${MAX_BODY_BYTES} bytes.`]));
    const route = `${req.method} ${req.path.replace(/\/+$/, '') || '/'}`;
    switch (route) {
      case 'GET /subscribe':
        return respond(200, subscribePage({ action: self('/subscribe'), categories: 'all', lang: 'bi', submit: 'Subscribe · 订阅' }));
      case 'POST /subscribe':
        return handleSubscribe(req);
      case 'GET /confirm':
      case 'POST /confirm':
        return handleConfirm(req);
      case 'GET /preferences':
      case 'POST /preferences':
        return handlePreferences(req);
      case 'GET /unsubscribe':
      case 'POST /unsubscribe':
        return handleUnsubscribe(req);
      default:
        return respond(404, messagePage('Not found · 未找到', ['There is nothing here. 此页面不存在。']));
    }
  };
}
