import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCounters } from '../../functions/domain/abuse/counters.ts';
import { DynamoCounters } from '../../functions/storage/dynamo-counters.ts';
import { startLocalDynamo } from '../../scripts/local/dynamo-emulator.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack.ts';
import { solvedAltcha } from '../../scripts/local/subscribe-client.ts';
import { launchChromium } from '../support/browser.ts';
import { motoEndpoint } from '../support/moto.ts';

/**
 * Subscription bombing, on the local stack with DynamoDB on moto_server (the limits and the budget
 * are conditional writes; their bound under concurrency is DynamoDB's, so it is tested on a real
 * implementation of it). Bots come from many client addresses: the kernel routes all of
 * 127.0.0.0/8 to loopback, so each bot binds its own 127.a.b.c and the site (CloudFront's stand-in)
 * sees it as a different viewer.
 */
const LIMITS = { perAddressPerHour: 3, perNetworkPerHour: 6, mailsPerHour: 40 };
const PROOF = { cost: 1, counterMin: 1, counterMax: 64, minFillSeconds: 1 };

let dir: string;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-attack-'));
  stack = await startLocalStack({ dir, tokenSecret: 'attack-secret', dynamoEndpoint: motoEndpoint(), s3Endpoint: motoEndpoint(), limits: LIMITS, proof: PROOF });
  await stack.publish();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One HTTP request from a chosen loopback source address, as a bot on that address would make it. */
function send(url: string, from: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: init.method ?? 'GET', localAddress: from, headers: { ...(init.body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}), ...init.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const randomAddress = (tag: string, i: number) => `${tag}-${i}-${Math.random().toString(36).slice(2, 8)}@victims.example`;
const form = (email: string, extra: Record<string, string> = {}) => new URLSearchParams({ email, lang: 'bi', categories: 'all', ...extra }).toString();
/** Bot n of a group spread over `networks` /24s (never 127.0.0.0/24, the real reader's). */
const botAddress = (group: number, n: number, networks: number) => `127.${group}.${(n % networks) + 1}.${Math.floor(n / networks) + 2}`;

/** Runs `tasks` with at most `width` in flight. */
async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < count; i = next++) out[i] = await task(i);
  }));
  return out;
}

describe('subscription bombing', () => {
  it('2,000 requests for random addresses: direct calls refused, mails ≤ the hourly budget, and a real reader still subscribes', async () => {
    const site = stack.apiUrl;
    const direct = `${stack.functionUrl}/api`;
    const statuses: Record<string, number[]> = {};
    const note = (kind: string, status: number) => (statuses[kind] ??= []).push(status);

    // 1. 600 straight at the Function URL, past CloudFront: no secret, a guessed one, forged viewer addresses.
    await inParallel(600, 40, async (i) => {
      const headers: Record<string, string> = i % 3 === 0 ? {} : i % 3 === 1 ? { 'x-paperboy-origin': 'guess' } : { 'x-paperboy-origin': '', 'cloudfront-viewer-address': `203.0.113.${i % 250}:443` };
      note('direct', (await send(`${direct}/subscribe`, botAddress(1, i, 50), { method: 'POST', body: form(randomAddress('direct', i)), headers })).status);
    });
    // 2. 600 through the site with no proof at all (a script posting the form).
    await inParallel(600, 40, async (i) => note('no-proof', (await send(`${site}/subscribe`, botAddress(2, i, 60), { method: 'POST', body: form(randomAddress('plain', i)) })).status));
    // 3. 300 through the site reusing one solved challenge for every address.
    const stolen = await solvedAltcha(site);
    await inParallel(300, 30, async (i) => note('replayed', (await send(`${site}/subscribe`, botAddress(3, i, 30), { method: 'POST', body: form(randomAddress('replay', i), { altcha: stolen }) })).status));
    // 4. 300 along the no-JavaScript path done right: fetch the form, wait the fill time, post its token, from 30 networks.
    await inParallel(300, 100, async (i) => {
      const from = botAddress(4, i, 30);
      const page = await send(`${site}/subscribe`, from);
      const token = /name="form_token" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      await new Promise((r) => setTimeout(r, PROOF.minFillSeconds * 1000 + 50));
      note('form-path', (await send(`${site}/subscribe`, from, { method: 'POST', body: form(randomAddress('form', i), { form_token: token }) })).status);
    });
    // 5. 200 bots that pay the proof of work, from two networks (a couple of rented hosts).
    await inParallel(200, 20, async (i) => {
      const from = botAddress(5, i, 2);
      note('solved', (await send(`${site}/subscribe`, from, { method: 'POST', body: form(randomAddress('solver', i), { altcha: await solvedAltcha(site) }) })).status);
    });
    const total = Object.values(statuses).reduce((n, s) => n + s.length, 0);
    expect(total).toBe(2000);

    const mails = await stack.ses.mails();
    const toVictims = mails.filter((m) => m.destination.to.some((t) => t.endsWith('@victims.example')));
    const count = (tag: string) => toVictims.filter((m) => m.destination.to.some((t) => t.startsWith(`${tag}-`))).length;
    const held = stack.guardEvents.filter((e) => e === 'mail-held-back').length;
    console.log(
      `attack: ${total} requests → ${toVictims.length} confirmation mails (budget ${LIMITS.mailsPerHour}/h): direct ${count('direct')}, no proof ${count('plain')}, replayed ${count('replay')}, form path ${count('form')}, solved ${count('solver')}; ` +
        `refused at the origin ${stack.guardEvents.filter((e) => e === 'origin-refused').length}, without proof ${stack.guardEvents.filter((e) => e === 'no-proof').length}, proof reused ${stack.guardEvents.filter((e) => e === 'proof-reused').length}, rate limited ${stack.guardEvents.filter((e) => e === 'rate-limited').length}, held back by the budget ${held}`,
    );

    expect(statuses.direct!.every((s) => s === 403)).toBe(true);
    expect(count('direct')).toBe(0);
    expect(count('plain')).toBe(0);
    expect(count('replay')).toBeLessThanOrEqual(1);
    expect(toVictims.length).toBeLessThanOrEqual(LIMITS.mailsPerHour);
    // The no-JavaScript path gets at most half the budget, so the form-path flood left room.
    expect(count('form')).toBeLessThanOrEqual(LIMITS.mailsPerHour / 2);
    expect(held).toBeGreaterThan(0);
    // Per network: no /24 got more than its hourly allowance past the limiter.
    expect(count('solver')).toBeLessThanOrEqual(2 * LIMITS.perNetworkPerHour);
    // Nothing is stored for an address whose mail was held back or whose request was refused.
    const stored = await stack.dynamo.client.send(new (await import('@aws-sdk/client-dynamodb')).ScanCommand({ TableName: stack.dynamo.subscribersTable, Select: 'COUNT' }));
    expect(stored.Count).toBe(toVictims.length);

    // A real reader, in a browser, during the same hour: solves the challenge, subscribes, confirms.
    const page = await browser.newPage();
    await page.goto(`${site}/subscribe`);
    await page.getByLabel(/E-mail address/).fill('real.reader@example.com');
    await page.waitForFunction(() => (document.querySelector('input[name="altcha"]') as HTMLInputElement | null)?.value, null, { timeout: 60_000 });
    await page.getByRole('button', { name: /Subscribe/ }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Check your inbox');
    const mail = (await stack.ses.mails()).find((m) => m.destination.to.includes('real.reader@example.com'));
    const link = /https?:\/\/\S+\/api\/confirm\?token=[^\s"<>]+/.exec(mail?.body.text ?? '')?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await page.getByRole('button', { name: /Confirm/ }).click();
    await expect.poll(async () => (await stack.subscribers.get('real.reader@example.com'))?.status).toBe('confirmed');
    await page.close();
  }, 600_000);

  it('a viewer address forged through the site changes nothing: the limiter counts the address CloudFront saw', async () => {
    const from = '127.200.1.9';
    const answers = [];
    for (let i = 0; i < LIMITS.perAddressPerHour + 3; i++) {
      answers.push((await send(`${stack.apiUrl}/subscribe`, from, { method: 'POST', body: form(randomAddress('forger', i), { altcha: await solvedAltcha(stack.apiUrl) }), headers: { 'CloudFront-Viewer-Address': `198.51.100.${i}:443`, 'x-paperboy-origin': 'forged' } })).status);
    }
    expect(answers.slice(0, LIMITS.perAddressPerHour)).toEqual(new Array(LIMITS.perAddressPerHour).fill(202));
    expect(answers.slice(LIMITS.perAddressPerHour)).toEqual([429, 429, 429]);
  });
});

describe('the shared counters on DynamoDB', () => {
  it('50 containers racing for a limit of 10 get exactly 10; a proof claimed by 20 at once is spent once', async () => {
    const dynamo = await startLocalDynamo({ endpoint: motoEndpoint() });
    const counters = new DynamoCounters(dynamo.client, dynamo.limitsTable);
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const taken = await Promise.all(Array.from({ length: 50 }, () => counters.takeBelow('race#1', 10, expires)));
    expect(taken.filter(Boolean)).toHaveLength(10);
    const claims = await Promise.all(Array.from({ length: 20 }, () => counters.claimOnce('altcha#nonce', expires)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    // Every item carries its expiry for DynamoDB's TTL.
    const { GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const item = await dynamo.client.send(new GetItemCommand({ TableName: dynamo.limitsTable, Key: { key: { S: 'race#1' } } }));
    expect(item.Item).toMatchObject({ n: { N: '10' }, expiresAt: { N: String(expires) } });
    await dynamo.stop();
    // The in-memory fake used by unit tests agrees on the rule.
    const memory = new MemoryCounters();
    expect(await Promise.all([1, 2, 3].map(() => memory.takeBelow('k', 2)))).toEqual([true, true, false]);
  });
});
