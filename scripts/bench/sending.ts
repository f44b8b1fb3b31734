import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Mailer } from '../../functions/domain/ports/mailer.ts';
import type { DeliveryLedger } from '../../functions/domain/ports/delivery-ledger.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { SAMPLE_DIGESTS } from '../local/config.ts';
import { startLocalStack } from '../local/stack.ts';
import { randomRecipients } from './newsletter.ts';
import { peakRssMb } from './stats.ts';

/** Plan + render + hand to the SES emulator for N subscribers, with where the time goes. */
export async function benchSending(count = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000)): Promise<void> {
  const day = '2024-02-04';
  const bytes = readFileSync(join(SAMPLE_DIGESTS, `${day}.md`));
  const digest = parseDigest(bytes, day).digest;
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-send-'));
  const stack = await startLocalStack({ dir, tokenSecret: 'bench', dynamoInMemory: true });
  try {
    const doc = DynamoDBDocumentClient.from(stack.dynamo.client);
    const now = new Date().toISOString();
    const people = randomRecipients(digest, count, 7);
    for (let i = 0; i < people.length; i += 25) {
      const items = people.slice(i, i + 25).map((p) => ({
        PutRequest: { Item: { email: p.email, status: 'confirmed', categories: p.categories, lang: p.lang, createdAt: now, updatedAt: now, tokenGeneration: 0, confirmationsSent: [], version: 1, log: [] } },
      }));
      await doc.send(new BatchWriteCommand({ RequestItems: { [stack.dynamo.subscribersTable]: items } }));
    }
    await stack.ingest({ bytes, source: `${day}.md` });

    let sesMs = 0;
    let ledgerMs = 0;
    let handed = 0;
    const timedMailer = (inner: Mailer): Mailer => ({
      async sendRaw(raw, to) {
        const t = performance.now();
        try {
          return await inner.sendRaw(raw, to);
        } finally {
          sesMs += performance.now() - t;
          // The emulator keeps every mail in memory; empty it now and then so the bench measures sending, not its heap.
          if (++handed % 1000 === 0) await stack.ses.clear();
        }
      },
    });
    const timed = <T extends (...a: never[]) => Promise<unknown>>(f: T): T =>
      (async (...a: Parameters<T>) => {
        const t = performance.now();
        try {
          return await f(...a);
        } finally {
          ledgerMs += performance.now() - t;
        }
      }) as T;
    const l = stack.ledger;
    const ledger: DeliveryLedger = { claim: timed(l.claim.bind(l)), complete: timed(l.complete.bind(l)), release: timed(l.release.bind(l)), listDay: l.listDay.bind(l), reclaim: timed(l.reclaim.bind(l)), confirmSent: l.confirmSent.bind(l), mailedBefore: timed(l.mailedBefore.bind(l)) };

    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const { summary, batches } = await stack.send(day, { concurrency: 4, deps: { mailer: timedMailer(stack.senderDeps().mailer), ledger } });
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    console.log(`## sending (${count} confirmed subscribers, random preferences, ${day}; 4 concurrent senders; emulators in this process)`);
    console.log(`sent ${summary.sent}, skipped ${summary.skipped} (nothing in their categories), failed ${summary.failed}, in ${batches} batches`);
    console.log(`  wall ${(wall / 1000).toFixed(1)} s → ${(summary.sent / (wall / 1000)).toFixed(0)} messages/s; CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (emulators included)`);
    console.log(`  time summed over the 4 senders: SES hand-off ${(sesMs / 1000).toFixed(1)} s, ledger ${(ledgerMs / 1000).toFixed(1)} s, the rest (plan, subscriber reads, render, MIME) ${((wall * 4 - sesMs - ledgerMs) / 1000).toFixed(1)} s`);
    console.log(`peak memory (RSS) so far: ${peakRssMb().toFixed(0)} MB`);
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
