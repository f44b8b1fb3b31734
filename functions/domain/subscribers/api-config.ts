import type { ProofSettings } from '../abuse/human-proof.ts';
import type { SubscribeLimits } from '../abuse/subscribe-limits.ts';
import type { LinkConfig } from './links.ts';

/** The subscription API's settings: who it mails as, and how much the public form may do. */
export interface ApiConfig extends LinkConfig {
  readonly from: string;
  readonly postalAddress: string;
  readonly replyTo?: string;
  readonly limits: SubscribeLimits;
  readonly proof: ProofSettings;
}
