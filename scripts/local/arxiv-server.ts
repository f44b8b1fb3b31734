import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { keepsIdleConnections } from './keep-alive.ts';

/**
 * A stand-in for arXiv on 127.0.0.1 that answers from recorded answers (test/fixtures/arxiv/).
 * `/api/query?id_list=…` gets an Atom feed of the recorded entries for those ids, each entry's XML
 * verbatim. `/rss/<category>` answers the listing set for that category (a recorded day, or an
 * empty listing as on a day without announcement). Other paths get a
 * 404. A `fault` hook lets a test answer a request its own way (503, slow, malformed).
 */

export type Fault = (req: IncomingMessage, res: ServerResponse, count: number) => boolean | Promise<boolean>;

export interface LocalArxiv {
  readonly url: string;
  readonly apiEndpoint: string;
  /** Base of the listing feeds, as `https://rss.arxiv.org/rss` is in AWS. */
  readonly listingEndpoint: string;
  /** The listing `/rss/<category>` answers from now on (the XML of a recorded listing); null: 404. */
  setListing(category: string, xml: string | null): void;
  /** Every request's path and query, in order. */
  readonly requests: string[];
  entries(): number;
  setFault(fault: Fault | null): void;
  stop(): Promise<void>;
}

const ENTRY = /<entry>[\s\S]*?<\/entry>/g;
const ENTRY_ID = /<id>\s*https?:\/\/arxiv\.org\/abs\/(\d{4}\.\d{4,5})(v\d+)?\s*<\/id>/;

export function loadRecordedEntries(dir: string): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => /^api-.*\.xml$/.test(f)).sort()) {
    for (const entry of readFileSync(join(dir, file), 'utf8').match(ENTRY) ?? []) {
      const m = ENTRY_ID.exec(entry);
      if (!m?.[1]) continue;
      byKey.set(`${m[1]}${m[2] ?? ''}`, entry);
      // Asked without a version, arXiv answers the latest it has: the last recorded one wins.
      byKey.set(m[1], entry);
    }
  }
  return byKey;
}

export function apiFeed(entries: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query (local recording)</title>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${entries.length}</opensearch:totalResults>
${entries.map((e) => `  ${e}`).join('\n')}
</feed>
`;
}

export async function startLocalArxiv(options: { dir: string }): Promise<LocalArxiv> {
  const recorded = loadRecordedEntries(options.dir);
  const requests: string[] = [];
  const listings = new Map<string, string>();
  let fault: Fault | null = null;
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push(`${url.pathname}${url.search}`);
      if (fault && (await fault(req, res, requests.length))) return;
      if (url.pathname === '/api/query') {
        const ids = (url.searchParams.get('id_list') ?? '').split(',').filter((s) => s !== '');
        const entries = ids.map((id) => recorded.get(id)).filter((e): e is string => e !== undefined);
        res.writeHead(200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
        res.end(apiFeed(entries));
        return;
      }
      const listing = /^\/rss\/([^/]+)$/.exec(url.pathname);
      const xml = listing?.[1] ? listings.get(decodeURIComponent(listing[1])) : undefined;
      if (xml !== undefined) {
        res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
        res.end(xml);
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    })().catch((err: Error) => {
      res.writeHead(500);
      res.end(err.message);
    });
  });
  keepsIdleConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiEndpoint: `${url}/api/query`,
    listingEndpoint: `${url}/rss`,
    setListing(category, xml) {
      if (xml === null) listings.delete(category);
      else listings.set(category, xml);
    },
    requests,
    entries: () => new Set(recorded.values()).size,
    setFault(f) {
      fault = f;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
