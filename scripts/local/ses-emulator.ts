import type { AddressInfo } from 'node:net';
import { SESClient } from '@aws-sdk/client-ses';
import sesModule from 'aws-ses-v2-local';
import { keepsIdleConnections } from './keep-alive.ts';

// A CommonJS module with an `exports.default`: under ESM the function sits one level down.
const sesServer = ((sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule) as unknown as (config: { host: string; port: number }) => Promise<import('node:http').Server>;

export interface StoredMail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly headers?: readonly { name: string; value: string }[];
  readonly at: number;
}

export interface LocalSes {
  readonly endpoint: string;
  /** The emulator's own mailbox page. */
  readonly mailboxUrl: string;
  client(endpoint?: string): SESClient;
  mails(): Promise<StoredMail[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/** aws-ses-v2-local on 127.0.0.1: the SES API (SendRawEmail included), keeping every mail it accepts. */
export async function startLocalSes(port = 0): Promise<LocalSes> {
  const server = keepsIdleConnections(await sesServer({ host: '127.0.0.1', port }));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: SESClient[] = [];
  // The emulator keeps one mailbox per process: a new instance starts from an empty one.
  await fetch(`${endpoint}/clear-store`, { method: 'POST' });
  return {
    endpoint,
    mailboxUrl: `${endpoint}/`,
    client(at = endpoint) {
      const c = new SESClient({ endpoint: at, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    async mails() {
      const res = await fetch(`${endpoint}/store`);
      return ((await res.json()) as { emails: StoredMail[] }).emails;
    },
    async clear() {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
    async stop() {
      for (const c of clients) c.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
