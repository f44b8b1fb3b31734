import { html, type SafeHtml } from '../../functions/domain/html.ts';

/** Phone-first, no web fonts or remote assets; long unbroken titles wrap instead of widening the page. */
const CSS = `
:root{color-scheme:light dark;--fg:#1d1d1f;--muted:#5f6368;--bg:#fff;--card:#f6f7f9;--accent:#b31b1b;--line:#dde1e6}
@media (prefers-color-scheme:dark){:root{--fg:#e8eaed;--muted:#a0a4a8;--bg:#121212;--card:#1e1f21;--accent:#ff7b72;--line:#34373b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Microsoft YaHei",sans-serif;overflow-wrap:anywhere}
main{max-width:46rem;margin:0 auto;padding:1rem}
a{color:var(--accent)}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}h3{font-size:1rem;margin:0 0 .25rem}
.muted,small{color:var(--muted)}
.cats{list-style:none;padding:0;margin:0;display:grid;gap:.5rem}
.cats li,.paper{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.75rem}
.count{font-weight:700;font-variant-numeric:tabular-nums}
h3 .count{display:inline-block;margin-left:.35rem;padding:0 .5rem;border-radius:1rem;background:var(--accent);color:var(--bg);font-size:.85rem}
.subs{display:flex;flex-wrap:wrap;gap:.25rem .5rem;font-size:.9rem}.subs>span:first-child{color:var(--muted)}
.about{margin:.1rem 0 .35rem;font-size:.9rem;color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line)}
details.quiet{margin-top:.75rem}details.quiet summary{padding:.5rem 0}
.paper{margin:.75rem 0}.paper p{margin:.25rem 0}
details summary{cursor:pointer;color:var(--muted)}
nav.days{display:flex;flex-wrap:wrap;gap:.25rem .75rem}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.75rem 0}
form.search label{flex-basis:100%;font-size:.9rem;color:var(--muted)}
form.search input{flex:1 1 12rem;min-width:0;font:inherit;padding:.45rem .6rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg)}
form.search button{font:inherit;padding:.45rem .9rem;border:0;border-radius:.4rem;background:var(--accent);color:var(--bg);cursor:pointer}
.results{list-style:none;padding:0}
.results mark{background:#fde68a;color:#1d1d1f}
.results h2{font-size:1.05rem;margin:0 0 .25rem}.results .excerpt{margin:.25rem 0 0}
`;

export function page(opts: { title: string; lang: string; head?: SafeHtml; body: SafeHtml }): string {
  return `<!DOCTYPE html>\n${html`<html lang="${opts.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${opts.title}</title><link rel="icon" href="/favicon.ico"><style>${CSS}</style>${opts.head ?? ''}</head><body><main>${opts.body}</main></body></html>`.value}\n`;
}
