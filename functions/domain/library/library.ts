import type { Paper } from '../model.ts';
import type { RankInput } from '../ranking/features.ts';

/** A paper in a reader's library, as it was listed when they saved it (what exports and the ranking read). */
export interface LibraryEntry {
  readonly id: string;
  readonly version: number | null;
  readonly title: string;
  readonly titleZh: string | null;
  readonly authors: readonly string[];
  readonly abstract: string | null;
  readonly codeUrl: string | null;
  /** arXiv's journal reference when it was saved, if it had one. */
  readonly journalRef?: string;
  /** The digest day it was listed on (YYYY-MM-DD). */
  readonly day: string;
  readonly savedAt: string;
  /** What the reader's mails told them changed since (newest last): the library page shows it. */
  readonly updates?: readonly LibraryUpdate[];
}

/** A change to a saved paper a mail told its reader of: a new version, a code link, a journal reference. */
export interface LibraryUpdate {
  /** The mail's day. */
  readonly day: string;
  readonly version: number | null;
  readonly codeUrl: string | null;
  readonly journalRef: string | null;
}

/** Updates kept per paper: the page shows the latest few, and the item stays bounded. */
const UPDATES_KEPT = 5;

/** A reader's library and choices for "For you". Kept apart from the subscriber record: a click never races a preferences change. */
export interface Library {
  readonly email: string;
  /** Newest first. */
  readonly saved: readonly LibraryEntry[];
  /** Papers the reader said are not for them (negatives for the ranking), newest first. */
  readonly notForMe: readonly LibraryEntry[];
  /** Papers in the mail's "For you" (0 turns it off). */
  readonly forYouSize: number;
  readonly updatedAt: string;
  /** Optimistic-concurrency version: every write is conditional on it. */
  readonly version: number;
}

/** A library holds this many papers (and as many refusals): a stored library stays far under DynamoDB's 400 KB item. */
export const LIBRARY_LIMIT = 500;
export const NOT_FOR_ME_LIMIT = 300;
/** "For you" needs this many saved papers: fewer teach a model nothing a reader would recognise. */
export const MIN_SAVED_FOR_RANKING = 3;
export const DEFAULT_FOR_YOU_SIZE = 10;
export const MAX_FOR_YOU_SIZE = 30;
/** Stored abstracts are cut here: enough for the ranking and an export, bounded for the item size. */
const ABSTRACT_CHARS = 2000;

/** What a click from the mail did. */
export type ActionOutcome = 'saved' | 'already-saved' | 'refused' | 'already-refused' | 'full';
export type LibraryChange = { readonly next: Library; readonly outcome: ActionOutcome | 'removed' | 'not-there' | 'settings' };
export type ActionChange = LibraryChange & { readonly outcome: ActionOutcome };

export function entryOf(paper: Paper, day: string, at: Date): LibraryEntry {
  return {
    id: paper.arxivId,
    version: paper.version,
    title: paper.titleEn,
    titleZh: paper.titleZh,
    authors: paper.authors.slice(0, 50),
    abstract: paper.abstractEn ? paper.abstractEn.slice(0, ABSTRACT_CHARS) : null,
    codeUrl: paper.codeUrl,
    ...(paper.journalRef ? { journalRef: paper.journalRef.slice(0, 300) } : {}),
    day,
    savedAt: at.toISOString(),
  };
}

export function emptyLibrary(email: string, at: Date): Library {
  return { email, saved: [], notForMe: [], forYouSize: DEFAULT_FOR_YOU_SIZE, updatedAt: at.toISOString(), version: 0 };
}

const touched = (lib: Library, at: Date, changes: Partial<Library>): Library => ({ ...lib, ...changes, updatedAt: at.toISOString(), version: lib.version + 1 });

/**
 * Records what a mail told the reader about saved papers: each entry takes the new version, code
 * link or journal reference (so the next mail compares with it and tells a change once) and keeps
 * the update for the library page. Papers no longer saved are left alone.
 */
export function noteUpdates(prev: Library | null, updates: ReadonlyMap<string, LibraryUpdate>, at: Date): LibraryChange {
  // No library (deleted meanwhile) stays none: an unsaved version-0 library is not written.
  if (!prev || !prev.saved.some((e) => updates.has(e.id))) return { next: prev ?? emptyLibrary('', at), outcome: 'not-there' };
  const saved = prev.saved.map((e) => {
    const u = updates.get(e.id);
    if (!u) return e;
    return {
      ...e,
      version: u.version ?? e.version,
      codeUrl: u.codeUrl ?? e.codeUrl,
      ...(u.journalRef ? { journalRef: u.journalRef.slice(0, 300) } : {}),
      updates: [...(e.updates ?? []), { ...u, ...(u.journalRef ? { journalRef: u.journalRef.slice(0, 300) } : {}) }].slice(-UPDATES_KEPT),
    };
  });
  return { next: touched(prev, at, { saved }), outcome: 'settings' };
}

/** What a sender compares a new listing with, per saved paper (the stored ranking's marks). */
export function savedMarks(lib: Pick<Library, 'saved'>): { id: string; v: number | null; c: boolean; j?: true }[] {
  return lib.saved.map((e) => ({ id: e.id, v: e.version, c: e.codeUrl !== null, ...(e.journalRef ? { j: true as const } : {}) }));
}

/** Saving a paper: it leaves "not for me" if it was there (the reader changed their mind). */
export function savePaper(prev: Library | null, email: string, entry: LibraryEntry, at: Date): ActionChange {
  const lib = prev ?? emptyLibrary(email, at);
  if (lib.saved.some((e) => e.id === entry.id)) return { next: lib, outcome: 'already-saved' };
  if (lib.saved.length >= LIBRARY_LIMIT) return { next: lib, outcome: 'full' };
  return { next: touched(lib, at, { saved: [entry, ...lib.saved], notForMe: lib.notForMe.filter((e) => e.id !== entry.id) }), outcome: 'saved' };
}

/** "Not for me": a negative for the ranking; a saved paper stays saved (removing it is the library's own button). */
export function refusePaper(prev: Library | null, email: string, entry: LibraryEntry, at: Date): ActionChange {
  const lib = prev ?? emptyLibrary(email, at);
  if (lib.notForMe.some((e) => e.id === entry.id)) return { next: lib, outcome: 'already-refused' };
  return { next: touched(lib, at, { notForMe: [entry, ...lib.notForMe].slice(0, NOT_FOR_ME_LIMIT) }), outcome: 'refused' };
}

export function removePaper(prev: Library | null, email: string, id: string, at: Date): LibraryChange {
  const lib = prev ?? emptyLibrary(email, at);
  if (!lib.saved.some((e) => e.id === id)) return { next: lib, outcome: 'not-there' };
  return { next: touched(lib, at, { saved: lib.saved.filter((e) => e.id !== id) }), outcome: 'removed' };
}

export function setForYouSize(prev: Library | null, email: string, size: number, at: Date): LibraryChange {
  const lib = prev ?? emptyLibrary(email, at);
  return { next: touched(lib, at, { forYouSize: Math.max(0, Math.min(MAX_FOR_YOU_SIZE, Math.round(size))) }), outcome: 'settings' };
}

/** How many more saved papers "For you" needs (0: it is on). */
export const savedStillNeeded = (lib: Pick<Library, 'saved'> | null): number => Math.max(0, MIN_SAVED_FOR_RANKING - (lib?.saved.length ?? 0));

export const rankInputOf = (e: LibraryEntry): RankInput => ({ id: e.id, title: e.title, abstract: e.abstract, authors: e.authors });

/** Many papers at once (an import): each saved unless it is already there or the library is full. */
export function savePapers(prev: Library | null, email: string, entries: readonly LibraryEntry[], at: Date): { readonly next: Library; readonly added: number; readonly already: number; readonly full: number } {
  let lib = prev ?? emptyLibrary(email, at);
  let added = 0;
  let already = 0;
  let full = 0;
  const have = new Set(lib.saved.map((e) => e.id));
  const fresh: LibraryEntry[] = [];
  for (const e of entries) {
    if (have.has(e.id)) already++;
    else if (lib.saved.length + fresh.length >= LIBRARY_LIMIT) full++;
    else {
      have.add(e.id);
      fresh.push(e);
      added++;
    }
  }
  if (added > 0) {
    const ids = new Set(fresh.map((e) => e.id));
    lib = touched(lib, at, { saved: [...fresh, ...lib.saved], notForMe: lib.notForMe.filter((e) => !ids.has(e.id)) });
  }
  return { next: lib, added, already, full };
}
