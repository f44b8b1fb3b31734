import type { ProofSettings } from '../../functions/domain/abuse/human-proof.ts';
import type { SubscribeLimits } from '../../functions/domain/abuse/subscribe-limits.ts';

/**
 * For tests about something else than the form's defences: a proof of work Node solves in a few
 * milliseconds and no hourly limits. The defences themselves are tested with the deployed
 * defaults or tighter (test/abuse.*.test.ts).
 */
export const CHEAP_PROOF: Partial<ProofSettings> = { cost: 1, counterMin: 1, counterMax: 64, minFillSeconds: 0 };
export const NO_LIMITS: Partial<SubscribeLimits> = { perAddressPerHour: 0, perNetworkPerHour: 0, mailsPerHour: 0, perMailboxPerDay: 0 };
export const OPEN_FORM = { limits: NO_LIMITS, proof: CHEAP_PROOF } as const;
