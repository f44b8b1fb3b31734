import { html, safeUrl, type SafeHtml } from '../../functions/domain/html.ts';
import { bilingualHtml } from '../../functions/domain/language.ts';
import { MAX_FOR_YOU_SIZE, MIN_SAVED_FOR_RANKING, type ActionOutcome, type LibraryEntry, type LibraryUpdate } from '../../functions/domain/library/library.ts';
import type { PaperAction } from '../../functions/domain/library/actions.ts';
import { subscriptionPage } from './pages.ts';

export interface ShownPaper {
  readonly id: string;
  readonly title: string;
  readonly titleZh: string | null;
  readonly authors: readonly string[];
  readonly abstract: string | null;
  readonly day: string;
  /** The newest version the reader was told of. */
  readonly version?: number | null;
  /** Where arXiv says it was published (its journal reference), when it says so. */
  readonly journalRef?: string;
  /** What the reader's mails told them changed since it was saved. */
  readonly updates?: readonly LibraryUpdate[];
}

/** A saved paper's changes, newest first: "Updated 2024-03-11: new version v3, now with code". */
function updatesLine(updates: readonly LibraryUpdate[] | undefined): SafeHtml | string {
  if (!updates?.length) return '';
  const items = [...updates].reverse().map((u) => {
    const what = [u.version !== null ? `new version v${u.version} · 新版本` : null, u.codeUrl ? 'now with code · 附代码' : null, u.journalRef ? 'published · 已发表' : null].filter((w): w is string => w !== null);
    return html`<li><time datetime="${u.day}">${u.day}</time>: ${what.map((w, i) => html`${i ? '; ' : ''}${bilingualHtml(w)}`)}${u.codeUrl ? html` · <a href="${safeUrl(u.codeUrl)}">code</a>` : ''}</li>`;
  });
  return html`<div class="updated"><strong>Updated <span lang="zh-CN">已更新</span></strong><ul>${items}</ul></div>`;
}

const CSS = '.paper{border-left:3px solid #8884;padding:0 0 0 1rem;margin:1rem 0}.paper h2,.paper h3{margin:.2rem 0}.row{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}';

function paperBlock(p: ShownPaper, heading: 'h2' | 'h3' = 'h2'): SafeHtml {
  const title = html`<a href="https://arxiv.org/abs/${p.id}">${p.title}</a>`;
  return html`<div class="paper">${heading === 'h2' ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`}${p.titleZh ? html`<p lang="zh-CN">${p.titleZh}</p>` : ''}<p class="muted">${p.authors.slice(0, 12).join(', ')}${p.authors.length > 12 ? ' et al.' : ''} · arXiv:${p.id} · <span lang="zh-CN">listed</span> ${p.day}${p.version !== undefined && p.version !== null ? html` · v${String(p.version)}` : ''}</p>${updatesLine(p.updates)}${p.journalRef ? html`<p class="journal">Published <span lang="zh-CN">已发表</span>: ${p.journalRef}</p>` : ''}${p.abstract ? html`<details><summary>Abstract <span lang="zh-CN">摘要</span></summary><p>${p.abstract}</p></details>` : ''}</div>`;
}

const ACTION_WORDS: Record<PaperAction, { button: string; ask: string }> = {
  save: { button: '☆ Save · 收藏', ask: 'Save this paper to your library? Papers you save teach your mail what to put first. · 将这篇论文加入收藏？您收藏的论文会让邮件把相似的论文放在前面。' },
  'not-for-me': { button: 'Not for me · 不感兴趣', ask: 'Tell Paperboy this paper is not for you? Your mail will put papers like it further down. · 告诉 Paperboy 这篇论文不适合您？邮件会把类似的论文往后放。' },
};

/** The page a mail's save link opens: the paper and one button (mail scanners open links; only the button's POST records). */
export function paperActionPage(p: ShownPaper, action: PaperAction, post: string, other: string): string {
  const w = ACTION_WORDS[action];
  const otherWords = ACTION_WORDS[action === 'save' ? 'not-for-me' : 'save'];
  return subscriptionPage({
    title: `${action === 'save' ? 'Save' : 'Not for me'} · Paperboy`,
    lang: 'en',
    head: html`<style>${CSS}</style>`,
    body: html`<h1>${bilingualHtml(action === 'save' ? 'Save this paper · 收藏论文' : 'Not for me · 不感兴趣')}</h1>${paperBlock(p)}
<p>${bilingualHtml(w.ask)}</p>
<form method="post" action="${post}" class="row"><button type="submit" id="act">${bilingualHtml(w.button)}</button> <a href="${other}">${bilingualHtml(otherWords.button)}</a></form>`,
  });
}

export interface ActionDone {
  readonly outcome: ActionOutcome;
  readonly paper: ShownPaper;
  readonly saved: number;
  readonly library: string;
  readonly undo?: string;
}

const DONE: Record<ActionOutcome, string> = {
  saved: 'Saved ☆ · 已收藏',
  'already-saved': 'Already in your library · 已在收藏中',
  refused: 'Noted: not for you · 已记录：不感兴趣',
  'already-refused': 'Already noted · 已记录',
  full: 'Your library is full · 收藏已满',
};

/** What the button did, and what it means for the reader's mail. */
export function actionDonePage(d: ActionDone): string {
  const needed = Math.max(0, MIN_SAVED_FOR_RANKING - d.saved);
  const status =
    d.outcome === 'full'
      ? 'Nothing was added: a library holds 500 papers. Remove some on your library page. · 未添加：收藏最多 500 篇，请在收藏页删除一些。'
      : needed > 0
        ? `Your library has ${d.saved} ${d.saved === 1 ? 'paper' : 'papers'}. Save ${needed} more and your mail starts with “For you”, the day's papers most like yours. · 您已收藏 ${d.saved} 篇；再收藏 ${needed} 篇，邮件将以“为你推荐”开头。`
        : `Your library has ${d.saved} papers: your next mail starts with “For you”, the day's papers most like them. · 您已收藏 ${d.saved} 篇，下一封邮件将以“为你推荐”开头。`;
  return subscriptionPage({
    title: `${DONE[d.outcome].split(' · ')[0]} · Paperboy`,
    lang: 'en',
    head: html`<style>${CSS}</style>`,
    body: html`<h1 role="status">${bilingualHtml(DONE[d.outcome])}</h1>${paperBlock(d.paper)}<p>${bilingualHtml(status)}</p>
<p><a href="${d.library}" id="library">${bilingualHtml('Your library · 我的收藏')}</a></p>`,
  });
}

export interface LibraryView {
  readonly entries: readonly LibraryEntry[];
  readonly action: string;
  readonly bibtex: string;
  /** RIS (Zotero, Mendeley, EndNote) and CSL-JSON (citeproc, pandoc) exports. */
  readonly ris: string;
  readonly csl: string;
  /** "Download all my data": the subscription and the library as JSON. */
  readonly data: string;
  readonly preferences: string;
  readonly forYouSize: number;
  readonly notice?: string;
}

/** A reader's library: saved papers newest first, each with a remove button; exports; the size of "For you". */
export function libraryPage(v: LibraryView): string {
  const needed = Math.max(0, MIN_SAVED_FOR_RANKING - v.entries.length);
  const forYou =
    needed > 0
      ? `“For you” starts when you have saved ${MIN_SAVED_FOR_RANKING} papers: ${needed} more. · 收藏满 ${MIN_SAVED_FOR_RANKING} 篇后开始“为你推荐”：还差 ${needed} 篇。`
      : v.forYouSize > 0
        ? `Your mail starts with “For you”: the ${v.forYouSize} papers of the day most like these. · 您的邮件以“为你推荐”开头：当天最相近的 ${v.forYouSize} 篇论文。`
        : '“For you” is off. · “为你推荐”已关闭。';
  return subscriptionPage({
    title: 'Your library · 我的收藏',
    lang: 'en',
    head: html`<style>${CSS}</style>`,
    body: html`<h1>Your library <span lang="zh-CN">我的收藏</span></h1>
${v.notice ? html`<p role="status">${bilingualHtml(v.notice)}</p>` : ''}
<p>${bilingualHtml(forYou)}</p>
<form method="post" action="${v.action}" class="row"><label for="size">${bilingualHtml('Papers in “For you” (0 turns it off) · “为你推荐”篇数（0 为关闭）')}</label> <input id="size" name="size" type="number" min="0" max="${String(MAX_FOR_YOU_SIZE)}" value="${String(v.forYouSize)}"> <button type="submit" name="do" value="size">${bilingualHtml('Save · 保存')}</button></form>
<p class="row"><a href="${v.bibtex}" download="paperboy-library.bib">${bilingualHtml('Export BibTeX · 导出 BibTeX')}</a> <a href="${v.ris}" download="paperboy-library.ris">${bilingualHtml('RIS (Zotero, Mendeley) · RIS')}</a> <a href="${v.csl}" download="paperboy-library.json">CSL-JSON</a> <a href="${v.data}" download="paperboy-my-data.json">${bilingualHtml('Download all my data · 下载我的全部数据')}</a> <a href="${v.preferences}">${bilingualHtml('Preferences · 订阅设置')}</a></p>
<h2>${bilingualHtml(`${v.entries.length} saved · 已收藏 ${v.entries.length} 篇`)}</h2>
${v.entries.length === 0 ? html`<p>${bilingualHtml('Nothing saved yet: every paper in your mail has a “☆ Save” link. · 尚无收藏：邮件中每篇论文都有“☆ 收藏”链接。')}</p>` : ''}
<h2>${bilingualHtml('Bring your papers · 导入论文')}</h2>
<p>${bilingualHtml('Start “For you” from what you already read: paste arXiv ids or links, or upload a BibTeX or RIS export of Zotero, Mendeley or JabRef. Papers without an arXiv id are skipped. · 用您已读过的论文启动“为你推荐”：粘贴 arXiv 编号或链接，或上传 Zotero、Mendeley、JabRef 导出的 BibTeX / RIS 文件。没有 arXiv 编号的文献将被跳过。')}</p>
<form method="post" action="${v.action}"><p><label for="ids">${bilingualHtml('arXiv ids or links, one or more per line · arXiv 编号或链接，每行一个或多个')}</label><br><textarea id="ids" name="ids" rows="4" cols="40" maxlength="200000"></textarea></p><button type="submit" name="do" value="import">${bilingualHtml('Import · 导入')}</button></form>
<form method="post" action="${v.action}" enctype="multipart/form-data"><input type="hidden" name="do" value="import"><p><label for="file">${bilingualHtml('BibTeX or RIS file · BibTeX 或 RIS 文件')}</label><br><input id="file" name="file" type="file" accept=".bib,.ris,.txt,text/plain,application/x-bibtex,application/x-research-info-systems"></p><button type="submit">${bilingualHtml('Upload · 上传')}</button></form>
<h2>${bilingualHtml('Delete my library · 删除我的收藏')}</h2>
<form method="post" action="${v.action}"><p>${bilingualHtml('Deletes every saved paper, every “not for me” and the model learnt from them, now; your subscription continues (its unsubscribe link ends it, and takes all of this with it). · 立即删除所有收藏、“不感兴趣”记录及由此学习的模型；订阅将继续（退订链接可结束订阅，并一并删除这些数据）。')}</p><button type="submit" name="do" value="delete-library">${bilingualHtml('Delete my library · 删除我的收藏')}</button></form>
${v.entries.map((e) => html`${paperBlock({ ...e, abstract: e.abstract }, 'h3')}<form method="post" action="${v.action}"><input type="hidden" name="id" value="${e.id}"><button type="submit" name="do" value="remove">${bilingualHtml('Remove · 移除')}</button></form>`)}`,
  });
}
