import { html, raw } from '../../functions/domain/html.ts';
import { sitePaths } from '../../functions/domain/site/paths.ts';
import { page } from './layout.ts';

/**
 * The archive search page. The query box is a plain GET form (`?q=`), so a search box on any page
 * lands here; a small module on pagefind.js runs the query across the half-month shards, newest first.
 *
 * The page's language is zh-CN (English runs carry lang="en"): pagefind.js segments a query into
 * words with Intl.Segmenter only when the page is Chinese, and the index is Chinese (search-records.ts).
 * Result text is set as text, never as markup: the excerpt Pagefind returns is walked node by node
 * and only its <mark> highlights are kept.
 */
/** Queries the empty page offers, in both languages and the shapes the box takes. */
const EXAMPLES = ['diffusion', 'Gaussian splatting', 'Kaiming He', '扩散模型', '目标检测'];

export function renderSearchPage(months: readonly string[], recentDays: readonly { date: string; papers: number }[] = []): string {
  const shards = [...months].sort().reverse().map((m) => sitePaths.searchShard(m));
  const script = `
const shards = ${JSON.stringify(shards).replace(/</g, '\\u003c')};
const form = document.querySelector('form.search');
const input = form.querySelector('input[name=q]');
const status = document.getElementById('status');
const list = document.getElementById('results');
const q = new URLSearchParams(location.search).get('q') || '';
input.value = q;
function el(tag, props, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) if (c) e.append(c);
  return e;
}
function say(en, zh) {
  status.replaceChildren(el('span', { lang: 'en', textContent: en }), ' ', el('span', { lang: 'zh-CN', textContent: zh }));
}
/** Text cut into runs of Chinese and the rest, each tagged with its language (screen readers switch voice). */
function runs(text, wrap) {
  return text.split(/([\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+)/).filter(Boolean).map((part) =>
    el(wrap, { lang: /[\u3400-\u9fff]/.test(part) ? 'zh-CN' : 'en', textContent: part }));
}
/** Pagefind's excerpt as text with its <mark>s, whatever else it holds. */
function excerpt(markup) {
  const t = document.createElement('template');
  // Pagefind escapes < and > in excerpts but not &: every other & is the text's own.
  t.innerHTML = markup.replace(/&(?!lt;|gt;)/g, '&amp;');
  const p = el('p', { className: 'excerpt' });
  for (const n of t.content.childNodes) p.append(...runs(n.textContent || '', n.nodeName === 'MARK' ? 'mark' : 'span'));
  return p;
}
function lang(text) { return /[\\u3400-\\u9fff]/.test(text) ? 'zh-CN' : 'en'; }
async function run(query) {
  if (!shards.length) return say('The archive is empty.', '暂无内容。');
  say('Searching…', '正在搜索…');
  const pagefind = await import(new URL(shards[0] + 'pagefind.js', location.href).href);
  // Pagefind answers a word no shard holds with shorter prefixes of it ("alert" finds "et al."), and
  // merged shards are ranked together: favouring whole-word matches keeps a shard's exact hit above
  // another shard's partial ones.
  const ranking = { ranking: { termSimilarity: 10 } };
  await pagefind.options({ excerptLength: 40, ...ranking });
  await Promise.all(shards.slice(1).map((s) => pagefind.mergeIndex(new URL(s, location.href).href, ranking).catch(() => false)));
  // An arXiv id (bare, arXiv:…, or its abs/pdf link) finds its paper first.
  const asId = /^(?:arxiv:\\s*|https?:\\/\\/arxiv\\.org\\/(?:abs|pdf)\\/)?(\\d{4}\\.\\d{4,5})(?:v\\d+)?$/i.exec(query);
  const id = asId ? asId[1] : '';
  const search = await pagefind.search(id || query);
  const loaded = await Promise.all(search.results.slice(0, 60).map((r) => r.data()));
  // Pagefind roots every URL at "/"; made relative again, the page works under any path.
  const paper = /^\\/?(days\\/[0-9-]+\\.html#([\\w.\\/-]+))$/;
  // Pagefind falls back to shorter prefixes of a word no paper holds ("qwertyuiopzz" finds "qwer…"
  // nowhere, then anything): a result must hold each query word, or its first five letters (a stem).
  const words = id ? [] : query.toLowerCase().split(/\\s+/).filter(Boolean).map((w) => (/[\\u3400-\\u9fff]/.test(w) ? w : w.slice(0, 5)));
  // An id is a paper, not words: only that paper (on each day it was listed).
  const real = loaded.filter((r) => paper.test(r.url) && (id ? paper.exec(r.url)[2] === id : words.every((w) => (r.content || '').toLowerCase().includes(w))));
  // One result per paper (a paper listed again is one paper), naming every day it was listed.
  const byPaper = new Map();
  for (const r of real) {
    const key = paper.exec(r.url)[2];
    const known = byPaper.get(key);
    if (known) known.days.push((r.meta || {}).date || '');
    else byPaper.set(key, { r, days: [(r.meta || {}).date || ''] });
  }
  const groups = [...byPaper.entries()].sort((a, b) => (b[0] === id) - (a[0] === id)).map(([, g]) => g);
  const shown = groups.slice(0, 30);
  list.replaceChildren(...shown.map(({ r, days }) => {
    const m = r.meta || {};
    const listed = [...new Set(days)].sort().reverse();
    return el('li', { className: 'paper' },
      el('h2', {}, el('a', { href: paper.exec(r.url)[1], textContent: m.title || r.url, lang: 'en' })),
      m.title_zh ? el('p', { lang: 'zh-CN', textContent: m.title_zh }) : '',
      el('p', { className: 'muted' }, ...listed.flatMap((d, i) => [i ? ', ' : '', el('time', { dateTime: d, textContent: d })]), ' · ', el('span', { lang: 'en', textContent: m.category_en || '' }), ' ', el('span', { lang: 'zh-CN', textContent: m.category_zh || '' }), ' · ', el('span', { lang: lang(m.authors || ''), textContent: m.authors || '' })),
      excerpt(r.excerpt || ''));
  }));
  // Past the 60 results read, the count is a floor.
  const n = groups.length;
  const more = !id && search.results.length > loaded.length ? '+' : '';
  if (!n) say('No paper matches “' + query + '”.', '没有找到与“' + query + '”匹配的论文。');
  else say(n + more + (n === 1 ? ' paper' : ' papers') + (n > shown.length ? ', the best ' + shown.length + ' shown' : '') + '.', '共 ' + n + more + ' 篇论文' + (n > shown.length ? '，显示最相关的 ' + shown.length + ' 篇' : '') + '。');
}
if (q.trim()) run(q.trim()).catch((err) => { console.error(err); say('Search failed; please try again.', '搜索失败，请重试。'); });
`;
  const body = html`<p><a href="${sitePaths.index}">Paperboy</a></p><h1><span lang="en">Search the archive</span> · 搜索往期论文</h1>
<form class="search" role="search" action="${sitePaths.search}" method="get"><label for="q"><span lang="en">English or Chinese: title, abstract, author, arXiv id</span> · 中英文均可：标题、摘要、作者、arXiv 编号</label><input id="q" name="q" type="search" required><button type="submit"><span lang="en">Search</span> 搜索</button></form>
<noscript><p><span lang="en">Search runs in your browser and needs JavaScript. Every day is listed on the <a href="${sitePaths.index}">front page</a>.</span> 搜索需要 JavaScript；往期论文见<a href="${sitePaths.index}">首页</a>。</p></noscript>
<div id="status" role="status" aria-live="polite"></div>
<ol id="results" class="results"></ol>
<section id="start"><h2><span lang="en">Try</span> · 试试</h2><p>${EXAMPLES.map((q, i) => html`${i ? ' · ' : ''}<a href="${sitePaths.search}?q=${encodeURIComponent(q)}"${/[\u3400-\u9fff]/.test(q) ? '' : html` lang="en"`}>${q}</a>`)}</p>
${recentDays.length ? html`<h2><span lang="en">Recent days</span> · 最近几天</h2><nav class="days">${recentDays.map((d) => html`<a href="${sitePaths.day(d.date)}">${d.date}</a> <small>(${d.papers})</small>`)}</nav>` : ''}</section>
<script type="module">${raw(script)}</script>`;
  return page({ title: 'Paperboy · Search 搜索', lang: 'zh-CN', body });
}
