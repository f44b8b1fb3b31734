/**
 * Markers left in a compiled newsletter so it can be cut per recipient without compiling again:
 * category regions (removed when the recipient did not choose the category) and personal tokens.
 */
export const TOKENS = ['preheader', 'count', 'unsubscribe', 'preferences', 'recipient', 'matchcount', 'matches', 'language', 'feed', 'act', 'foryou', 'library'] as const;
export type TokenName = (typeof TOKENS)[number];

export const token = (name: TokenName) => `%%pb:${name}%%`;
export const categoryStart = (slug: string) => `<!--pb:cat:${slug}-->`;
export const categoryEnd = (slug: string) => `<!--/pb:cat:${slug}-->`;

/** How much of a paper's abstract an alternative carries: whole, or its first sentence. */
export type AbstractCut = 'w' | 's';
/** One paper's abstract in one cut: the personaliser keeps at most one of a paper's alternatives. */
export const abstractStart = (paper: number, cut: AbstractCut) => `<!--pb:ab:${paper}:${cut}-->`;
export const abstractEnd = (paper: number, cut: AbstractCut) => `<!--/pb:ab:${paper}:${cut}-->`;

/** One paper, inside its category: what a reader's filters move to the matches or leave out. */
export const paperStart = (paper: number) => `<!--pb:p:${paper}-->`;
export const paperEnd = (paper: number) => `<!--/pb:p:${paper}-->`;

/**
 * Two regions that are not categories: the "Matches" section (its heading, then the reader's
 * matched papers as a personal value), sent only to readers with filters; and the contents heading,
 * left out when a reader's mail has no categories. Category slugs never take these names.
 */
export const MATCHES_REGION = 'pb-matches';
/**
 * "For you": the papers a reader's own model ranks first, each with its reason, as a personal value
 * (like the matches), sent only to readers with a profile of at least three saved papers.
 */
export const FORYOU_REGION = 'pb-foryou';
/** "Your library": saved papers listed again with a change (a new version, a code link), each with what changed. */
export const LIBRARY_REGION = 'pb-library';
/**
 * The `act` token sits inside each paper: its value is the reader's own action base
 * (`…/api/p/<reader key>/`), so "Save ☆" is that base plus the paper's arXiv id: one short key per
 * mail, not a sealed token per link (440 sealed tokens would take a third of the size budget).
 */
export const ACTION_TOKEN = 'act';
/**
 * A paper's action links sit between these markers: sent when the reader's whole mail has room for
 * them (every paper's or none), after the papers themselves and before abstracts.
 */
export const actionStart = '<!--pb:k-->';
export const actionEnd = '<!--/pb:k-->';
export const CONTENTS_REGION = 'pb-contents';
/**
 * The "Updated" list at the end: one compact line per paper (title, version, link), sent for the
 * papers a reader already got in an earlier mail (new versions, re-listings) instead of showing them as new.
 */
export const UPDATED_REGION = 'pb-updated';
export const lineStart = (paper: number) => `<!--pb:u:${paper}-->`;
export const lineEnd = (paper: number) => `<!--/pb:u:${paper}-->`;

/**
 * Numbers that depend on what a reader's mail lists, written where they go with the whole day's
 * value (which sizes the mail: a reader's value is never longer): a category's count, in its
 * heading and contents entry (what the mail lists of it, with what its "more on the web" link
 * holds), and a paper's number in the text part: 1..n in each section, with no gap where a paper
 * was moved to the matches or left out, right-aligned in a field as wide as the day's largest, so a
 * title wraps the same whatever its number. (Numbering down the whole mail instead measured 20% more
 * CPU for the bench's 100,000 mails: a reader of other categories would share no piece of the text.)
 */
export const countMark = (slug: string, whole: number) => `<!--pb:n:${slug}:${whole}-->`;
/**
 * The "N more on the web" line under a category cut at a content level: N is the papers past the
 * cap that are the reader's (not moved to their matches, not excluded); with none the line is not sent.
 */
export const moreMark = (slug: string, whole: number) => `<!--pb:n:${slug}:${whole}:m-->`;
export const moreStart = '<!--pb:m-->';
export const moreEnd = '<!--/pb:m-->';
export const numberMark = (paper: number, width: number, whole: number) => `<!--pb:#:${paper}:${width}:${whole}-->`;
/**
 * A paper's number as the text part writes it: after the blank line that comes before every paper
 * (one piece with it, not two, for the assembler), in a field of `width` columns.
 */
export const numberText = (n: number, width: number) => `\n${`${n}. `.padStart(width)}`;

export const MARKER_PATTERN = /(<!--pb:n:[A-Za-z0-9-]+:\d+(?::m)?-->|<!--\/?pb:m-->|<!--pb:#:\d+:\d+:\d+-->|<!--\/?pb:k-->|<!--\/?pb:cat:[A-Za-z0-9-]+-->|<!--\/?pb:ab:\d+:[ws]-->|<!--\/?pb:p:\d+-->|<!--\/?pb:u:\d+-->|%%pb:[a-z]+%%)/;

/** Untrusted text can never form a token: `%%` in content is written as `%&#37;` (HTML) or `% %` (text). */
export function defuseTokens(escapedText: string, html: boolean): string {
  return escapedText.includes('%%') ? escapedText.replaceAll('%%', html ? '%&#37;' : '% %') : escapedText;
}
