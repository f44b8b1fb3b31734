import { BatchGetItemCommand, ConditionalCheckFailedException, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Counters } from '../domain/ports/counters.ts';
import { LIMITS_TABLE } from './tables.ts';

/**
 * Counters on a DynamoDB table with TTL. Each take is one conditional UpdateItem, so containers
 * racing on one key never count past the limit (a lost race is a refusal, not a retry).
 */
export class DynamoCounters implements Counters {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async takeBelow(key: string, max: number, expiresAt: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { [LIMITS_TABLE.partitionKey]: { S: key } },
          UpdateExpression: 'ADD #n :one SET #x = if_not_exists(#x, :x)',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
          ExpressionAttributeNames: { '#n': 'n', '#x': LIMITS_TABLE.expiresAttribute },
          ExpressionAttributeValues: { ':one': { N: '1' }, ':max': { N: String(max) }, ':x': { N: String(expiresAt) } },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async claimOnce(key: string, expiresAt: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { [LIMITS_TABLE.partitionKey]: { S: key }, [LIMITS_TABLE.expiresAttribute]: { N: String(expiresAt) } },
          ConditionExpression: 'attribute_not_exists(#k)',
          ExpressionAttributeNames: { '#k': LIMITS_TABLE.partitionKey },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async add(key: string, n: number, expiresAt: number): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { [LIMITS_TABLE.partitionKey]: { S: key } },
        UpdateExpression: 'ADD #n :n SET #x = if_not_exists(#x, :x)',
        ExpressionAttributeNames: { '#n': 'n', '#x': LIMITS_TABLE.expiresAttribute },
        ExpressionAttributeValues: { ':n': { N: String(n) }, ':x': { N: String(expiresAt) } },
      }),
    );
  }

  async read(keys: readonly string[]): Promise<number[]> {
    const found = new Map<string, number>();
    const unique = [...new Set(keys)];
    // BatchGetItem takes 100 keys a call and may hand some back unprocessed under load: ask again for those.
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, { Keys: Record<string, { S: string }>[] }> | undefined = { [this.table]: { Keys: unique.slice(i, i + 100).map((k) => ({ [LIMITS_TABLE.partitionKey]: { S: k } })) } };
      for (let round = 0; request && Object.keys(request).length && round < 8; round++) {
        const out = await this.client.send(new BatchGetItemCommand({ RequestItems: request }));
        for (const item of out.Responses?.[this.table] ?? []) found.set(item[LIMITS_TABLE.partitionKey]?.S ?? '', Number(item.n?.N ?? 0));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return keys.map((k) => found.get(k) ?? 0);
  }
}
