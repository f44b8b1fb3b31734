import { ConditionalCheckFailedException, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Counters } from '../domain/abuse/counters.ts';
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
}
