/** Key schemas of the DynamoDB tables, shared by the CDK stack and the local emulator. */
export const SUBSCRIBERS_TABLE = { partitionKey: 'email', expiresAttribute: 'expiresAt' } as const;
export const DELIVERIES_TABLE = { partitionKey: 'date', sortKey: 'email', expiresAttribute: 'expiresAt' } as const;
/** Hourly counters of the subscribe form's limits and spent proofs; every item expires (TTL). */
export const LIMITS_TABLE = { partitionKey: 'key', expiresAttribute: 'expiresAt' } as const;

/** How long a day's delivery rows are kept (DynamoDB TTL). */
export const DELIVERY_ROW_TTL_DAYS = 90;
/** Readers' libraries (`lib#<address>`), ranking models (`rank#<address>`) and mail reader keys (`key#<key>`), one table. */
export const LIBRARY_TABLE = { partitionKey: 'pk' } as const;
