import type { LinkConfig } from '../subscribers/links.ts';

/** What the sender needs to know besides the edition: addresses, headers and links. */
export interface SenderConfig extends LinkConfig {
  readonly from: string;
  readonly domain: string;
  /** Address that takes mailto unsubscribes, e.g. unsubscribe@news.example.org; absent when the stack receives no mail. */
  readonly unsubscribeAddress?: string;
  readonly listId: string;
  readonly configurationSet?: string;
  /** Reply-To on every newsletter: the operator's mailbox. */
  readonly replyTo?: string;
}
