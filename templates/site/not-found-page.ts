import { html } from '../../functions/domain/html.ts';
import { sitePaths } from '../../functions/domain/site/paths.ts';
import { page } from './layout.ts';

/**
 * What a reader gets for a page that is not there (an old link, a day not published, a typo): where
 * they are and the ways on. Served at any depth, so its links start at the site's root.
 */
export function renderNotFoundPage(): string {
  const body = html`<h1><span lang="en">No such page</span> · <span lang="zh-CN">页面不存在</span></h1>
<p lang="en">Nothing is published at this address: the link may be old, or the day not published yet.</p>
<p lang="zh-CN">此地址没有内容：链接可能已过期，或当日尚未发布。</p>
<nav class="days" aria-label="Ways on"><a href="/${sitePaths.index}"><span lang="en">Today's papers</span> <span lang="zh-CN">今日论文</span></a><a href="/${sitePaths.search}"><span lang="en">Search the archive</span> <span lang="zh-CN">搜索</span></a><a href="/${sitePaths.subscribe}"><span lang="en">Get it by e-mail</span> <span lang="zh-CN">邮件订阅</span></a></nav>`;
  return page({ title: 'Paperboy · no such page', lang: 'en', body });
}
