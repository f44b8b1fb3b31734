import MailComposer from 'nodemailer/lib/mail-composer';
import { escapeHtml } from '../html.ts';
import { bilingualHtml, langOfText } from '../language.ts';

export interface NoticeConfig {
  readonly from: string;
  readonly postalAddress: string;
  /** Where a reader's reply goes (the operator's own mailbox); the From address receives nothing. */
  readonly replyTo?: string;
}

async function mime(config: NoticeConfig, to: string, subject: string, text: string, htmlBody: string): Promise<Buffer> {
  return new MailComposer({ from: config.from, to, ...(config.replyTo ? { replyTo: config.replyTo } : {}), subject, text, html: htmlBody, headers: { 'Auto-Submitted': 'auto-generated' } }).compile().build();
}

const both = (english: string, chinese: string) => bilingualHtml(`${english} · ${chinese}`).value;

const htmlShell = (body: string, postal: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"></head><body style="font-family:-apple-system,'Segoe UI',Roboto,'PingFang SC','Noto Sans CJK SC',sans-serif;line-height:1.55;max-width:36rem;margin:0 auto;padding:16px">${body}<p style="color:#57606a;font-size:12px">Paperboy · <span lang="${langOfText(postal)}">${escapeHtml(postal)}</span></p></body></html>`;

/** Double opt-in: the address owner must click before anything else is sent. */
export function confirmationMail(config: NoticeConfig, to: string, link: string): Promise<Buffer> {
  const text = `Please confirm your Paperboy subscription / 请确认订阅 Paperboy:\n\n${link}\n\nThe link works for 48 hours. If you did not ask for this, ignore this mail: nothing will be sent.\n链接 48 小时内有效。如果不是您本人操作，请忽略本邮件。\n\nPaperboy · ${config.postalAddress}\n`;
  const body = `<h1 style="font-size:20px">${both('Confirm your subscription', '确认订阅')}</h1><p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 18px;background:#b31b1b;color:#fff;border-radius:4px;text-decoration:none;font-weight:600">${both('Confirm', '确认')}</a></p><p>The link works for 48 hours. If you did not ask for this, ignore this mail: nothing will be sent.</p><p lang="zh-CN">链接 48 小时内有效。如果不是您本人操作，请忽略本邮件。</p>`;
  return mime(config, to, 'Confirm your Paperboy subscription · 请确认订阅', text, htmlShell(body, config.postalAddress));
}

/** Someone asked to subscribe an address that already is: tell its owner how to manage it, change nothing. */
export function alreadySubscribedMail(config: NoticeConfig, to: string, preferencesLink: string): Promise<Buffer> {
  const text = `You are already subscribed to Paperboy. Change your categories or language here / 修改订阅设置:\n\n${preferencesLink}\n\nPaperboy · ${config.postalAddress}\n`;
  const body = `<h1 style="font-size:20px">${both('You are already subscribed', '您已订阅')}</h1><p><a href="${escapeHtml(preferencesLink)}">${both('Change your categories or language', '修改订阅设置')}</a></p>`;
  return mime(config, to, 'Your Paperboy subscription · 您的订阅', text, htmlShell(body, config.postalAddress));
}
