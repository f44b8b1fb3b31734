import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { escapeHtml } from '../../functions/domain/html.ts';
import type { Mailer, MessageTag } from '../../functions/domain/ports/mailer.ts';
import type { RouteHandler } from './site-server.ts';

/**
 * Every message as it went to SES, headers and all, kept as a `.eml` file: the SES emulator's own
 * mailbox shows a parsed copy without the custom headers (List-Unsubscribe, List-Id, Feedback-ID),
 * and a real mail client opens an `.eml` as the reader would see it.
 */
export class KeepingMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    readonly dir: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  async sendRaw(raw: Buffer, to: string, tags?: readonly MessageTag[]): Promise<string> {
    // The sender reuses `raw`'s memory for its next message: the copy is taken before anything awaits.
    const copy = Buffer.from(raw);
    const id = await this.inner.sendRaw(raw, to, tags);
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
    writeFileSync(join(this.dir, name), copy);
    return id;
  }
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) as text, for the list's subjects. */
function decodeWords(value: string): string {
  return value.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

const header = (mime: string, name: string) => new RegExp(`^${name}: ?(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(mime.slice(0, 8192))?.[1]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';

/** `GET /local/mail/`: the kept messages, newest first; `GET /local/mail/<file>.eml`: one, to download. */
export function rawMailboxRoute(dir: string, prefix = '/local/mail/'): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(prefix)) return false;
    const name = decodeURIComponent(path.slice(prefix.length));
    if (name === '') {
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().reverse() : [];
      const rows = files.map((f) => {
        const mime = readFileSync(join(dir, f), 'latin1');
        return `<li><a href="${escapeHtml(f)}" download>${escapeHtml(f)}</a> · to ${escapeHtml(header(mime, 'To'))} · ${escapeHtml(decodeWords(header(mime, 'Subject')))}</li>`;
      });
      const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Paperboy · raw mail</title></head><body><h1>Raw mail (${files.length})</h1><p>Each message exactly as it went to SES, headers included: open one in a mail client.</p><ul>${rows.join('')}</ul></body></html>`;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
      return true;
    }
    if (!/^[\w-]+\.eml$/.test(name) || !existsSync(join(dir, name))) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`no kept message ${name}`);
      return true;
    }
    res.writeHead(200, { 'Content-Type': 'message/rfc822', 'Content-Disposition': `attachment; filename="${name}"` }).end(readFileSync(join(dir, name)));
    return true;
  };
}
