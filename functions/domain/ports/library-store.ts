import type { Library, LibraryChange } from '../library/library.ts';
import type { StoredRanking } from '../library/stored-ranking.ts';

/**
 * Readers' libraries, their ranking models, and the reader keys of their mails' save links
 * (DynamoDB in AWS: storage/library-store.ts). A key maps to its reader only while it is registered:
 * leaving or deleting one's data removes all three.
 */
export interface LibraryStore {
  get(email: string): Promise<Library | null>;
  /** Applies a change conditionally on the version read, retrying a lost race. */
  apply<C extends LibraryChange>(email: string, change: (prev: Library | null) => C): Promise<C>;
  /** Stores the reader's model, or removes it (null: fewer saved papers than "For you" needs, or it is off). */
  putRanking(email: string, ranking: StoredRanking | null): Promise<void>;
  /** The models of these readers (a sender's batch), those who have one. */
  rankings(emails: readonly string[]): Promise<Map<string, StoredRanking>>;
  /** Who a mail's reader key belongs to, or null. */
  ownerOf(key: string): Promise<string | null>;
  /** Which of these keys are registered. */
  knownKeys(keys: readonly string[]): Promise<Set<string>>;
  /** Registers keys (idempotent): a sender does so before it mails a link carrying one. */
  registerKeys(entries: readonly { readonly key: string; readonly email: string }[]): Promise<void>;
  /** Removes the reader's library and model, and their key unless it is null (a reader deleting their library keeps their mails' save links working). */
  remove(email: string, key: string | null): Promise<void>;
}
