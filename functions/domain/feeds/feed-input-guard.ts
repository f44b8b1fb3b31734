import { escapeHtml, xmlChars } from '../html.ts';

/**
 * The guard between Paperboy's text and the `feed` package (6.0.0, whose XML writer is xml-js).
 * Each function exists for one defect of that writer; when `feed` fixes it, the function can go.
 *
 * - Control characters, U+FFFE/U+FFFF and lone surrogates pass through xml-js, and XML 1.0 forbids
 *   them: every value loses them first (`xmlChars`).
 * - Element text is escaped after turning every `&amp;` back into `&` ("desanitize"), so a literal
 *   `&amp;` in a title would read back as `&`. Escaping every `&` first makes that step an identity
 *   (`forXmlText`).
 * - CDATA sections split only the first `]]>` (`replace`, not `replaceAll`), so a second one ends the
 *   section early. The guard splits every later `]]>` itself, exactly as xml-js splits the first
 *   (`]]]]><![CDATA[>`), so the text reads back whole (`forCdata`). If `feed` starts splitting them
 *   all, the tests on two `]]>` fail and this function goes.
 * - Atom titles and summaries are written as `type="html"`, and an RSS description is read as HTML:
 *   plain text is HTML-escaped before it goes there, so "Redefining <Creative> in Dictionary" keeps
 *   its `<Creative>` (`plainForHtmlCdata`). RSS item titles stay plain text: newsboat (and the RSS
 *   profile) treat them as text, so escaping them would show `&lt;` to its readers.
 * - Attribute values escape `"` but neither `<` nor `&`: free text is never passed where `feed`
 *   writes an attribute (category labels, RSS category domains), only URLs (which `new URL`
 *   percent-encodes) and fixed ASCII words.
 * - Without `updated` and `date`, `feed` stamps the current time: callers always pass both, so the
 *   same digests give the same bytes.
 */

/** Plain text for an element `feed` writes as escaped text (RSS channel title, category, author names). */
export function forXmlText(text: string): string {
  return xmlChars(text).replace(/&/g, '&amp;');
}

const CDATA_END = ']]>';
const CDATA_SPLIT = ']]]]><![CDATA[>';

/** Text or HTML for an element `feed` writes as CDATA (item titles, descriptions, content). */
export function forCdata(text: string): string {
  const clean = xmlChars(text);
  const first = clean.indexOf(CDATA_END);
  if (first < 0) return clean;
  const head = clean.slice(0, first + CDATA_END.length);
  return head + clean.slice(head.length).replaceAll(CDATA_END, CDATA_SPLIT);
}

/** Plain text for an element `feed` writes as CDATA read as HTML (Atom titles and summaries, RSS descriptions). */
export function plainForHtmlCdata(text: string): string {
  return forCdata(escapeHtml(text));
}
