import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { DELIVERIES_TABLE, LIBRARY_TABLE, LIMITS_TABLE, SUBSCRIBERS_TABLE } from '../../functions/storage/tables.ts';
import { keepsIdleConnections } from './keep-alive.ts';

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly subscribersTable: string;
  readonly deliveriesTable: string;
  readonly limitsTable: string;
  readonly libraryTable: string;
  stop(): Promise<void>;
}

/**
 * dynalite on 127.0.0.1: the DynamoDB HTTP API, conditional writes included; in memory unless `path`
 * is given. With `endpoint` (a moto_server), fresh tables there instead, for tests whose claims rest
 * on DynamoDB's semantics under concurrency.
 */
export async function startLocalDynamo(options: { path?: string; port?: number; endpoint?: string } = {}): Promise<LocalDynamo> {
  if (options.endpoint) {
    const client = new DynamoDBClient({ endpoint: options.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const suffix = Math.random().toString(36).slice(2, 10);
    const tables = { subscribersTable: `pb-subscribers-${suffix}`, deliveriesTable: `pb-deliveries-${suffix}`, limitsTable: `pb-limits-${suffix}`, libraryTable: `pb-library-${suffix}` };
    await createPaperboyTables(client, tables);
    return { endpoint: options.endpoint, client, ...tables, stop: async () => client.destroy() };
  }
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  keepsIdleConnections(server);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const tables = { subscribersTable: 'paperboy-subscribers', deliveriesTable: 'paperboy-deliveries', limitsTable: 'paperboy-limits', libraryTable: 'paperboy-library' };
  await createPaperboyTables(client, tables);
  return {
    endpoint,
    client,
    ...tables,
    async stop() {
      client.destroy();
      // Idle connections are never dropped by the server (keepsIdleConnections): end them here.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The subscribers, deliveries and limits tables with the stack's key schemas; a table already there is kept. */
export async function createPaperboyTables(client: DynamoDBClient, names: { subscribersTable: string; deliveriesTable: string; limitsTable?: string; libraryTable?: string }): Promise<void> {
  const create = async (input: ConstructorParameters<typeof CreateTableCommand>[0]) => {
    try {
      await client.send(new CreateTableCommand(input));
    } catch (err) {
      if ((err as Error).name !== 'ResourceInUseException') throw err;
    }
  };
  await create({ TableName: names.subscribersTable, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: SUBSCRIBERS_TABLE.partitionKey, AttributeType: 'S' }], KeySchema: [{ AttributeName: SUBSCRIBERS_TABLE.partitionKey, KeyType: 'HASH' }] });
  await create({
    TableName: names.deliveriesTable,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: DELIVERIES_TABLE.partitionKey, AttributeType: 'S' },
      { AttributeName: DELIVERIES_TABLE.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: DELIVERIES_TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: DELIVERIES_TABLE.sortKey, KeyType: 'RANGE' },
    ],
  });
  if (names.libraryTable) {
    await create({ TableName: names.libraryTable, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: LIBRARY_TABLE.partitionKey, AttributeType: 'S' }], KeySchema: [{ AttributeName: LIBRARY_TABLE.partitionKey, KeyType: 'HASH' }] });
  }
  if (names.limitsTable) {
    await create({ TableName: names.limitsTable, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: LIMITS_TABLE.partitionKey, AttributeType: 'S' }], KeySchema: [{ AttributeName: LIMITS_TABLE.partitionKey, KeyType: 'HASH' }] });
  }
}
