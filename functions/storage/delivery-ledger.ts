import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DELIVERIES_TABLE, DELIVERY_ROW_TTL_DAYS } from './tables.ts';
import { weeklyRun } from '../domain/sending/run-key.ts';
import type { Delivery, DeliveryLedger, RunTotals, RunTracker } from '../domain/ports/delivery-ledger.ts';

/** The run's counters live in the ledger table under this sort key, beside the day's rows. */
export const RUN_KEY = '#run';

export class DynamoDeliveryLedger implements DeliveryLedger, RunTracker {
  private readonly doc: DynamoDBDocumentClient;
  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Sends a conditional write; `false` when its condition did not hold (another writer was first). */
  private async conditionally(command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.doc.send(command as UpdateCommand);
      return true;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      return false;
    }
  }

  private async row(date: string, email: string): Promise<Delivery | undefined> {
    return (await this.doc.send(new GetCommand({ TableName: this.table, Key: { date, email }, ConsistentRead: true }))).Item as Delivery | undefined;
  }

  async claim(date: string, email: string, attempt: string, now: Date): Promise<Delivery | null> {
    const claimed = await this.conditionally(
      new PutCommand({
        TableName: this.table,
        Item: { date, email, status: 'sending', attempt, updatedAt: now.toISOString(), [DELIVERIES_TABLE.expiresAttribute]: Math.floor(now.getTime() / 1000) + DELIVERY_ROW_TTL_DAYS * 86_400 },
        ConditionExpression: 'attribute_not_exists(email)',
      }),
    );
    if (claimed) return null;
    return (await this.row(date, email)) ?? { date, email, status: 'sending', attempt: 'unknown', updatedAt: now.toISOString() };
  }

  async complete(date: string, email: string, attempt: string, outcome: { status: 'sent'; messageId: string; ids?: readonly string[] } | { status: 'failed' | 'skipped'; reason: string }, now: Date): Promise<void> {
    const extra = outcome.status === 'sent' ? { messageId: outcome.messageId, ...(outcome.ids?.length ? { ids: outcome.ids.join(' ') } : {}) } : { reason: outcome.reason };
    const names: Record<string, string> = { '#s': 'status', '#a': 'attempt', '#u': 'updatedAt' };
    const values: Record<string, unknown> = { ':s': outcome.status, ':a': attempt, ':u': now.toISOString() };
    const sets = ['#s = :s', '#u = :u'];
    for (const [k, v] of Object.entries(extra)) {
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    await this.doc.send(
      new UpdateCommand({ TableName: this.table, Key: { date, email }, UpdateExpression: `SET ${sets.join(', ')}`, ConditionExpression: '#a = :a', ExpressionAttributeNames: names, ExpressionAttributeValues: values }),
    );
  }

  async release(date: string, email: string, attempt: string): Promise<void> {
    await this.conditionally(
      new DeleteCommand({ TableName: this.table, Key: { date, email }, ConditionExpression: '#a = :a AND #s = :sending', ExpressionAttributeNames: { '#a': 'attempt', '#s': 'status' }, ExpressionAttributeValues: { ':a': attempt, ':sending': 'sending' } }),
    );
  }

  async reclaim(date: string, email: string, staleAttempt: string, attempt: string, olderThan: Date, now: Date): Promise<boolean> {
    return this.conditionally(
      new UpdateCommand({
        TableName: this.table,
        Key: { date, email },
        UpdateExpression: 'SET #a = :a, #u = :u',
        ConditionExpression: '#s = :sending AND #a = :stale AND #u < :older',
        ExpressionAttributeNames: { '#a': 'attempt', '#u': 'updatedAt', '#s': 'status' },
        ExpressionAttributeValues: { ':a': attempt, ':u': now.toISOString(), ':sending': 'sending', ':stale': staleAttempt, ':older': olderThan.toISOString() },
      }),
    );
  }

  async confirmSent(date: string, email: string, attempt: string, messageId: string, now: Date): Promise<'confirmed' | 'already' | 'other-attempt' | 'no-row'> {
    const confirmed = await this.conditionally(
      new UpdateCommand({
        TableName: this.table,
        Key: { date, email },
        UpdateExpression: 'SET #s = :sent, #m = :m, #u = :u, #c = :c',
        ConditionExpression: '#s = :sending AND #a = :a',
        ExpressionAttributeNames: { '#s': 'status', '#a': 'attempt', '#m': 'messageId', '#u': 'updatedAt', '#c': 'confirmedBy' },
        ExpressionAttributeValues: { ':sent': 'sent', ':sending': 'sending', ':a': attempt, ':m': messageId, ':u': now.toISOString(), ':c': 'ses-event' },
      }),
    );
    if (confirmed) return 'confirmed';
    const row = await this.row(date, email);
    if (!row) return 'no-row';
    return row.status === 'sent' ? 'already' : 'other-attempt';
  }

  async mailedBefore(email: string, date: string, days: number, runs: 'all' | 'daily' = 'all'): Promise<ReadonlySet<string>> {
    const day = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
    // The day's rows and the weekly runs' (a reader may have switched between them).
    let keys: Record<string, string>[] = Array.from({ length: days }, (_, i) => new Date(day - (i + 1) * 86_400_000).toISOString().slice(0, 10)).flatMap((d) => [
      { date: d, email },
      ...(runs === 'all' ? [{ date: weeklyRun(d), email }] : []),
    ]);
    const ids = new Set<string>();
    // One BatchGetItem of the reader's rows of those days (at most 100 keys a call); rows that do not exist cost nothing.
    for (let round = 0; keys.length > 0; round++) {
      const chunk = keys.slice(0, 100);
      const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: chunk, ProjectionExpression: '#s, ids', ExpressionAttributeNames: { '#s': 'status' } } } }));
      for (const row of (out.Responses?.[this.table] ?? []) as Pick<Delivery, 'status' | 'ids'>[]) if (row.ids) for (const id of row.ids.split(' ')) ids.add(id);
      const unprocessed = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, string>[];
      keys = [...keys.slice(100), ...unprocessed];
      if (unprocessed.length && round < 8) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
      else if (unprocessed.length) throw new Error(`ledger: ${unprocessed.length} rows of ${email} unread after ${round + 1} tries`);
    }
    return ids;
  }

  async listDay(date: string): Promise<Delivery[]> {
    const items: Delivery[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({ TableName: this.table, KeyConditionExpression: '#d = :d', ExpressionAttributeNames: { '#d': 'date' }, ExpressionAttributeValues: { ':d': date }, ExclusiveStartKey: start, ConsistentRead: true }),
      );
      items.push(...((out.Items ?? []) as Delivery[]).filter((i) => i.email !== RUN_KEY));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async start(date: string, planned: number): Promise<RunTotals | null> {
    // Batches may finish before the planner records its count (it queues them first): the row may
    // already hold their counts. The count is set once (a duplicate plan keeps the first), and if
    // every planned recipient is already accounted for, the planner is the one to report.
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { date, email: RUN_KEY },
        UpdateExpression: 'SET planned = if_not_exists(planned, :p), #x = if_not_exists(#x, :x) ADD sent :z, skipped :z, suppressed :z, failed :z',
        ExpressionAttributeNames: { '#x': DELIVERIES_TABLE.expiresAttribute },
        ExpressionAttributeValues: { ':p': planned, ':z': 0, ':x': Math.floor(Date.now() / 1000) + DELIVERY_ROW_TTL_DAYS * 86_400 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const t = out.Attributes as RunTotals | undefined;
    if (!t || t.planned !== planned) return null;
    const done = t.sent + t.skipped + t.suppressed + t.failed;
    return done >= t.planned && done > 0 ? t : null;
  }

  async add(date: string, counts: Omit<RunTotals, 'planned'>): Promise<RunTotals | null> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { date, email: RUN_KEY },
        UpdateExpression: 'ADD sent :a, skipped :b, suppressed :c, failed :d',
        ExpressionAttributeValues: { ':a': counts.sent, ':b': counts.skipped, ':c': counts.suppressed, ':d': counts.failed },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const t = out.Attributes as RunTotals | undefined;
    if (!t || typeof t.planned !== 'number') return null;
    const done = t.sent + t.skipped + t.suppressed + t.failed;
    // Only the batch that brings the count to the plan reports, so the summary is logged once.
    const before = done - (counts.sent + counts.skipped + counts.suppressed + counts.failed);
    return done >= t.planned && before < t.planned ? t : null;
  }
}
