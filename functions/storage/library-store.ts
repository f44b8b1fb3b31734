import { BatchGetItemCommand, BatchWriteItemCommand, ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Library, LibraryChange } from '../domain/library/library.ts';
import { rankingFromJson, rankingToJson, type StoredRanking } from '../domain/library/stored-ranking.ts';
import type { LibraryStore } from '../domain/ports/library-store.ts';
import { LIBRARY_TABLE } from './tables.ts';

const PK = LIBRARY_TABLE.partitionKey;
const libKey = (email: string) => `lib#${email}`;
const rankKey = (email: string) => `rank#${email}`;
const readerKey = (key: string) => `key#${key}`;
const MAX_ATTEMPTS = 20;

/**
 * A library is stored as gzipped JSON (500 saved papers with their abstracts are ~1 MB of JSON,
 * ~300 KB gzipped: under DynamoDB's 400 KB item), with its version beside it for conditional writes.
 */
const pack = (value: unknown): Uint8Array => gzipSync(JSON.stringify(value));
const unpack = (b: AttributeValue | undefined): string | null => (b?.B ? gunzipSync(b.B).toString('utf8') : null);

export class DynamoLibraryStore implements LibraryStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async get(email: string): Promise<Library | null> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.table, Key: { [PK]: { S: libKey(email) } }, ConsistentRead: true }));
    const text = unpack(out.Item?.doc);
    return text ? (JSON.parse(text) as Library) : null;
  }

  async apply<C extends LibraryChange>(email: string, change: (prev: Library | null) => C): Promise<C> {
    for (let attempt = 1; ; attempt++) {
      const prev = await this.get(email);
      const result = change(prev);
      if (prev && result.next.version === prev.version) return result;
      // A change that leaves no library (a sender's note for a reader who deleted theirs) writes none.
      if (!prev && result.next.version === 0) return result;
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.table,
            Item: { [PK]: { S: libKey(email) }, doc: { B: pack(result.next) }, version: { N: String(result.next.version) } },
            ...(prev ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': { N: String(prev.version) } } } : { ConditionExpression: `attribute_not_exists(${PK})` }),
          }),
        );
        return result;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException) || attempt >= MAX_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 5 * attempt)));
      }
    }
  }

  async putRanking(email: string, ranking: StoredRanking | null): Promise<void> {
    if (!ranking) {
      await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: { [PK]: { S: rankKey(email) } } }));
      return;
    }
    await this.client.send(new PutItemCommand({ TableName: this.table, Item: { [PK]: { S: rankKey(email) }, doc: { B: gzipSync(rankingToJson(ranking)) } } }));
  }

  async rankings(emails: readonly string[]): Promise<Map<string, StoredRanking>> {
    const found = new Map<string, StoredRanking>();
    for (const item of await this.batchGet(emails.map(rankKey))) {
      const text = unpack(item.doc);
      const ranking = text ? rankingFromJson(text) : null;
      if (ranking) found.set((item[PK]?.S ?? '').slice('rank#'.length), ranking);
    }
    return found;
  }

  async ownerOf(key: string): Promise<string | null> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.table, Key: { [PK]: { S: readerKey(key) } }, ConsistentRead: true }));
    return out.Item?.email?.S ?? null;
  }

  async knownKeys(keys: readonly string[]): Promise<Set<string>> {
    return new Set((await this.batchGet(keys.map(readerKey))).map((item) => (item[PK]?.S ?? '').slice('key#'.length)));
  }

  async registerKeys(entries: readonly { readonly key: string; readonly email: string }[]): Promise<void> {
    const unique = [...new Map(entries.map((e) => [e.key, e])).values()];
    // BatchWriteItem takes 25 items a call and may hand some back unprocessed: write those again.
    for (let i = 0; i < unique.length; i += 25) {
      let request: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> | undefined = { [this.table]: unique.slice(i, i + 25).map((e) => ({ PutRequest: { Item: { [PK]: { S: readerKey(e.key) }, email: { S: e.email } } } })) };
      for (let round = 0; request && Object.keys(request).length && round < 8; round++) {
        const out = await this.client.send(new BatchWriteItemCommand({ RequestItems: request }));
        request = out.UnprocessedItems as typeof request;
      }
      if (request && Object.keys(request).length) throw new Error(`reader keys: DynamoDB left ${request[this.table]?.length ?? 0} unwritten after 8 rounds`);
    }
  }

  async remove(email: string, key: string | null): Promise<void> {
    await this.client.send(
      new BatchWriteItemCommand({ RequestItems: { [this.table]: [libKey(email), rankKey(email), ...(key ? [readerKey(key)] : [])].map((pk) => ({ DeleteRequest: { Key: { [PK]: { S: pk } } } })) } }),
    );
  }

  private async batchGet(pks: readonly string[]): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    const unique = [...new Set(pks)];
    // BatchGetItem takes 100 keys a call and may hand some back unprocessed under load: ask again for those.
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, { Keys: Record<string, AttributeValue>[] }> | undefined = { [this.table]: { Keys: unique.slice(i, i + 100).map((pk) => ({ [PK]: { S: pk } })) } };
      for (let round = 0; request && Object.keys(request).length && round < 8; round++) {
        const out = await this.client.send(new BatchGetItemCommand({ RequestItems: request }));
        items.push(...(out.Responses?.[this.table] ?? []));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return items;
  }
}
