/** Shared by the functions that emit metrics and the stack whose alarms select them. */
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
