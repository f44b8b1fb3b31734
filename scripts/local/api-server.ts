import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ORIGIN_HEADER } from '../../functions/domain/abuse/origin-secret.ts';
import type { ApiRequest, ApiResponse } from '../../functions/app/subscription/api.ts';
import { MAX_BODY_BYTES } from '../../functions/app/subscription/api.ts';
import type { RouteHandler } from './site-server.ts';
import { keepsIdleConnections } from './keep-alive.ts';

export interface FunctionUrlServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The API function as its Function URL serves it in AWS: anyone who knows the address can call it
 * directly, with any headers. Paths arrive as `/api/...` through CloudFront; the prefix is
 * stripped as the handler strips it.
 */
export async function startFunctionUrl(api: (req: ApiRequest) => Promise<ApiResponse>): Promise<FunctionUrlServer> {
  const server: Server = createServer((req, res) => {
    void serve(api, req, res).catch((err: unknown) => {
      res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`function error: ${(err as Error).message}`);
    });
  });
  keepsIdleConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(api: (req: ApiRequest) => Promise<ApiResponse>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
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
    path: url.pathname.replace(/^\/api(?=\/)/, ''),
    query: url.searchParams,
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
    body: Buffer.concat(chunks).toString('utf8'),
    // What Lambda reports as sourceIp: the caller's socket, which behind CloudFront is an edge.
    ip: req.socket.remoteAddress ?? 'unknown',
  });
  res.writeHead(out.status, out.headers).end(out.body);
}

/**
 * CloudFront's `/api/*` behaviour, locally: forwards to the Function URL with the origin secret as a
 * custom header and the viewer's address in `CloudFront-Viewer-Address`, replacing any value a
 * viewer sent under either name, as CloudFront does.
 */
export function cloudFrontApiBehaviour(functionUrl: () => string, originSecret: string, prefix = '/api'): RouteHandler {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(`${prefix}/`)) return Promise.resolve(false);
    const headers = { ...req.headers };
    delete headers[ORIGIN_HEADER];
    delete headers['cloudfront-viewer-address'];
    delete headers.host;
    headers[ORIGIN_HEADER] = originSecret;
    headers['cloudfront-viewer-address'] = `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? 0}`;
    const origin = new URL(functionUrl());
    return new Promise<boolean>((resolve, reject) => {
      const upstream = request({ host: origin.hostname, port: origin.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => resolve(true));
        answer.on('error', reject);
      });
      upstream.on('error', reject);
      req.pipe(upstream);
    });
  };
}
