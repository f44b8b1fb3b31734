import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OPEN_FORM } from '../support/subscribe.ts';
import { solvedAltcha, subscribeWithProof } from '../../scripts/local/subscribe-client.ts';
import { LANGS } from '../../functions/domain/language.ts';
import { suppressionsFrom } from '../../functions/domain/subscribers/bounces.ts';
import { confirm, subscribe, suppress } from '../../functions/domain/subscribers/subscriber.ts';
import { signToken } from '../../functions/domain/subscribers/tokens.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../scripts/local/stack.ts';
import { fixtureBytes } from '../support/fixtures.ts';

const DAY = '2024-02-04';
const SECRET = 'faults-secret';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function stackWith(options: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-faults-'));
  const stack = await startLocalStack({ dir, tokenSecret: SECRET, ...OPEN_FORM, ...options });
  cleanups.push(async () => {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return stack;
}

async function confirmed(stack: LocalStack, n: number): Promise<string[]> {
  const emails = Array.from({ length: n }, (_, i) => `reader${String(i).padStart(3, '0')}@example.com`);
  const now = new Date();
  await Promise.all(
    emails.map(async (email, i) => {
      await stack.subscribers.apply(email, (prev) => subscribe(prev, email, { categories: 'all', lang: LANGS[i % 3]! }, now));
      await stack.subscribers.apply(email, (prev) => confirm(prev, 0, now));
    }),
  );
  return emails;
}

function countPerRecipient(mails: { destination: { to: readonly string[] } }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of mails) for (const to of m.destination.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

/** An HTTP proxy in front of the SES emulator that answers SES's own Throttling error to chosen requests. */
async function throttlingProxy(target: string, throttle: (n: number) => boolean): Promise<{ url: string; throttled: () => number; server: Server }> {
  let n = 0;
  let throttled = 0;
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.includes('Action=SendRawEmail') && throttle(++n)) {
        throttled++;
        res.writeHead(400, { 'Content-Type': 'text/xml' }).end(
          '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>',
        );
        return;
      }
      const fwd = request({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      fwd.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, throttled: () => throttled, server };
}

describe('faults', () => {
  it('SES throttling (injected at the HTTP layer): backs off, and still one mail each', async () => {
    let proxy: { url: string; throttled: () => number } | undefined;
    const stack = await stackWith({ sesEndpointForSender: (ses) => proxy?.url ?? ses.endpoint });
    proxy = await throttlingProxy(stack.ses.endpoint, (n) => n % 3 !== 0 || n < 8);
    // The stack built its sender client before the proxy existed: rebuild the sender's mailer on the proxy.
    const { SesMailer } = await import('../../functions/messaging/ses-mailer.ts');
    const mailer = new SesMailer(stack.ses.client(proxy.url), stack.senderConfig.from);
    const emails = await confirmed(stack, 25);
    await stack.ingest({ bytes: fixtureBytes(DAY), source: `${DAY}.md` });
    const { summary } = await stack.send(DAY, { concurrency: 3, deps: { mailer } });
    expect(proxy.throttled()).toBeGreaterThan(20);
    expect(summary).toMatchObject({ sent: 25, failed: 0, unconfirmed: 0 });
    const counts = countPerRecipient(await stack.ses.mails());
    expect([...counts.keys()].sort()).toEqual(emails);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
  });

  it('throttling that never ends: the batch goes back on the queue, then to the dead-letter queue, and nothing is sent twice', async () => {
    const stack = await stackWith();
    const { SesMailer } = await import('../../functions/messaging/ses-mailer.ts');
    const proxy = await throttlingProxy(stack.ses.endpoint, (n) => n > 3);
    const mailer = new SesMailer(stack.ses.client(proxy.url), stack.senderConfig.from);
    await confirmed(stack, 10);
    await stack.ingest({ bytes: fixtureBytes(DAY), source: `${DAY}.md` });
    const { summary } = await stack.send(DAY, { deps: { mailer, retry: { attempts: 3, baseMs: 1, capMs: 5 } } });
    expect(stack.queue.deadLetters).toHaveLength(1);
    expect(summary).toMatchObject({ sent: 3, unconfirmed: 0 });
    expect([...countPerRecipient(await stack.ses.mails()).values()]).toEqual([1, 1, 1]);
  });

  // A sender killed mid-batch is tested on real SQS, DynamoDB and SES semantics: delivery.moto.test.ts.

  it('concurrent subscribe and unsubscribe for one address: no lost update, the last applied request wins', async () => {
    const stack = await stackWith();
    const email = 'race@example.com';
    const token = signToken(SECRET, { p: 'unsubscribe', e: email, g: 0 });
    const ops = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 'subscribe' : 'unsubscribe'));
    // Each subscribe carries its own solved challenge (a proof is good once), fetched before the race.
    const proofs = await Promise.all(ops.map(() => solvedAltcha(stack.apiUrl)));
    const results = await Promise.all(
      ops.map((op, i) =>
        op === 'subscribe'
          ? fetch(`${stack.apiUrl}/subscribe`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `email=${email}&lang=en&categories=all&altcha=${encodeURIComponent(proofs[i]!)}` })
          : fetch(`${stack.apiUrl}/unsubscribe?token=${encodeURIComponent(token)}`, { method: 'POST', body: 'List-Unsubscribe=One-Click' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(ops.map((op) => (op === "subscribe" ? 202 : 200)));
    const record = await stack.subscribers.get(email);
    // Every request that changed the record is in its log: none was overwritten by a racing one.
    const applied = record?.log.map((l) => l.op) ?? [];
    expect(applied.filter((op) => op === 'subscribe')).toHaveLength(15);
    expect(record?.version).toBe(applied.length);
    const last = applied[applied.length - 1];
    expect(record?.status).toBe(last === 'unsubscribe' ? 'unsubscribed' : 'pending');
  });

  it('a burst of subscribe requests keeps answering and loses none', async () => {
    const stack = await stackWith();
    const n = 300;
    const emails = Array.from({ length: n }, (_, i) => `burst${i}@example.com`);
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        for (let i = next++; i < n; i = next++) {
          const res = await fetch(`${stack.apiUrl}/subscribe`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `email=${emails[i]}&lang=bi&categories=all&altcha=${encodeURIComponent(await solvedAltcha(stack.apiUrl))}` });
          await res.arrayBuffer();
          statuses.push(res.status);
        }
      }),
    );
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    expect(statuses).toHaveLength(n);
    const stored = await Promise.all(emails.map((e) => stack.subscribers.get(e)));
    expect(stored.filter((s) => s?.status === 'pending')).toHaveLength(n);
    expect(countPerRecipient(await stack.ses.mails()).size).toBe(n);
  });

  it('bounces and complaints stop mail to the address', async () => {
    const stack = await stackWith();
    const emails = await confirmed(stack, 4);
    const notification = (type: string, addr: string) =>
      JSON.stringify(type === 'Bounce' ? { notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: addr.toUpperCase() }] } } : { notificationType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: addr }] } });
    const transient = JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: emails[2] }] } });
    for (const msg of [notification('Bounce', emails[0]!), notification('Complaint', emails[1]!), transient, 'not json']) {
      for (const s of suppressionsFrom(msg)) await stack.subscribers.apply(s.email, (prev) => suppress(prev, s.reason, new Date()));
    }
    expect((await stack.subscribers.get(emails[0]!))?.status).toBe('bounced');
    expect((await stack.subscribers.get(emails[1]!))?.status).toBe('complained');
    await stack.ingest({ bytes: fixtureBytes(DAY), source: `${DAY}.md` });
    const { summary } = await stack.send(DAY);
    expect(summary.sent).toBe(2);
    expect([...countPerRecipient(await stack.ses.mails()).keys()].sort()).toEqual([emails[2], emails[3]]);
    // A suppressed address cannot resubscribe itself back into the list.
    await subscribeWithProof(stack.apiUrl, { email: emails[0]!, lang: 'en', categories: 'all' });
    expect((await stack.subscribers.get(emails[0]!))?.status).toBe('bounced');
  });
});
