import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiRequest, ApiResponse } from '../../functions/domain/subscribers/api.ts';
import { MAX_BODY_BYTES } from '../../functions/domain/subscribers/api.ts';
import type { RouteHandler } from './site-server.ts';

/** Mounts the subscription API under `/api` of the local server, as the Function URL serves it in AWS. */
export function apiRoute(api: (req: ApiRequest) => Promise<ApiResponse>, prefix = '/api'): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(`${prefix}/`)) return false;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      // Keep the chunk that crosses the limit (so the API sees an oversize body and answers 413),
      // and drop the rest unread into memory.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      size += chunk.length;
    }
    const out = await api({
      method: req.method ?? 'GET',
      path: url.pathname.slice(prefix.length),
      query: url.searchParams,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
      body: Buffer.concat(chunks).toString('utf8'),
      ip: req.socket.remoteAddress ?? 'unknown',
    });
    res.writeHead(out.status, out.headers).end(out.body);
    return true;
  };
}
