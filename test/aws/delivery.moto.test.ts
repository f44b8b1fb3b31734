import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { SESClient, VerifyDomainIdentityCommand } from '@aws-sdk/client-ses';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { reconcileSends } from '../../functions/app/newsletter/reconcile-sends.ts';
import { sendRecords, type SendRecordsDeps } from '../../functions/app/newsletter/send-records.ts';
import { EventBridgeSink } from '../../functions/messaging/event-bridge-sink.ts';
import { SesMailer } from '../../functions/messaging/ses-mailer.ts';
import { DIGEST_READY, EVENT_SOURCE } from '../../functions/domain/events.ts';
import { compileEdition } from '../../functions/app/newsletter/compile-edition.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import type { Mailer } from '../../functions/domain/ports/mailer.ts';
import type { SendBatch } from '../../functions/domain/ports/batch-queue.ts';
import { confirm, subscribe } from '../../functions/domain/subscribers/subscriber.ts';
import { DynamoDeliveryLedger } from '../../functions/storage/delivery-ledger.ts';
import { type DeliveryLedger } from '../../functions/domain/ports/delivery-ledger.ts';
import { DynamoSubscriberStore } from '../../functions/storage/subscriber-store.ts';
import { type SubscriberStore } from '../../functions/domain/ports/subscriber-store.ts';
import { createPaperboyTables } from '../../scripts/local/dynamo-emulator.ts';
import { motoClientConfig } from '../../scripts/local/moto-server.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { motoEndpoint } from '../support/moto.ts';
import { pollOnce } from '../support/sqs-event-source.ts';

/**
 * Delivery on moto_server: real SQS (visibility timeout, redelivery, receive counts, redrive to a
 * DLQ), DynamoDB conditional writes for the ledger, SES SendRawEmail, SNS → SQS for SES's events.
 * The stack's settings are kept (batch size 1, maxReceiveCount 5) except the visibility timeout,
 * scaled from 30 minutes to 4 seconds, and the stale-claim age with it (10 minutes → 1 second).
 * moto's SES publishes no Send event (NOTES.md); the mailer wrapper below publishes the documented
 * event record to the SNS topic, as the configuration set's event destination does.
 */
const DAY = '2024-02-05';
const BATCH_SIZE = 1;
const MAX_RECEIVE_COUNT = 5;
const VISIBILITY_S = 4;
const STALE_CLAIM_MS = 1000;
const FROM = 'Paperboy <digest@paperboy.test>';

let sqs: SQSClient;
let dynamo: DynamoDBClient;
let ses: SESClient;
let sns: SNSClient;
const edition = compileEdition(parseDigest(fixtureBytes(DAY), DAY).digest, { siteUrl: 'https://paperboy.test', postalAddress: '1 Example Street' });

beforeAll(async () => {
  const config = motoClientConfig(motoEndpoint());
  sqs = new SQSClient(config);
  dynamo = new DynamoDBClient(config);
  ses = new SESClient(config);
  sns = new SNSClient(config);
  await ses.send(new VerifyDomainIdentityCommand({ Domain: 'paperboy.test' }));
});

const unique = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

async function queueWithDlq(visibilityS = VISIBILITY_S): Promise<{ url: string; dlqUrl: string }> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: unique('send-dlq') }));
  const dlqArn = await queueArn(dlq.QueueUrl);
  const q = await sqs.send(
    new CreateQueueCommand({
      QueueName: unique('send'),
      Attributes: { VisibilityTimeout: String(visibilityS), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: MAX_RECEIVE_COUNT }) },
    }),
  );
  return { url: q.QueueUrl ?? '', dlqUrl: dlq.QueueUrl ?? '' };
}

async function queueDepth(url: string): Promise<number> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes ?? {};
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
}

async function tables(): Promise<{ subscribers: DynamoSubscriberStore; ledger: DynamoDeliveryLedger }> {
  const names = { subscribersTable: unique('subscribers'), deliveriesTable: unique('deliveries') };
  await createPaperboyTables(dynamo, names);
  return { subscribers: new DynamoSubscriberStore(dynamo, names.subscribersTable), ledger: new DynamoDeliveryLedger(dynamo, names.deliveriesTable) };
}

/** A queue's ARN, which SNS subscriptions, redrive policies and EventBridge targets name it by. */
async function queueArn(url: string | undefined): Promise<string | undefined> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
}

async function confirmedReaders(store: SubscriberStore, n: number): Promise<string[]> {
  const emails = Array.from({ length: n }, (_, i) => `reader${i}-${randomBytes(3).toString('hex')}@example.com`);
  const now = new Date();
  for (const email of emails) {
    await store.apply(email, (prev) => subscribe(prev, email, { categories: 'all', lang: 'en' }, now));
    await store.apply(email, (prev) => confirm(prev, 0, now));
  }
  return emails;
}

/** SES's Send events: a topic (the configuration set's destination) with a queue the reconciler reads. */
async function sendEvents(): Promise<{ topicArn: string; queueUrl: string }> {
  const topic = await sns.send(new CreateTopicCommand({ Name: unique('mail-sends') }));
  const q = await sqs.send(new CreateQueueCommand({ QueueName: unique('reconcile') }));
  const arn = await queueArn(q.QueueUrl);
  await sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: arn }));
  return { topicArn: topic.TopicArn ?? '', queueUrl: q.QueueUrl ?? '' };
}

/** SES on moto, plus what its configuration set would publish: one Send event per accepted message, with its tags. */
function sesWithSendEvents(topicArn: string): Mailer & { accepted: Map<string, number> } {
  const inner = new SesMailer(ses, FROM, 'paperboy-mail');
  const accepted = new Map<string, number>();
  return {
    accepted,
    async sendRaw(raw, to, tags = []) {
      const messageId = await inner.sendRaw(raw, to, tags);
      accepted.set(to, (accepted.get(to) ?? 0) + 1);
      const event = { eventType: 'Send', mail: { timestamp: new Date().toISOString(), messageId, source: FROM, destination: [to], tags: Object.fromEntries(tags.map((t) => [t.name, [t.value]])) }, send: {} };
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(event) }));
      return messageId;
    },
  };
}

async function drainReconcile(ledger: DeliveryLedger, queueUrl: string): Promise<number> {
  let confirmed = 0;
  for (;;) {
    const r = await pollOnce(sqs, queueUrl, { batchSize: 10, timeoutMs: 5000 }, async (records) => {
      const out = await reconcileSends(ledger, records.map((rec) => (JSON.parse(rec.body) as { Message: string }).Message));
      confirmed += out.confirmed;
      return { batchItemFailures: [] };
    });
    if (r.outcome === 'empty') return confirmed;
  }
}

const hang = () => new Promise<never>(() => {});
/** A promise that settles once `kill` is called, and the call that kills a sender at its step. */
function deathSignal(): { died: Promise<void>; kill: () => Promise<never> } {
  let resolve: () => void = () => {};
  const died = new Promise<void>((r) => (resolve = r));
  return { died, kill: () => (resolve(), hang()) };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Step = 'before claim' | 'after claim' | 'during SendRawEmail' | 'after SES accepted' | 'before complete';
const STEPS: Step[] = ['before claim', 'after claim', 'during SendRawEmail', 'after SES accepted', 'before complete'];

/** Sender dependencies whose process dies at `step` for `victim`: from there on nothing it started ever finishes. */
function dyingAt(step: Step, victim: string, base: SendRecordsDeps, hang: () => Promise<never>): SendRecordsDeps {
  return {
    ...base,
    subscribers: { ...base.subscribers, get: async (email) => (step === 'before claim' && email === victim ? hang() : base.subscribers.get(email)), apply: base.subscribers.apply.bind(base.subscribers) } as SubscriberStore,
    ledger: {
      claim: async (date, email, attempt, now) => {
        const r = await base.ledger.claim(date, email, attempt, now);
        return step === 'after claim' && email === victim ? hang() : r;
      },
      complete: async (...a) => (step === 'before complete' && a[1] === victim ? hang() : base.ledger.complete(...a)),
      release: (...a) => base.ledger.release(...a),
      mailedBefore: (...a) => base.ledger.mailedBefore(...a),
      listDay: (d) => base.ledger.listDay(d),
      reclaim: (...a) => base.ledger.reclaim(...a),
      confirmSent: (...a) => base.ledger.confirmSent(...a),
    },
    mailer: {
      async sendRaw(raw, to, tags) {
        if (step === 'during SendRawEmail' && to === victim) return hang();
        const id = await base.mailer.sendRaw(raw, to, tags);
        return step === 'after SES accepted' && to === victim ? hang() : id;
      },
    },
  };
}

describe('the sender on SQS, DynamoDB, SES and SNS (moto)', () => {
  for (const step of STEPS) {
    it(`a sender killed ${step} for one reader: the batch comes back after the visibility timeout and every reader gets exactly one mail`, async () => {
      const { subscribers, ledger } = await tables();
      const emails = await confirmedReaders(subscribers, 3);
      const victim = emails[1] ?? '';
      const queue = await queueWithDlq();
      const events = await sendEvents();
      const mailer = sesWithSendEvents(events.topicArn);
      const base: SendRecordsDeps = { subscribers, ledger, tracker: ledger, mailer, edition: async () => edition, config: { apiUrl: 'https://paperboy.test/api', tokenSecret: 's', from: FROM, domain: 'paperboy.test', unsubscribeAddress: 'unsubscribe@paperboy.test', listId: 'Paperboy <daily.paperboy.test>' }, staleClaimMs: STALE_CLAIM_MS, log: () => {} };
      await ledger.start(DAY, emails.length);
      const batch: SendBatch = { run: DAY, parsedKey: `parsed/${DAY}/x.json`, emails };
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(batch) }));

      // First delivery: the sender dies (the invocation never returns; the mapping gives up at its timeout).
      // It gives up shortly after the victim's step was reached (a loaded machine once took over 1.5 s to get there), and
      // at most 3 s in, inside the 4 s visibility timeout.
      const death = deathSignal();
      const gaveUp = death.died.then(() => sleep(300));
      const first = await pollOnce(sqs, queue.url, { batchSize: BATCH_SIZE, timeoutMs: 3000, gaveUp }, (records) => sendRecords(dyingAt(step, victim, base, death.kill), records));
      expect(first).toMatchObject({ received: 1, deleted: 0, outcome: 'timed-out' });
      // Not visible until the timeout has passed.
      expect((await pollOnce(sqs, queue.url, { batchSize: BATCH_SIZE, timeoutMs: 1000 }, async () => ({ batchItemFailures: [] }))).outcome).toBe('empty');
      // SES's Send events reach the ledger (only a message SES accepted has one).
      const confirmed = await drainReconcile(ledger, events.queueUrl);
      expect(confirmed).toBe(step === 'after SES accepted' || step === 'before complete' ? 1 : 0);

      await sleep(VISIBILITY_S * 1000 + 300);
      // The healthy sender's whole invocation: generous, since moto_server is shared with the other test files running beside this one.
      const second = await pollOnce(sqs, queue.url, { batchSize: BATCH_SIZE, timeoutMs: 30_000 }, (records) => sendRecords(base, records));
      expect(second).toMatchObject({ received: 1, deleted: 1, outcome: 'returned', receiveCounts: [2] });

      expect(emails.map((e) => mailer.accepted.get(e) ?? 0)).toEqual([1, 1, 1]);
      expect((await ledger.listDay(DAY)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
      expect(await queueDepth(queue.url)).toBe(0);
    });
  }

  it('a young claim of a live sender is not taken over: the batch comes back, and then finds it sent', async () => {
    const { subscribers, ledger } = await tables();
    const [email] = await confirmedReaders(subscribers, 1);
    const now = new Date();
    await ledger.claim(DAY, email ?? '', 'live-sender', now);
    const events = await sendEvents();
    const mailer = sesWithSendEvents(events.topicArn);
    const deps: SendRecordsDeps = { subscribers, ledger, tracker: ledger, mailer, edition: async () => edition, config: { apiUrl: 'https://paperboy.test/api', tokenSecret: 's', from: FROM, domain: 'paperboy.test', unsubscribeAddress: 'u@paperboy.test', listId: 'x' }, staleClaimMs: 60_000, log: () => {} };
    const out = await sendRecords(deps, [{ messageId: 'm1', body: JSON.stringify({ date: DAY, parsedKey: 'k', emails: [email] }) }]);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(mailer.accepted.size).toBe(0);
    await ledger.complete(DAY, email ?? '', 'live-sender', { status: 'sent', messageId: 'x' }, new Date());
    expect((await sendRecords(deps, [{ messageId: 'm1', body: JSON.stringify({ date: DAY, parsedKey: 'k', emails: [email] }) }])).batchItemFailures).toEqual([]);
    expect(mailer.accepted.size).toBe(0);
  });

  it('a partial batch failure deletes only the successes; a poison message lands in the DLQ after maxReceiveCount', async () => {
    const { subscribers, ledger } = await tables();
    const emails = await confirmedReaders(subscribers, 2);
    const queue = await queueWithDlq(1);
    const events = await sendEvents();
    const mailer = sesWithSendEvents(events.topicArn);
    const deps: SendRecordsDeps = { subscribers, ledger, tracker: ledger, mailer, edition: async () => edition, config: { apiUrl: 'https://paperboy.test/api', tokenSecret: 's', from: FROM, domain: 'paperboy.test', unsubscribeAddress: 'u@paperboy.test', listId: 'x' }, log: () => {} };
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          { Id: 'a', MessageBody: JSON.stringify({ date: DAY, parsedKey: 'k', emails: [emails[0]] }) },
          { Id: 'poison', MessageBody: '{"date": 2024, "oops"' },
          { Id: 'b', MessageBody: JSON.stringify({ date: DAY, parsedKey: 'k', emails: [emails[1]] }) },
        ],
      }),
    );
    const first = await pollOnce(sqs, queue.url, { batchSize: 10, timeoutMs: 10_000 }, (records) => sendRecords(deps, records));
    expect(first).toMatchObject({ received: 3, deleted: 2, outcome: 'returned' });
    expect(emails.map((e) => mailer.accepted.get(e))).toEqual([1, 1]);

    // The poison message comes back, fails each time, and after maxReceiveCount receives SQS moves it to the DLQ.
    const counts: number[] = [];
    for (let i = 0; i < MAX_RECEIVE_COUNT + 3; i++) {
      await sleep(1100);
      const r = await pollOnce(sqs, queue.url, { batchSize: 10, timeoutMs: 5000 }, (records) => sendRecords(deps, records));
      counts.push(...r.receiveCounts);
      if (r.outcome === 'empty' && counts.length >= MAX_RECEIVE_COUNT) break;
    }
    expect(counts).toEqual([2, 3, 4, 5]);
    // The DLQ alarm watches this metric (ApproximateNumberOfMessagesVisible of the DLQ).
    const dlq = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes;
    expect(dlq?.ApproximateNumberOfMessages).toBe('1');
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl }));
    expect(dead.Messages?.[0]?.Body).toBe('{"date": 2024, "oops"');
    expect(emails.map((e) => mailer.accepted.get(e))).toEqual([1, 1]);
  });
});

describe('the run summary (DynamoDB on moto)', () => {
  it('is reported once whatever order the plan and the batches arrive in', async () => {
    const { ledger } = await tables();
    // Batches that finish before the planner recorded its count (it queues them first).
    expect(await ledger.add('2024-02-05', { sent: 2, skipped: 0, suppressed: 0, failed: 0 })).toBeNull();
    expect(await ledger.add('2024-02-05', { sent: 1, skipped: 0, suppressed: 1, failed: 0 })).toBeNull();
    expect(await ledger.start('2024-02-05', 4)).toMatchObject({ planned: 4, sent: 3, suppressed: 1 });
    // The usual order: the last batch reports.
    expect(await ledger.start('2024-02-12', 2)).toBeNull();
    expect(await ledger.add('2024-02-12', { sent: 1, skipped: 0, suppressed: 0, failed: 0 })).toBeNull();
    expect(await ledger.add('2024-02-12', { sent: 1, skipped: 0, suppressed: 0, failed: 0 })).toMatchObject({ planned: 2, sent: 2 });
    // A duplicate plan keeps the first count.
    expect(await ledger.start('2024-02-12', 9)).toBeNull();
  });
});

describe('EventBridge on moto', () => {
  it('DigestReady goes through PutEvents to the rule whose target is an SQS queue; DigestUpdated does not match it', async () => {
    const eb = new EventBridgeClient(motoClientConfig(motoEndpoint()));
    const bus = unique('paperboy');
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    const q = await sqs.send(new CreateQueueCommand({ QueueName: unique('on-ready') }));
    const arn = await queueArn(q.QueueUrl);
    // The stack's own pattern for OnDigestReady.
    await eb.send(new PutRuleCommand({ Name: 'OnDigestReady', EventBusName: bus, EventPattern: JSON.stringify({ source: [EVENT_SOURCE], 'detail-type': [DIGEST_READY] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'OnDigestReady', EventBusName: bus, Targets: [{ Id: 'plan', Arn: arn }] }));

    const sink = new EventBridgeSink(eb, bus);
    await sink.emit({ type: 'DigestReady', date: DAY, hash: 'h', parsedKey: `parsed/${DAY}/h.json`, papers: 70, categories: ['generative'] });
    await sink.emit({ type: 'DigestUpdated', date: DAY, reason: 'abstracts' });
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const bodies = (got.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as { source: string; 'detail-type': string; detail: { date: string; papers: number } });
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ source: EVENT_SOURCE, 'detail-type': DIGEST_READY, detail: { date: DAY, papers: 70 } });
  });
});
