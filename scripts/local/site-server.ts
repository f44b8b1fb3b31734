import { sitePaths } from '../../functions/domain/site/paths.ts';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepsIdleConnections } from './keep-alive.ts';

export interface SiteServer {
  readonly url: string;
  readonly server: Server;
  stop(): Promise<void>;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Serves the site bucket on 127.0.0.1 the way CloudFront serves it in AWS: the stored Content-Type and
 * Cache-Control, ETag and Last-Modified, and 304 for a matching conditional GET. Extra routes (the
 * subscription API) are tried first.
 */
export async function startSiteServer(options: { client: S3Client; bucket: string; port?: number; routes?: RouteHandler[] }): Promise<SiteServer> {
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(`internal error: ${(err as Error).message}`);
    });
  });

  /** The site's own 404 page, with status 404 (plain text before the first publish has written it). */
  async function notFound(res: ServerResponse): Promise<void> {
    try {
      const out = await options.client.send(new GetObjectCommand({ Bucket: options.bucket, Key: sitePaths.notFound }));
      const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      res.writeHead(404, { 'Content-Type': out.ContentType ?? 'text/html; charset=utf-8', 'Content-Length': String(body.byteLength) }).end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found (nothing is published yet)');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const route of options.routes ?? []) if (await route(req, res)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname).replace(/^\/+/, '');
    if (path === '' || path.endsWith('/')) path += 'index.html';
    if (path.startsWith('.paperboy/') || path.includes('..')) return notFound(res);
    try {
      const out = await options.client.send(
        new GetObjectCommand({
          Bucket: options.bucket,
          Key: path,
          ...(req.headers['if-none-match'] ? { IfNoneMatch: req.headers['if-none-match'] } : {}),
        }),
      );
      const headers: Record<string, string> = {};
      if (out.ContentType) headers['Content-Type'] = out.ContentType;
      if (out.CacheControl) headers['Cache-Control'] = out.CacheControl;
      if (out.ETag) headers.ETag = out.ETag;
      if (out.LastModified) headers['Last-Modified'] = out.LastModified.toUTCString();
      const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      headers['Content-Length'] = String(body.byteLength);
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 304) res.writeHead(304, { ETag: String(req.headers['if-none-match']) }).end();
      else if (status === 404 || (err as Error).name === 'NoSuchKey') await notFound(res);
      else throw err;
    }
  }

  keepsIdleConnections(server);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
