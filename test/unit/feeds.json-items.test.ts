import { describe, expect, it } from 'vitest';
import { renderJsonFeed } from '../../functions/domain/feeds/render-feeds.ts';

describe('JSON Feed', () => {
  it('has the items array JSON Feed 1.1 requires, also when a feed has no item', () => {
    const feed = JSON.parse(renderJsonFeed({ baseUrl: 'https://paperboy.test', category: { slug: 'gnn', nameEn: 'Graph neural networks', nameZh: '图神经网络' }, lang: 'en', entries: [], updated: '2024-07-13' })) as { version: string; items?: unknown[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items).toEqual([]);
  });
});
