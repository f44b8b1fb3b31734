import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';

/**
 * What Lambda's SQS event source mapping does, on a real queue: receive up to `batchSize`
 * messages (each becomes invisible for the queue's visibility timeout), invoke the handler, and
 * delete the messages it did not report in `batchItemFailures`. An invocation that throws or
 * outlives `timeoutMs` (a function killed or timed out) deletes nothing: SQS redelivers after the
 * visibility timeout, and moves a message to the DLQ after the redrive policy's maxReceiveCount.
 * `gaveUp` ends the invocation as timed out when it settles, before `timeoutMs`: a test that kills
 * a sender at a known step waits for that step, not for a guess of how long a loaded machine takes.
 */
export async function pollOnce(
  sqs: SQSClient,
  queueUrl: string,
  options: { batchSize: number; timeoutMs: number; gaveUp?: Promise<unknown> },
  invoke: (records: SQSRecord[]) => Promise<SQSBatchResponse>,
): Promise<{ received: number; deleted: number; outcome: 'returned' | 'threw' | 'timed-out' | 'empty'; receiveCounts: number[] }> {
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: options.batchSize, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
  const messages = got.Messages ?? [];
  if (messages.length === 0) return { received: 0, deleted: 0, outcome: 'empty', receiveCounts: [] };
  const records = messages.map(
    (m) =>
      ({
        messageId: m.MessageId ?? '',
        receiptHandle: m.ReceiptHandle ?? '',
        body: m.Body ?? '',
        attributes: { ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1' },
        messageAttributes: {},
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueUrl,
        awsRegion: 'us-east-1',
      }) as unknown as SQSRecord,
  );
  const receiveCounts = messages.map((m) => Number(m.Attributes?.ApproximateReceiveCount ?? '1'));
  let response: SQSBatchResponse | 'threw' | 'timed-out';
  let timer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<'timed-out'>((resolve) => {
      timer = setTimeout(() => resolve('timed-out'), options.timeoutMs);
      void options.gaveUp?.then(() => resolve('timed-out'));
    });
    response = await Promise.race([invoke(records), timedOut]);
  } catch {
    response = 'threw';
  } finally {
    clearTimeout(timer);
  }
  if (response === 'threw' || response === 'timed-out') return { received: messages.length, deleted: 0, outcome: response, receiveCounts };
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
  if (done.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
  return { received: messages.length, deleted: done.length, outcome: 'returned', receiveCounts };
}
