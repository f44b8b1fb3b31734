import type { Server } from 'node:http';

/**
 * A local server that never drops an idle keep-alive connection itself. Node's servers close one
 * after 5 s of quiet, and a client (the SDK's agent, Node's global agent in the CloudFront proxy)
 * that picks that socket for its next request at the same moment gets ECONNRESET: a send that
 * SES would have taken fails, or a page answers 502. Clients close their idle sockets themselves,
 * which races with nothing; `stop()` still ends every connection (closeAllConnections).
 */
export function keepsIdleConnections<S extends Server>(server: S): S {
  server.keepAliveTimeout = 0;
  return server;
}
