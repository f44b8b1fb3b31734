import type { LambdaEnv } from '../../functions/commons/lambda-env.ts';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_BUCKET, SITE_BUCKET } from '../../scripts/local/config.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack.ts';
import { startAwsJsonStub } from '../support/aws-json-stub.ts';
import { fixtureBytes, tableFixtureText } from '../support/fixtures.ts';
import { startLocalArxiv, type LocalArxiv } from '../../scripts/local/arxiv-server.ts';
import { serve, type TestServer } from '../support/static-server.ts';
import { synthBundles } from '../support/synth-bundles.ts';

/**
 * Imports the bundles `cdk synth` builds (not the source) and runs each handler once against the
 * emulators, so a dynamic require, a missing template or a file read at run time fails here.
 */
let dir: string;
let stack: LocalStack;
let stub: Awaited<ReturnType<typeof startAwsJsonStub>>;
let source: TestServer;
let arxiv: LocalArxiv;
let bundles: Map<string, string>;
type Handler = (event: unknown, context?: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();
const DAY = '2024-02-04';
const lambdaContext = { getRemainingTimeInMillis: () => 300_000 } as unknown as Context;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-bundles-'));
  bundles = await synthBundles(join(dir, 'cdk.out'));
  stack = await startLocalStack({ dir: join(dir, 'emulators'), tokenSecret: 'bundle-secret' });
  // What `cdk deploy` would put beside the Publish handler; the bundle reads the widget from there.
  const publishDir = dirname(bundles.get('Publish') ?? '');
  stub = await startAwsJsonStub();
  source = await serve({});
  arxiv = await startLocalArxiv({ dir: join(import.meta.dirname, '..', 'fixtures', 'arxiv') });
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    // s3rver checks for its own key pair; the DynamoDB and SES emulators take any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    S3_ENDPOINT: stack.s3.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamo.endpoint,
    AWS_ENDPOINT_URL_SES: stack.ses.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: stub.url,
    AWS_ENDPOINT_URL_SQS: stub.url,
    DATA_BUCKET,
    SITE_BUCKET,
    EVENT_BUS_NAME: 'paperboy',
    SOURCE_URL_TEMPLATE: `${source.url}/data/{yyyy}-{mm}/{yyyy}-{mm}-{dd}.md`,
    ARXIV_API_URL: arxiv.apiEndpoint,
    SUBSCRIBERS_TABLE: stack.dynamo.subscribersTable,
    DELIVERIES_TABLE: stack.dynamo.deliveriesTable,
    LIMITS_TABLE: stack.dynamo.limitsTable,
    LIBRARY_TABLE: stack.dynamo.libraryTable,
    ORIGIN_SECRET: 'bundle-origin',
    ALTCHA_COST: '1',
    ALTCHA_COUNTER_MIN: '1',
    ALTCHA_COUNTER_MAX: '64',
    ALTCHA_ASSETS_DIR: join(publishDir, 'altcha'),
    SEND_QUEUE_URL: `${stub.url}/000000000000/send`,
    TOKEN_SECRET: 'bundle-secret',
    SENDER_FROM: 'Paperboy <digest@paperboy.localhost>',
    SENDER_DOMAIN: 'paperboy.localhost',
    POSTAL_ADDRESS: '1 Example Street',
    SITE_URL: stack.server.url,
    API_URL: `${stack.server.url}/api`,
    // In Lambda this names the ARM64 binary bundled beside the handler (checked below); here the
    // bundle runs on this machine, so it names this machine's build of the same Pagefind version.
    PAGEFIND_EXTENDED_BINARY_PATH: join(import.meta.dirname, '..', '..', 'node_modules', '@pagefind', `linux-${process.arch}`, 'bin', 'pagefind_extended'),
  } satisfies LambdaEnv);
  for (const [name, file] of bundles) handlers.set(name, ((await import(pathToFileURL(file).href)) as { handler: Handler }).handler);
}, 180_000);

afterAll(async () => {
  await source?.stop();
  await arxiv?.stop();
  await stub?.stop();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Publish bundle', () => {
  it('carries an executable Linux ARM64 Pagefind binary beside its handler, where its environment points', () => {
    const bundleDir = dirname(bundles.get('Publish') ?? '');
    const binary = join(bundleDir, 'pagefind_extended');
    const header = readFileSync(binary).subarray(0, 20);
    expect(header.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    // e_machine 0xB7: AArch64, the architecture every function runs on.
    expect(header.readUInt16LE(18)).toBe(0xb7);
    expect(statSync(binary).mode & 0o111).not.toBe(0);
    const template = JSON.parse(readFileSync(join(dir, 'cdk.out', 'Paperboy.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: { Environment?: { Variables?: Record<string, unknown> }; Architectures?: string[] } }> };
    const publish = Object.entries(template.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('Publish'))?.[1];
    expect(publish?.Properties.Architectures).toEqual(['arm64']);
    expect(publish?.Properties.Environment?.Variables?.PAGEFIND_EXTENDED_BINARY_PATH).toBe('/var/task/pagefind_extended');
    // And the ALTCHA widget it publishes for the subscribe form, where ALTCHA_ASSETS_DIR points.
    expect(publish?.Properties.Environment?.Variables?.ALTCHA_ASSETS_DIR).toBe('/var/task/altcha');
    for (const file of ['altcha.js', 'altcha.css', 'pbkdf2.js']) expect(statSync(join(bundleDir, 'altcha', file)).size).toBeGreaterThan(1000);
  });
});

const call = (name: string, event: unknown) => {
  const h = handlers.get(name);
  if (!h) throw new Error(`no bundle for ${name}: ${[...handlers.keys()].join(', ')}`);
  return h(event, lambdaContext);
};

describe('the bundled Lambda handlers', () => {
  it('are nine ESM bundles under 5 MB, each importable on its own', () => {
    expect([...bundles.keys()].sort()).toEqual(['Api', 'Bounces', 'InboundUnsubscribe', 'IngestScheduled', 'IngestUpload', 'PlanSend', 'Publish', 'Reconcile', 'SendBatch']);
    for (const file of bundles.values()) expect(statSync(file).size).toBeLessThan(5 * 1024 * 1024);
  });

  it('run the pipeline once: upload → ingest → publish → subscribe → plan → send → bounce', async () => {
    // Upload trigger.
    await stack.s3.client.send(new PutObjectCommand({ Bucket: DATA_BUCKET, Key: `incoming/${DAY}.md`, Body: fixtureBytes(DAY) }));
    const ingested = (await call('IngestUpload', { Records: [{ s3: { bucket: { name: DATA_BUCKET }, object: { key: `incoming/${DAY}.md` } } }] })) as { status: string }[];
    expect(ingested.map((o) => o.status)).toEqual(['ingested']);
    const ready = stub.calls.find((c) => c.target === 'AWSEvents.PutEvents');
    const detail = JSON.parse((ready?.body.Entries as { Detail: string }[])[0]?.Detail ?? '{}') as { date: string; parsedKey: string };
    expect(detail.date).toBe(DAY);

    // A table-format day (no abstracts): the bundle reads the format and completes it from arXiv.
    await stack.s3.client.send(new PutObjectCommand({ Bucket: DATA_BUCKET, Key: 'incoming/2024-02-05.md', Body: tableFixtureText('2024-02-05') }));
    const table = (await call('IngestUpload', { Records: [{ s3: { bucket: { name: DATA_BUCKET }, object: { key: 'incoming/2024-02-05.md' } } }] })) as { status: string; papers: number }[];
    expect(table).toEqual([expect.objectContaining({ status: 'ingested', papers: 70 })]);
    const enrichment = JSON.parse(new TextDecoder().decode((await stack.data.get('enrichment/2024-02-05.json'))?.body)) as { papers: Record<string, { abstractEn?: string }> };
    expect(Object.values(enrichment.papers).filter((p) => p.abstractEn)).toHaveLength(70);
    expect(arxiv.requests).toEqual([expect.stringMatching(/^\/api\/query\?id_list=/)]);

    // Scheduled ingest: the source has nothing for these days, which is "missing", not a failure.
    expect(await call('IngestScheduled', {})).toMatchObject({ summary: { ingested: 0, missing: 3, failed: 0 }, produced: null });

    // The same bundle configured for paperboy:source=arxiv (a fresh module instance reads the new
    // environment): it produces the recorded announcement into incoming/arxiv/, with the shipped rules.
    arxiv.setListing('cs.CV', readFileSync(join(import.meta.dirname, '..', 'fixtures', 'arxiv', 'listing-2024-02-12.xml'), 'utf8'));
    Object.assign(process.env, { SOURCE: 'arxiv', ARXIV_LISTING_URL: arxiv.listingEndpoint, ARXIV_CATEGORIES: 'cs.CV' });
    const producer = ((await import(`${pathToFileURL(bundles.get('IngestScheduled') ?? '').href}?source=arxiv`)) as { handler: Handler }).handler;
    expect(await producer({}, lambdaContext)).toMatchObject({ summary: null, produced: { status: 'written', date: '2024-02-12', key: 'incoming/arxiv/2024-02-12.md', papers: 35 } });
    const producedDay = (await call('IngestUpload', { Records: [{ s3: { bucket: { name: DATA_BUCKET }, object: { key: 'incoming/arxiv/2024-02-12.md' } } }] })) as { status: string; papers: number }[];
    expect(producedDay).toEqual([expect.objectContaining({ status: 'ingested', papers: 35 })]);
    delete process.env.SOURCE;

    // Publisher.
    const published = (await call('Publish', { detail, rebuild: true })) as { files: number };
    expect(published.files).toBeGreaterThan(100);
    expect(await stack.site.exists('feeds/all.rss.xml')).toBe(true);
    expect(await stack.site.exists('assets/altcha/altcha.js')).toBe(true);

    // Subscription API as a Function URL event, as CloudFront forwards it: the origin secret and the viewer's address.
    const urlEvent = (method: string, path: string, body = '', query = '', headers: Record<string, string> = { 'x-paperboy-origin': 'bundle-origin', 'cloudfront-viewer-address': '198.51.100.7:50123' }) => ({
      rawPath: `/api${path}`,
      rawQueryString: query,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
      isBase64Encoded: false,
      requestContext: { http: { method, sourceIp: '127.0.0.1' }, domainName: 'x' },
    });
    // Called directly, past CloudFront: refused.
    expect(await call('Api', urlEvent('GET', '/subscribe', '', '', {}))).toMatchObject({ statusCode: 403 });
    expect(await call('Api', urlEvent('GET', '/subscribe'))).toMatchObject({ statusCode: 200 });
    const challenge = JSON.parse(((await call('Api', urlEvent('GET', '/altcha'))) as { body: string }).body) as Challenge;
    const altcha = Buffer.from(JSON.stringify({ challenge, solution: await solveChallenge({ challenge, deriveKey }) })).toString('base64');
    expect(await call('Api', urlEvent('POST', '/subscribe', `email=bundle@example.com&lang=bi&categories=all&altcha=${encodeURIComponent(altcha)}`))).toMatchObject({ statusCode: 202 });
    const confirmation = (await stack.ses.mails()).find((m) => m.destination.to.includes('bundle@example.com'));
    const token = /confirm\?token=([^\s"<>]+)/.exec(confirmation?.body.text ?? '')?.[1] ?? '';
    expect(await call('Api', urlEvent('POST', '/confirm', '', `token=${token}`))).toMatchObject({ statusCode: 200 });

    // Planner → (stubbed) SQS → sender.
    // A day this old is a backfill, not news: the planner mails it only when told days that old count.
    expect(await call('PlanSend', { detail: { ...detail, papers: 40 } })).toEqual({ recipients: 0, batches: 0 });
    process.env.SEND_MAX_AGE_DAYS = '100000';
    expect(await call('PlanSend', { detail: { ...detail, papers: 40 } })).toEqual({ recipients: 1, batches: 1 });
    const queued = stub.calls.find((c) => c.target === 'AmazonSQS.SendMessageBatch');
    const records = (queued?.body.Entries as { Id: string; MessageBody: string }[]).map((e) => ({ messageId: e.Id, body: e.MessageBody }));
    expect(await call('SendBatch', { Records: records })).toEqual({ batchItemFailures: [] });
    const newsletter = (await stack.ses.mails()).filter((m) => m.subject.startsWith(`Paperboy ${DAY}`));
    expect(newsletter.map((m) => m.destination.to)).toEqual([['bundle@example.com']]);
    // The bundled sender that completed the run rebuilt the site's status page with it (its grants cover those two files).
    const status = JSON.parse(new TextDecoder().decode((await stack.site.get('status.json'))!.body)) as { lastSend?: { run: string; totals: { sent: number } } };
    expect(status.lastSend).toMatchObject({ run: DAY, totals: { sent: 1 } });

    // The newsletter's List-Unsubscribe mailto, answered by a mail client, received by SES.
    // (The SES emulator keeps no headers of raw mail; the header itself is checked in subscribe-send.e2e.)
    const { unsubscribeMailto } = await import('../../functions/domain/subscribers/links.ts');
    const mailto = unsubscribeMailto({ apiUrl: '', tokenSecret: 'bundle-secret' }, 'unsubscribe@paperboy.localhost', 'bundle@example.com', 1);
    const subject = new URL(mailto).searchParams.get('subject') ?? '';
    expect(subject).toMatch(/^unsubscribe \S+\.\S+$/);
    const received = (s: string) => ({ Records: [{ ses: { mail: { messageId: 'm1', commonHeaders: { subject: s } }, receipt: {} } }] });
    expect(await call('InboundUnsubscribe', received('unsubscribe forged.token'))).toEqual({ unsubscribed: 0, ignored: 1 });
    expect(await call('InboundUnsubscribe', received(`Re: ${subject}`))).toEqual({ unsubscribed: 1, ignored: 0 });
    expect((await stack.subscribers.get('bundle@example.com'))?.status).toBe('unsubscribed');

    // SES bounce notification through SNS.
    const bounce = JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'bundle@example.com' }] } });
    // SES's Send event for that newsletter, as its configuration set publishes it: the row is already sent.
    const row = (await stack.ledger.listDay(DAY)).find((r) => r.email === 'bundle@example.com');
    const sendEvent = { eventType: 'Send', mail: { messageId: 'ses-1', destination: ['bundle@example.com'], tags: { 'paperboy-day': [DAY], 'paperboy-attempt': [row?.attempt ?? ''] } }, send: {} };
    expect(await call('Reconcile', { Records: [{ Sns: { Message: JSON.stringify(sendEvent) } }] })).toEqual({ confirmed: 0, already: 1, late: 0, ignored: 0 });
    expect(await call('Bounces', { Records: [{ Sns: { Message: bounce } }] })).toEqual({ suppressed: 1 });
    // The hourly reading of the rates, as EventBridge's schedule invokes it.
    expect(await call('Bounces', { 'detail-type': 'Scheduled Event', time: new Date().toISOString() })).toEqual({ suppressed: 0 });
    expect((await stack.subscribers.get('bundle@example.com'))?.status).toBe('bounced');
  });
});
