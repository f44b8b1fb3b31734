import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { RunTotals, RunTracker } from '../../domain/ports/delivery-ledger.ts';
import { readSendBatch, type SendBatch } from '../../domain/ports/batch-queue.ts';
import { RetryBatchError, sendBatch, type BatchResult, type SenderDeps } from './send-batch.ts';

export interface SendRecordsDeps extends SenderDeps {
  readonly tracker: RunTracker;
  readonly log?: (line: Record<string, unknown>) => void;
  /** Each batch's outcome, and the run's totals once it is complete (the handler turns them into metrics). */
  readonly onBatch?: (batch: SendBatch, result: BatchResult, totals: RunTotals | null) => void;
  /**
   * Once, by the batch that completes a run (the status page's "last send"). Its failure is logged,
   * not thrown: the mails are sent and counted, and a redelivery would only find them done.
   */
  readonly onRunComplete?: (run: SendBatch['run'], totals: RunTotals) => Promise<void>;
}

/**
 * One SQS delivery of send batches: each record is sent on its own; a record that must come back
 * (throttling, time running out, a claim still in flight, an unreadable body) is reported in
 * `batchItemFailures`, so SQS deletes the others and redelivers only it. Records are handled one
 * after another (the processor's sequential mode): each batch already paces itself against SES.
 */
export async function sendRecords(deps: SendRecordsDeps, records: readonly Pick<SQSRecord, 'messageId' | 'body'>[]): Promise<SQSBatchResponse> {
  const log = deps.log ?? ((line) => console.log(JSON.stringify(line)));
  const sendOne = async (record: SQSRecord): Promise<void> => {
    let batch: SendBatch;
    try {
      batch = readSendBatch(record.body);
    } catch (err) {
      log({ msg: `message ${record.messageId} is not a send batch; it goes to the dead-letter queue after its retries`, error: (err as Error).message });
      throw err;
    }
    try {
      await count(deps, batch, await sendBatch(deps, batch), log);
    } catch (err) {
      // What a retried batch did before it stopped still counts; its redelivery finds those rows done.
      if (err instanceof RetryBatchError) await count(deps, batch, err.partial, log);
      log({ msg: `batch for ${batch.run} will be retried`, error: (err as Error).message });
      throw err;
    }
  };
  // Powertools' batch processor reports each failed record; with every record failed it still
  // answers with the list (not an exception), so SQS treats one message or many the same way.
  const event = { Records: records as SQSRecord[] } as SQSEvent;
  return processPartialResponse(event, sendOne, new BatchProcessor(EventType.SQS), { throwOnFullBatchFailure: false });
}

async function count(deps: SendRecordsDeps, batch: SendBatch, result: BatchResult, log: (line: Record<string, unknown>) => void): Promise<void> {
  const totals = await deps.tracker.add(batch.run, result);
  deps.onBatch?.(batch, result, totals);
  log({ msg: `batch of ${batch.emails.length} for ${batch.run}`, result });
  if (!totals) return;
  log({ msg: `send run for ${batch.run} complete`, summary: totals });
  try {
    await deps.onRunComplete?.(batch.run, totals);
  } catch (err) {
    log({ msg: `send run for ${batch.run}: the status page was not updated`, error: (err as Error).message });
  }
}
