import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SesMailer } from '../../functions/messaging/ses-mailer.ts';
import { CollectingEventSink, type DigestReadyEvent } from '../../functions/domain/events.ts';
import { abstractsStep, type EnrichOutcome } from '../../functions/app/ingest/enrich-day.ts';
import { ingestDigest, readDayIndex, type IngestInput, type IngestOutcome } from '../../functions/app/ingest/ingest.ts';
import type { Translator } from '../../functions/domain/ports/translator.ts';
import { ArxivApiClient, politeArxivHttp } from '../../functions/sources/arxiv-api.ts';
import { ArxivRssListing } from '../../functions/sources/arxiv-listing.ts';
import { produceDay, type ProduceOutcome } from '../../functions/app/ingest/produce-day.ts';
import { type ProduceOptions } from '../../functions/domain/arxiv/producer-inputs.ts';
import { ingestStoredObject } from '../../functions/app/ingest/ingest-runs.ts';
import { SHIPPED_MODEL } from '../../functions/domain/classifier/shipped-model.ts';
import { compileEdition } from '../../functions/app/newsletter/compile-edition.ts';
import { editionLoader } from '../../functions/app/newsletter/edition-loader.ts';
import { feedDaysLoader } from '../../functions/app/subscription/feed-days.ts';
import { publishSite, type PublishSummary } from '../../functions/app/publish/publish-site.ts';
import type { Mailer } from '../../functions/domain/ports/mailer.ts';
import { summariseDay, type BatchResult, type DaySummary, type SenderDeps } from '../../functions/app/newsletter/send-batch.ts';
import { type SenderConfig } from '../../functions/domain/sending/sender-config.ts';
import { createApi, type GuardEvent } from '../../functions/app/subscription/api.ts';
import { DynamoLibraryStore } from '../../functions/storage/library-store.ts';
import { type ApiConfig } from '../../functions/domain/subscribers/api-config.ts';
import { DEFAULT_PROOF, type ProofSettings } from '../../functions/domain/abuse/human-proof.ts';
import { DEFAULT_SUBSCRIBE_LIMITS, type SubscribeLimits } from '../../functions/domain/abuse/subscribe-limits.ts';
import { DynamoCounters } from '../../functions/storage/dynamo-counters.ts';
import { DynamoDeliveryLedger } from '../../functions/storage/delivery-ledger.ts';
import { type RunTotals } from '../../functions/domain/ports/delivery-ledger.ts';
import { S3BlobStore } from '../../functions/storage/s3-blob-store.ts';
import type { BlobStore } from '../../functions/domain/ports/blob-store.ts';
import { currentVersion } from '../../functions/domain/day-index.ts';
import { loadDigest } from '../../functions/app/archive/load-digest.ts';
import { DynamoSubscriberStore } from '../../functions/storage/subscriber-store.ts';
import { cloudFrontApiBehaviour, startFunctionUrl, type FunctionUrlServer } from './api-server.ts';
import { DATA_BUCKET, SITE_BUCKET } from './config.ts';
import { startLocalDynamo, type LocalDynamo } from './dynamo-emulator.ts';
import { LocalQueue } from './local-queue.ts';
import { KeepingMailer, rawMailboxRoute } from './raw-mailbox.ts';
import { planDailyRun, planWeeklyRun, type RunPlanDeps } from '../../functions/app/newsletter/plan-runs.ts';
import { publishStatus, recordSend } from '../../functions/app/publish/site-status.ts';
import { sendRecords } from '../../functions/app/newsletter/send-records.ts';
import type { SendBatch } from '../../functions/domain/ports/batch-queue.ts';
import { motoS3Buckets, startLocalS3, type LocalS3 } from './s3-emulator.ts';
import { startLocalSes, type LocalSes } from './ses-emulator.ts';
import { startSiteServer, type SiteServer } from './site-server.ts';

export interface LocalStackOptions {
  /** Folder for the emulators' files; each run of a test passes a fresh temporary one. */
  readonly dir: string;
  readonly port?: number;
  readonly sesPort?: number;
  /** The subscribe form's hourly limits (default: the deployed defaults). */
  readonly limits?: Partial<SubscribeLimits>;
  /** The proof of work and fill time the form asks for (tests make it cheap). */
  readonly proof?: Partial<ProofSettings>;
  /** The subscription API's clock (tests that must not depend on how fast the machine is). */
  readonly apiNow?: () => Date;
  /** A DynamoDB endpoint to use instead of dynalite (moto_server: tests whose claims rest on DynamoDB's semantics). */
  readonly dynamoEndpoint?: string;
  /** An S3 endpoint to use instead of s3rver (moto_server: conditional writes answer 412), with fresh buckets. */
  readonly s3Endpoint?: string;
  /** Where the sender's SES client points: the emulator itself, or a fault-injecting proxy in front of it. */
  readonly sesEndpointForSender?: (ses: LocalSes) => string;
  readonly wrapMailer?: (mailer: Mailer) => Mailer;
  /** Keep every message as sent under dir/mail/, served at /local/mail/ (npm start; off where thousands are sent). */
  readonly keepRawMail?: boolean;
  readonly tokenSecret?: string;
  /** Keep DynamoDB in memory instead of under `dir` (benchmarks). */
  readonly dynamoInMemory?: boolean;
  /** arXiv API endpoint for abstracts (a loopback server of recorded answers); none: no abstracts step. */
  readonly arxivEndpoint?: string;
  readonly translator?: Translator;
  /** arXiv listing feeds (a loopback server of recorded listings), for the producer. */
  readonly arxivListingEndpoint?: string;
}

export interface LocalStack {
  readonly s3: LocalS3;
  readonly dynamo: LocalDynamo;
  readonly ses: LocalSes;
  readonly server: SiteServer;
  readonly data: S3BlobStore;
  readonly site: S3BlobStore;
  readonly subscribers: DynamoSubscriberStore;
  readonly library: DynamoLibraryStore;
  readonly ledger: DynamoDeliveryLedger;
  readonly queue: LocalQueue;
  /** The API through the site, as readers reach it (CloudFront's /api/* in AWS). */
  readonly apiUrl: string;
  /** The API function's own URL, which anyone could call directly, past CloudFront. */
  readonly functionUrl: string;
  /** What the subscribe form's defences turned away, in order (the metrics in AWS). */
  readonly guardEvents: GuardEvent[];
  readonly senderConfig: SenderConfig;
  senderDeps(overrides?: Partial<SenderDeps>): SenderDeps;
  ingest(input: IngestInput): Promise<IngestOutcome>;
  /** Runs the producer on the recorded listing, then ingests what it wrote, as the upload trigger does. */
  produce(options?: Partial<ProduceOptions>): Promise<{ produced: ProduceOutcome; ingested: IngestOutcome | null }>;
  /** What the abstracts step did for each day it ran on, in order. */
  readonly enrichments: EnrichOutcome[];
  publish(): Promise<PublishSummary>;
  /** Plans the day's send and drains the queue with `concurrency` senders; returns the ledger's summary. */
  /** `fromIndex`: a day published by an earlier run is planned from its day index (npm start -- --resend). */
  /** `log`: what the senders logged (a batch retried, and why). */
  send(date: string, options?: { concurrency?: number; deps?: Partial<SenderDeps>; fromIndex?: boolean }): Promise<{ summary: DaySummary; batches: number; results: BatchResult[]; log: Record<string, unknown>[]; completed: RunTotals | null }>;
  /** The weekly mail sent on `date` (as the daily schedule does in AWS); null when no day was mailed the week before. */
  sendWeek(date: string, options?: { concurrency?: number; deps?: Partial<SenderDeps> }): Promise<{ summary: DaySummary; batches: number; results: BatchResult[]; log: Record<string, unknown>[]; papers: number; days: number } | null>;
  stop(): Promise<void>;
}

/** The local token secret lives in a file, as it lives in Secrets Manager in AWS. */
function tokenSecret(dir: string): string {
  const file = join(dir, 'token-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** Every emulator on 127.0.0.1 and the same domain code the Lambdas run, wired as the CDK stack wires them. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(options.dir, { recursive: true });
  const s3 = options.s3Endpoint ? await motoS3Buckets(options.s3Endpoint, [DATA_BUCKET, SITE_BUCKET]) : { ...(await startLocalS3({ directory: join(options.dir, 's3'), buckets: [DATA_BUCKET, SITE_BUCKET] })), names: { [DATA_BUCKET]: DATA_BUCKET, [SITE_BUCKET]: SITE_BUCKET } };
  const dataBucket = s3.names[DATA_BUCKET] ?? DATA_BUCKET;
  const siteBucket = s3.names[SITE_BUCKET] ?? SITE_BUCKET;
  const dynamo = await startLocalDynamo(options.dynamoEndpoint ? { endpoint: options.dynamoEndpoint } : options.dynamoInMemory ? {} : { path: join(options.dir, 'dynamodb') });
  const ses = await startLocalSes(options.sesPort ?? 0);
  const data = new S3BlobStore(s3.client, dataBucket);
  const site = new S3BlobStore(s3.client, siteBucket);
  const subscribers = new DynamoSubscriberStore(dynamo.client, dynamo.subscribersTable);
  const ledger = new DynamoDeliveryLedger(dynamo.client, dynamo.deliveriesTable);
  const library = new DynamoLibraryStore(dynamo.client, dynamo.libraryTable);
  const queue = new LocalQueue();
  const secret = options.tokenSecret ?? tokenSecret(options.dir);
  const from = 'Paperboy <digest@paperboy.localhost>';
  const postalAddress = 'Paperboy, 1 Example Street, 00000 Example City';
  /** Where readers' replies go: the operator's own mailbox (paperboy:replyTo in a deployment). */
  const replyTo = 'operator@paperboy.localhost';

  // As in AWS: the site server plays CloudFront, adding the origin secret and the viewer's address
  // on its way to the API function's own URL, which refuses anything without the secret.
  const originSecret = randomBytes(24).toString('base64url');
  // Every message kept as sent, headers included, downloadable as .eml from the site server.
  const rawMailDir = join(options.dir, 'mail');
  const keep = (m: Mailer): Mailer => (options.keepRawMail ? new KeepingMailer(m, rawMailDir) : m);
  let functionUrl: FunctionUrlServer | null = null;
  const server = await startSiteServer({
    client: s3.client,
    bucket: siteBucket,
    ...(options.port !== undefined ? { port: options.port } : {}),
    routes: [cloudFrontApiBehaviour(() => functionUrl?.url ?? 'http://127.0.0.1:1', originSecret), rawMailboxRoute(rawMailDir)],
  });
  const apiUrl = `${server.url}/api`;
  const apiConfig: ApiConfig = { apiUrl, tokenSecret: secret, from, postalAddress, replyTo, limits: { ...DEFAULT_SUBSCRIBE_LIMITS, ...options.limits }, proof: { ...DEFAULT_PROOF, ...options.proof } };
  // Loopback only: no pause between requests (arXiv's 3 s applies to arXiv, not to a recording).
  // One polite client for all arXiv traffic of the stack, as in a Lambda container.
  const arxivHttp = politeArxivHttp({ minIntervalMs: 0, backoffBaseMs: 10, timeoutMs: 5000 });
  const arxiv = options.arxivEndpoint ? new ArxivApiClient({ endpoint: options.arxivEndpoint, http: arxivHttp }) : null;
  const guardEvents: GuardEvent[] = [];
  const api = createApi({
    store: subscribers,
    counters: new DynamoCounters(dynamo.client, dynamo.limitsTable),
    mailer: keep(new SesMailer(ses.client(), from)),
    config: apiConfig,
    originSecrets: async () => [originSecret],
    onGuard: (event) => guardEvents.push(event),
    feedDays: feedDaysLoader(data, 0),
    library,
    arxiv,
    ...(options.apiNow ? { now: options.apiNow } : {}),
  });
  functionUrl = await startFunctionUrl(api);

  const senderConfig: SenderConfig = {
    apiUrl,
    tokenSecret: secret,
    from,
    domain: 'paperboy.localhost',
    unsubscribeAddress: 'unsubscribe@paperboy.localhost',
    listId: 'Paperboy daily <daily.paperboy.localhost>',
    replyTo,
  };
  const baseMailer = new SesMailer(ses.client(options.sesEndpointForSender?.(ses) ?? ses.endpoint), from);
  const kept = keep(baseMailer);
  const mailer = options.wrapMailer ? options.wrapMailer(kept) : kept;
  // As in AWS: the planner compiles and stores the edition; the sender only loads it.
  const loadEditionOnce = editionLoader(data);
  const edition: SenderDeps['edition'] = (batch) => loadEditionOnce(batch);
  const events = new CollectingEventSink();
  const enrichments: EnrichOutcome[] = [];
  const complete = abstractsStep({ store: data, arxiv, translator: options.translator ?? null }, (outcome) => enrichments.push(outcome));
  const senderDeps = (overrides: Partial<SenderDeps> = {}): SenderDeps => ({ subscribers, ledger, library, mailer, edition, config: senderConfig, retry: { attempts: 8, baseMs: 20, capMs: 400 }, ...overrides });
  const planDeps: RunPlanDeps = { subscribers, queue, data, tracker: ledger, editionConfig: { siteUrl: server.url, postalAddress }, compile: compileEdition };
  /** The queue drained as the SQS event source does it: receives of records through the sender's handler code, failed ids redelivered. */
  const drainAsSqs = async (opts: { concurrency?: number; deps?: Partial<SenderDeps> }) => {
    const results: BatchResult[] = [];
    const log: Record<string, unknown>[] = [];
    let completed: RunTotals | null = null;
    const deps = {
      ...senderDeps(opts.deps),
      tracker: ledger,
      // Kept, not printed: a test that finds a mail missing shows what the senders said.
      log: (line: Record<string, unknown>) => void log.push(line),
      onBatch: (_batch: SendBatch, result: BatchResult, totals: RunTotals | null) => void (results.push(result), (completed = totals ?? completed)),
      // As the Lambda does: the batch that completes a run records it and rebuilds the status page.
      onRunComplete: async (run: SendBatch['run'], totals: RunTotals) => {
        await recordSend(data, run, totals, new Date());
        await publishStatus(data, site, 3);
      },
    };
    await queue.drain((records) => sendRecords(deps, records), opts.concurrency ?? 2);
    return { results, log, completed: completed as RunTotals | null };
  };

  return {
    s3,
    dynamo,
    ses,
    server,
    data,
    site,
    subscribers,
    library,
    ledger,
    queue,
    apiUrl,
    functionUrl: functionUrl.url,
    guardEvents,
    senderConfig,
    senderDeps,
    ingest: (input) => ingestDigest({ store: data, events, ...(complete ? { complete } : {}) }, input),
    async produce(produceOptions = {}) {
      if (!options.arxivEndpoint || !options.arxivListingEndpoint) throw new Error('the producer needs arxivEndpoint and arxivListingEndpoint');
      const produced = await produceDay(
        { store: data, listing: new ArxivRssListing(arxivHttp, options.arxivListingEndpoint), arxiv: arxiv ?? new ArxivApiClient({ endpoint: options.arxivEndpoint, http: arxivHttp }), model: SHIPPED_MODEL },
        { categories: ['cs.CV'], crossLists: false, ...produceOptions },
      );
      const ingested = produced.status === 'written' || produced.status === 'unchanged' ? await ingestStoredObject({ store: data, events, ...(complete ? { complete } : {}) }, produced.key, dataBucket) : null;
      return { produced, ingested };
    },
    enrichments,
    publish: () => publishSite({ data, site }, { baseUrl: server.url, allPages: true, maxSearchShards: Number.POSITIVE_INFINITY }),
    async send(date, opts = {}) {
      // A day ingested by an earlier run has no event here: its published version in the day index stands in for it.
      const ready = events.ready().filter((e) => e.date === date).at(-1) ?? (opts.fromIndex ? await readyFromIndex(data, date) : null);
      if (!ready) throw new Error(`no DigestReady event for ${date}`);
      // Recorded days are old: the laptop mails them whatever their age.
      const plan = await planDailyRun(planDeps, ready, 'any age');
      if (!plan.planned) throw new Error(`${date} not planned: ${plan.reason}`);
      const drained = await drainAsSqs(opts);
      return { summary: summariseDay(await ledger.listDay(plan.run)), batches: plan.batches, results: drained.results, log: drained.log, completed: drained.completed };
    },
    async sendWeek(date, opts = {}) {
      const plan = await planWeeklyRun(planDeps, date);
      if (!plan.planned) return null;
      const drained = await drainAsSqs(opts);
      return { summary: summariseDay(await ledger.listDay(plan.run)), batches: plan.batches, results: drained.results, log: drained.log, papers: plan.week?.papers ?? 0, days: plan.week?.days ?? 0 };
    },
    async stop() {
      await server.stop();
      await functionUrl?.stop();
      await ses.stop();
      await dynamo.stop();
      await s3.stop();
    },
  };
}

/** The DigestReady a day's current published version announced, rebuilt from its day index. */
async function readyFromIndex(data: BlobStore, date: string): Promise<DigestReadyEvent | null> {
  const version = currentVersion((await readDayIndex(data, date)).value);
  if (!version || version.status !== 'published') return null;
  const digest = await loadDigest(data, version.resultKey);
  return { type: 'DigestReady', date, hash: version.hash, parsedKey: version.resultKey, papers: version.papers, categories: digest.sections.map((s) => s.category.slug) };
}
