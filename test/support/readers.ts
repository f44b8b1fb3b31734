import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// Debian's feedparser is installed for Debian's Python, whatever python3 comes first on PATH.
const PYTHON = '/usr/bin/python3';

export interface ParsedEntry {
  id: string;
  title: string;
  link: string;
  published: string | null;
  updated: string | null;
  summary: string | null;
  content: string | null;
  author: string | null;
  authors: string[];
  tags: string[];
  /** The content's text as a reader shows it (tags dropped, entities decoded). */
  content_text: string | null;
  summary_text: string | null;
}

export interface ParsedFeed {
  target: string;
  bozo: number;
  bozo_exception: string;
  version: string;
  title: string;
  language: string | null;
  ttl: string | null;
  icon: string | null;
  image: string | null;
  hub: string[];
  updated: string | null;
  entries: ParsedEntry[];
}

export async function readWithFeedparser(targets: readonly string[]): Promise<ParsedFeed[]> {
  const { stdout } = await run(PYTHON, [join(import.meta.dirname, 'feedparser_read.py'), ...targets], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout) as ParsedFeed[];
}

/** newsboat reloads every URL non-interactively; its cache (SQLite) tells which items it stored per feed. */
export interface NewsboatItem {
  title: string;
  author: string;
  /** The item body as newsboat stored it (HTML). */
  content: string;
}

export async function loadWithNewsboat(urls: readonly string[]): Promise<{ feeds: Map<string, { title: string; items: string[]; details: NewsboatItem[] }>; unreadLine: string }> {
  const home = mkdtempSync(join(tmpdir(), 'paperboy-newsboat-'));
  try {
    const urlFile = join(home, 'urls');
    const cache = join(home, 'cache.db');
    const config = join(home, 'config');
    writeFileSync(urlFile, `${urls.join('\n')}\n`);
    writeFileSync(config, 'reload-threads 2\ndownload-retries 1\ndownload-timeout 20\n');
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home };
    const args = ['-u', urlFile, '-c', cache, '-C', config];
    await run('newsboat', [...args, '-x', 'reload'], { env, timeout: 120_000 });
    const { stdout: unreadLine } = await run('newsboat', [...args, '-x', 'print-unread'], { env });
    const { stdout } = await run(PYTHON, [
      '-c',
      `import json,sqlite3,sys
c=sqlite3.connect(sys.argv[1])
feeds={u:{"title":t,"items":[],"details":[]} for u,t in c.execute("select rssurl,title from rss_feed")}
for f,t,a,b in c.execute("select feedurl,title,author,content from rss_item order by id"):
    feed=feeds.setdefault(f,{"title":None,"items":[],"details":[]})
    feed["items"].append(t)
    feed["details"].append({"title":t,"author":a,"content":b})
print(json.dumps(feeds,ensure_ascii=False))`,
      cache,
    ], { maxBuffer: 256 * 1024 * 1024 });
    const parsed = JSON.parse(stdout) as Record<string, { title: string; items: string[]; details: NewsboatItem[] }>;
    return { feeds: new Map(Object.entries(parsed)), unreadLine: unreadLine.trim() };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** xmllint --noout over files; resolves to its stderr (empty when every file is well-formed). */
export async function xmllint(paths: readonly string[]): Promise<string> {
  try {
    const { stderr } = await run('xmllint', ['--noout', ...paths], { maxBuffer: 64 * 1024 * 1024 });
    return stderr;
  } catch (err) {
    return (err as { stderr?: string }).stderr || String(err);
  }
}

/** xmllint --noout on one document given as text; its complaints, or '' when well-formed. */
export function xmllintText(xml: string): string {
  const out = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' });
  if (out.error) throw out.error;
  return out.stderr;
}
