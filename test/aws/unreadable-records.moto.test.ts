import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient, VerifyDomainIdentityCommand } from '@aws-sdk/client-ses';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileEdition } from '../../functions/app/newsletter/compile-edition.ts';
import { sendRecords } from '../../functions/app/newsletter/send-records.ts';
import { SesMailer } from '../../functions/messaging/ses-mailer.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { planSend } from '../../functions/app/newsletter/plan.ts';
import { recordFingerprint, type UnreadableRecord } from '../../functions/domain/subscribers/read-record.ts';
import { confirm, subscribe } from '../../functions/domain/subscribers/subscriber.ts';
import { SqsBatchQueue } from '../../functions/messaging/sqs-batch-queue.ts';
import { DynamoDeliveryLedger } from '../../functions/storage/delivery-ledger.ts';
import { DynamoSubscriberStore } from '../../functions/storage/subscriber-store.ts';
import { createPaperboyTables } from '../../scripts/local/dynamo-emulator.ts';
import { motoClientConfig } from '../../scripts/local/moto-server.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { motoEndpoint } from '../support/moto.ts';
import { pollOnce } from '../support/sqs-event-source.ts';

/**
 * Issue 29.1 on moto_server (DynamoDB, SQS, SES): malformed subscriber records, each broken its own
 * way, fail alone. Two are confirmed records the planner cannot read (a newer schema, numeric
 * categories); one is broken after planning (its filters no longer a list), which the sender meets.
 */
const DAY = '2024-02-05';
const FROM = 'Paperboy <digest@paperboy.test>';
const edition = compileEdition(parseDigest(fixtureBytes(DAY), DAY).digest, { siteUrl: 'https://paperboy.test', postalAddress: '1 Example Street' });
const config = { apiUrl: 'https://paperboy.test/api', tokenSecret: 'test-secret-of-thirty-two-bytes!!', from: FROM, domain: 'paperboy.test', listId: 'Paperboy <daily.paperboy.test>' };

let dynamo: DynamoDBClient;
let sqs: SQSClient;
let ses: SESClient;
beforeAll(async () => {
  const c = motoClientConfig(motoEndpoint());
  dynamo = new DynamoDBClient(c);
  sqs = new SQSClient(c);
  ses = new SESClient(c);
  await ses.send(new VerifyDomainIdentityCommand({ Domain: 'paperboy.test' }));
});

const unique = (p: string) => `${p}-${randomBytes(5).toString('hex')}`;

describe('malformed subscriber records (moto)', () => {
  it('100 readers, 3 broken in different ways: 97 mails, 3 reported, and a second plan sends nothing more', async () => {
    const names = { subscribersTable: unique('subscribers'), deliveriesTable: unique('deliveries') };
    await createPaperboyTables(dynamo, names);
    const store = new DynamoSubscriberStore(dynamo, names.subscribersTable);
    const ledger = new DynamoDeliveryLedger(dynamo, names.deliveriesTable);
    const doc = DynamoDBDocumentClient.from(dynamo);
    const emails = Array.from({ length: 100 }, (_, i) => `reader${String(i).padStart(3, '0')}@example.com`);
    const now = new Date();
    for (const email of emails) {
      await store.apply(email, (prev) => subscribe(prev, email, { categories: 'all', lang: 'en' }, now));
      await store.apply(email, (prev) => confirm(prev, 0, now));
    }
    const [newerSchema, numericCategories, brokenLater] = [emails[10] ?? '', emails[41] ?? '', emails[77] ?? ''];
    const set = (email: string, field: string, value: unknown) => doc.send(new UpdateCommand({ TableName: names.subscribersTable, Key: { email }, UpdateExpression: 'SET #f = :v', ExpressionAttributeNames: { '#f': field }, ExpressionAttributeValues: { ':v': value } }));
    await set(newerSchema, 'schema', 3);
    await set(numericCategories, 'categories', [1, 2]);

    const queue = await sqs.send(new CreateQueueCommand({ QueueName: unique('send'), Attributes: { VisibilityTimeout: '30' } }));
    const queueUrl = queue.QueueUrl ?? '';
    const reported: UnreadableRecord[] = [];
    const plan = () => planSend({ subscribers: store, queue: new SqsBatchQueue(sqs, queueUrl), onUnreadable: (r) => reported.push(...r) }, { date: DAY, parsedKey: `parsed/${DAY}/x.json` }, 50);

    const first = await plan();
    expect(first).toEqual({ recipients: 98, batches: 2, unreadable: 2 });
    // Reported by fingerprint and field, never by address.
    expect(reported.map((r) => r.fingerprint).sort()).toEqual([recordFingerprint(newerSchema), recordFingerprint(numericCategories)].sort());
    expect(JSON.stringify(reported)).not.toContain('@');
    expect(reported.map((r) => r.reason).join(' | ')).toMatch(/schema 3 is newer.*\| .*categories|categories.*\| .*schema 3 is newer/);

    // Broken after planning, before its batch is sent: a console edit, say.
    await doc.send(new PutCommand({ TableName: names.subscribersTable, Item: { ...(await store.get(brokenLater)), filters: { include: 'diffusion', exclude: [], authors: [], rest: 'categories' } } }));

    const mailer = new SesMailer(ses, FROM, 'paperboy-mail');
    const sent = new Map<string, number>();
    const counting = { sendRaw: async (raw: Buffer, to: string, tags?: readonly { name: string; value: string }[]) => (sent.set(to, (sent.get(to) ?? 0) + 1), mailer.sendRaw(raw, to, tags)) };
    const deps = { subscribers: store, ledger, tracker: ledger, mailer: counting, edition: async () => edition, config, log: () => {} };
    await ledger.start(DAY, first.recipients);
    const drain = async () => {
      for (;;) {
        const r = await pollOnce(sqs, queueUrl, { batchSize: 10, timeoutMs: 60_000 }, (records) => sendRecords(deps, records));
        if (r.outcome === 'empty') return;
        // Every batch succeeds as a whole: the broken reader fails alone, nothing waits for a redelivery.
        expect(r).toMatchObject({ outcome: 'returned', deleted: r.received });
      }
    };
    await drain();
    expect([...sent.values()].reduce((a, b) => a + b, 0)).toBe(97);
    expect(sent.has(brokenLater) || sent.has(newerSchema) || sent.has(numericCategories)).toBe(false);
    const rows = await ledger.listDay(DAY);
    const failed = rows.filter((r) => r.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toMatch(/filters is not/);
    expect(failed[0]?.reason).not.toContain('@');
    expect(rows.filter((r) => r.status === 'sending')).toHaveLength(0);

    // A second plan (a duplicate DigestReady) sends nothing more.
    const second = await plan();
    expect(second).toMatchObject({ recipients: 97, unreadable: 3 });
    await drain();
    expect([...sent.values()].reduce((a, b) => a + b, 0)).toBe(97);
    expect(Math.max(...sent.values())).toBe(1);
  }, 180_000);
});
