import { html, raw } from '../../functions/domain/html.ts';
import type { SiteStatus } from '../../functions/domain/site/status.ts';
import { sitePaths } from '../../functions/domain/site/paths.ts';
import { page } from './layout.ts';

/**
 * The status page: what the archive holds (server-side, readable without script) and, in the
 * reader's browser, today's verdict and the next announcement in UTC and Beijing time (the two the
 * audience lives in), worked out from the embedded status and the reader's clock.
 */
export function renderStatusPage(status: SiteStatus): string {
  const rows = status.recent.map(
    (d) => html`<tr><td><a href="${sitePaths.day(d.date)}">${d.date}</a></td><td>${String(d.papers)}</td><td>${d.source || '–'}</td><td>${d.ingestedAt ? `${d.ingestedAt.replace('T', ' ').slice(0, 16)} UTC` : '–'}</td><td>${d.quarantined ? String(d.quarantined) : '–'}</td></tr>`,
  );
  const listings = status.listings.map((l) => html`<tr><td>${l.category}</td><td>${l.date}</td><td>${String(l.papers)}</td><td>${l.seenAt.replace('T', ' ').slice(0, 16)} UTC</td></tr>`);
  const sent = status.lastSend;
  const sendLine = sent
    ? html`<p id="last-send">Last send <span lang="zh-CN">最近发送</span>: ${sent.run.endsWith('-week') ? html`weekly mail of ${sent.run.slice(0, 10)}` : html`mail of <a href="${sitePaths.day(sent.run.slice(0, 10))}">${sent.run.slice(0, 10)}</a>`}, completed ${sent.completedAt.replace('T', ' ').slice(0, 16)} UTC: ${String(sent.totals.sent)} sent, ${String(sent.totals.skipped)} skipped, ${String(sent.totals.suppressed)} suppressed, ${String(sent.totals.failed)} failed (of ${String(sent.totals.planned)} planned).</p>`
    : html`<p id="last-send">No send run has completed yet. <span lang="zh-CN">尚无发送记录。</span></p>`;
  // JSON in a script element: `<` is written as \u003c so no text can close the element.
  const data = JSON.stringify(status).replace(/</g, '\\u003c');
  const script = `
const s = JSON.parse(document.getElementById('status-data').textContent);
const now = new Date();
const fmt = (d, zone) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
const ny = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(d);
const weekday = (d) => new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'long' }).format(d);
const list = s.announcements.map((a) => ({ ...a, at: new Date(a.at) }));
const past = list.filter((a) => a.at <= now);
const last = past[past.length - 1];
const next = list.find((a) => a.at > now);
const verdict = document.getElementById('verdict');
const nextLine = document.getElementById('next');
let words;
if (!last || !next) {
  words = 'The archive has not been updated for a while: this page cannot tell today\\'s state. 本页无法判断今日状态（存档已久未更新）。';
} else {
  const today = ny(now);
  const announcesToday = list.some((a) => a.date === today);
  const quiet = announcesToday ? '' : \`arXiv does not announce today (\${weekday(now)}, New York). arXiv 今日（纽约时间\${weekday(now)}）不发布。 \`;
  const have = s.newest && s.newest.date >= last.listing;
  const due = new Date(last.at.getTime() + s.graceHours * 3600000);
  const mailed = s.lastSend && s.newest && s.lastSend.run === s.newest.date ? \` The mail was sent at \${s.lastSend.completedAt.slice(11, 16)} UTC. 邮件已于 UTC \${s.lastSend.completedAt.slice(11, 16)} 发出。\` : '';
  if (have) words = quiet + \`The digest of \${s.newest.date} is in: \${s.newest.papers} papers, taken in at \${s.newest.ingestedAt.slice(11, 16)} UTC. \${s.newest.date} 的论文已收录（\${s.newest.papers} 篇）。\` + mailed;
  else if (now < due) words = quiet + \`arXiv announced the listing of \${last.listing} at \${fmt(last.at, 'UTC')} UTC; its digest is being made (expected by \${fmt(due, 'UTC')} UTC). 今日论文正在生成。\`;
  else words = quiet + \`Today's digest is late: arXiv announced the listing of \${last.listing} at \${fmt(last.at, 'UTC')} UTC and no digest has come in since. 今日论文迟到了。\`;
}
verdict.textContent = words;
// The last publish that changed the site is the front page's Last-Modified (it is uploaded only when it changed).
fetch('index.html', { method: 'HEAD', cache: 'no-store' }).then((r) => {
  const modified = r.ok ? r.headers.get('last-modified') : null;
  if (modified) document.getElementById('last-publish').textContent = \`Site last updated \${fmt(new Date(modified), 'UTC')} UTC · 网站更新于北京时间 \${fmt(new Date(modified), 'Asia/Shanghai')}\`;
}).catch(() => {});
if (next) nextLine.textContent = \`Next announcement: \${fmt(next.at, 'UTC')} UTC · \${fmt(next.at, 'Asia/Shanghai')} Beijing time (北京时间) · the listing of \${next.listing}\`;
`;
  const body = html`<h1><span lang="en">Status</span> · <span lang="zh-CN">运行状态</span></h1>
<p id="verdict" role="status"><span lang="en">Today's verdict needs JavaScript; the newest digest and the days taken in are below.</span> <span lang="zh-CN">今日状态需要 JavaScript；最新收录见下表。</span></p>
<p id="next"></p>
<p>${status.newest ? html`Newest digest <span lang="zh-CN">最新</span>: <a href="${sitePaths.day(status.newest.date)}">${status.newest.date}</a>, ${String(status.newest.papers)} papers from ${status.newest.source || '–'}` : html`No digest yet. <span lang="zh-CN">暂无内容。</span>`}</p>
<p class="muted">arXiv announces Sunday to Thursday at 20:00 New York time, not on Friday, Saturday or its holidays (known through ${String(status.holidaysKnownThrough)}); a day's digest is expected within ${String(status.graceHours)} hours. <a href="${sitePaths.statusJson}">status.json</a></p>
${sendLine}
<p id="last-publish"></p>
${status.listings.length ? html`<h2>arXiv listings seen <span lang="zh-CN">arXiv 列表</span></h2>
<table id="listings"><thead><tr><th scope="col">Category</th><th scope="col">Listing of</th><th scope="col">Papers</th><th scope="col">Seen</th></tr></thead><tbody>${listings}</tbody></table>` : ''}
<h2>Days taken in <span lang="zh-CN">近期收录</span></h2>
<table><thead><tr><th scope="col">Day</th><th scope="col">Papers</th><th scope="col">Source</th><th scope="col">Taken in</th><th scope="col">Quarantined versions</th></tr></thead><tbody>${rows}</tbody></table>
<script type="application/json" id="status-data">${raw(data)}</script>
<script type="module">${raw(script)}</script>`;
  return page({ title: 'Paperboy · status 运行状态', lang: 'en', body });
}
