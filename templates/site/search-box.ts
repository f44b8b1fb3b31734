import { html, type SafeHtml } from '../../functions/domain/html.ts';
import { sitePaths } from '../../functions/domain/site/paths.ts';

/**
 * A plain GET form to the search page: it works from any page without JavaScript up to the search
 * page itself, which runs the query. `root` is the relative way back to the site root.
 */
export function searchBox(root: string): SafeHtml {
  return html`<form class="search" role="search" action="${root}${sitePaths.search}" method="get"><label for="q"><span lang="en">Search the archive</span> <span lang="zh-CN">搜索往期论文</span></label><input id="q" name="q" type="search" required><button type="submit"><span lang="en">Search</span> <span lang="zh-CN">搜索</span></button></form>`;
}
