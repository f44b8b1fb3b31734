import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { readSubscriberRecord, recordFingerprint, UnreadableRecordError, type UnreadableRecord } from '../domain/subscribers/read-record.ts';
import type { Subscriber, Transition } from '../domain/subscribers/subscriber.ts';
import type { ConfirmedList, SubscriberStore } from '../domain/ports/subscriber-store.ts';

/** A stored item as a subscriber, or the error that names it by fingerprint and says what is wrong. */
function readItem(item: Record<string, unknown>): Subscriber {
  const read = readSubscriberRecord(item);
  if (!read.ok) throw new UnreadableRecordError({ fingerprint: recordFingerprint(item.email), reason: read.reason });
  return read.subscriber;
}

// Thirty writers racing on one address settle within this many rounds (measured in the race test).
const MAX_ATTEMPTS = 40;

export class DynamoSubscriberStore implements SubscriberStore {
  private readonly doc: DynamoDBDocumentClient;
  constructor(
    client: DynamoDBClient,
    private readonly table: string,
    private readonly scanSegments = 4,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get(email: string): Promise<Subscriber | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { email }, ConsistentRead: true }));
    return out.Item ? readItem(out.Item) : null;
  }

  async apply(email: string, transition: (prev: Subscriber | null) => Transition): Promise<Transition> {
    for (let attempt = 1; ; attempt++) {
      const prev = await this.get(email);
      const result = transition(prev);
      if (!result.next) return result;
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: result.next,
            ...(prev
              ? { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': prev.version } }
              : { ConditionExpression: 'attribute_not_exists(email)' }),
          }),
        );
        return result;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException) || attempt >= MAX_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 5 * attempt)));
      }
    }
  }

  async listConfirmed(): Promise<ConfirmedList> {
    const unreadable: UnreadableRecord[] = [];
    const segments = await Promise.all(
      Array.from({ length: this.scanSegments }, async (_, segment) => {
        const items: Subscriber[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const out = await this.doc.send(
            new ScanCommand({
              TableName: this.table,
              Segment: segment,
              TotalSegments: this.scanSegments,
              FilterExpression: '#s = :c',
              ExpressionAttributeNames: { '#s': 'status', '#e': 'email', '#c': 'categories', '#l': 'lang', '#f': 'filters', '#v': 'schema', '#w': 'weekly', '#u': 'catchUp' },
              ExpressionAttributeValues: { ':c': 'confirmed' },
              ProjectionExpression: '#e, #s, #c, #l, #f, #v, #w, #u, tokenGeneration',
              ExclusiveStartKey: start,
            }),
          );
          for (const item of out.Items ?? []) {
            const read = readSubscriberRecord(item);
            if (read.ok) items.push(read.subscriber);
            else unreadable.push({ fingerprint: recordFingerprint(item.email), reason: read.reason });
          }
          start = out.LastEvaluatedKey;
        } while (start);
        return items;
      }),
    );
    return { readers: segments.flat().sort((a, b) => a.email.localeCompare(b.email)), unreadable };
  }
}
