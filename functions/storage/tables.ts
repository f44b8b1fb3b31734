/** Key schemas of the DynamoDB tables, shared by the CDK stack and the local emulator. */
export const SUBSCRIBERS_TABLE = { partitionKey: 'email' } as const;
export const DELIVERIES_TABLE = { partitionKey: 'date', sortKey: 'email' } as const;
