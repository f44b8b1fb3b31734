/** Every metric name, shared by the functions that emit them and the stack whose alarms select them. */
export const SERVICE = 'paperboy';
export const METRICS_NAMESPACE = 'Paperboy';

/** What the subscribe form's defences turned away (functions/app/subscription/api.ts GuardEvent). */
export const GUARD_METRICS = {
  'origin-refused': 'ApiOriginRefused',
  honeypot: 'SubscribeHoneypot',
  'no-proof': 'SubscribeWithoutProof',
  'proof-reused': 'SubscribeProofReused',
  'rate-limited': 'SubscribeRateLimited',
  'mail-held-back': 'ConfirmationsHeldBack',
} as const;

/** Rolling 24-hour rates from SES events, in percent (functions/app/mail-reputation.ts). */
export const REPUTATION_METRICS = { bounceRate: 'BounceRate24h', complaintRate: 'ComplaintRate24h' } as const;

/** The planner's count of confirmed subscriber records it could not read and left out (functions/app/newsletter/plan.ts). */
export const PLAN_METRICS = { unreadable: 'SubscriberRecordsUnreadable' } as const;

/** Digests written to the archive, turned away, or produced from arXiv, and category names the taxonomy does not map (the ingest functions). */
export const INGEST_METRICS = { ingested: 'DigestsIngested', quarantined: 'DigestsQuarantined', produced: 'DigestsProduced', unmappedCategories: 'CategoryNamesUnmapped', missing: 'DigestMissing', listingStale: 'ListingStale', upstreamQuiet: 'UpstreamQuiet' } as const;

/** The senders' outcome per batch (functions/app/newsletter/send-records.ts) and SES Send events that came after the ledger gave up on a row (reconcile). */
export const SEND_METRICS = { sent: 'MessagesSent', failed: 'SendFailures', lateEvents: 'LateSendEvents' } as const;

type ValuesOf<T> = T[keyof T];
/** A name from the lists above: an ad-hoc string fails tsc. */
export type MetricName = ValuesOf<typeof GUARD_METRICS> | ValuesOf<typeof REPUTATION_METRICS> | ValuesOf<typeof PLAN_METRICS> | ValuesOf<typeof INGEST_METRICS> | ValuesOf<typeof SEND_METRICS>;
