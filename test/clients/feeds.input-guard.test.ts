import { XMLParser } from 'fast-xml-parser';
import { Feed, type Item } from 'feed';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forCdata, forXmlText, plainForHtmlCdata } from '../../functions/domain/feeds/feed-input-guard.ts';
import { xmlChars } from '../../functions/domain/html.ts';
import { xmllintText } from '../support/readers.ts';

const wellFormed = (xml: string) => xmllintText(xml) === '';

/**
 * Each defect of `feed` 6 the guard exists for, shown on `feed` itself: the first expectation of each
 * case documents the defect (when it fails, `feed` has fixed it and that part of the guard can go),
 * the second shows the guarded value comes through whole.
 */
function rss(item: Partial<Item>, extra: Partial<ConstructorParameters<typeof Feed>[0]> = {}): string {
  const feed = new Feed({ title: 't', id: 'https://e.example/', link: 'https://e.example/', updated: new Date(0), ...extra });
  feed.addItem({ title: 'x', link: 'https://e.example/1', date: new Date(0), ...item });
  return feed.rss2();
}
const parser = new XMLParser({ ignoreAttributes: false, cdataPropName: false as unknown as string, processEntities: true, htmlEntities: false, trimValues: false });
const itemOf = (xml: string) => (parser.parse(xml) as { rss: { channel: { item: Record<string, unknown> } } }).rss.channel.item;

describe('the input guard in front of feed', () => {
  it('splits every ]]> in CDATA, where feed splits only the first', () => {
    const title = 'a ]]> b ]]> c';
    expect(wellFormed(rss({ title }))).toBe(false);
    const guarded = rss({ title: forCdata(title) });
    expect(wellFormed(guarded)).toBe(true);
    expect(String(itemOf(guarded).title)).toBe(title);
  });

  it('keeps a literal &amp; in element text, which feed turns into &', () => {
    const name = 'H&amp;E & more';
    expect(String(itemOf(rss({ category: [{ name }] })).category)).toBe('H&E & more');
    expect(String(itemOf(rss({ category: [{ name: forXmlText(name) }] })).category)).toBe(name);
  });

  it('drops characters XML forbids, which feed writes through', () => {
    const title = 'bell\u0007 and \uFFFE and a lone \uD800 surrogate';
    expect(wellFormed(rss({ title }))).toBe(false);
    expect(wellFormed(rss({ title: forCdata(title) }))).toBe(true);
    expect(xmlChars(title)).toBe('bell and  and a lone  surrogate');
  });

  it('HTML-escapes plain text that feed writes as HTML, so <Creative> stays a word', () => {
    const feed = new Feed({ title: 't', id: 'https://e.example/', link: 'https://e.example/', updated: new Date(0) });
    feed.addItem({ title: plainForHtmlCdata('Redefining <Creative> in Dictionary'), link: 'https://e.example/1', date: new Date(0) });
    expect(feed.atom1()).toContain('<title type="html"><![CDATA[Redefining &lt;Creative&gt; in Dictionary]]></title>');
  });

  it('never passes free text to an attribute: feed leaves < and & unescaped there', () => {
    expect(wellFormed(rss({ category: [{ name: 'c', domain: 'a<b' }] }))).toBe(false);
  });

  afterEach(() => vi.useRealTimers());
  it('passes dates explicitly, since feed stamps the current time otherwise', () => {
    vi.useFakeTimers({ now: new Date('2031-05-06T07:08:09Z') });
    expect(new Feed({ title: 't', id: 'https://e.example/', link: 'https://e.example/' }).rss2()).toContain('<lastBuildDate>Tue, 06 May 2031 07:08:09 GMT</lastBuildDate>');
    expect(rss({})).toContain('<lastBuildDate>Thu, 01 Jan 1970 00:00:00 GMT</lastBuildDate>');
  });
});
