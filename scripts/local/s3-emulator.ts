import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { motoClientConfig } from './moto-server.ts';
import S3rver from 's3rver';
import { keepsIdleConnections } from './keep-alive.ts';

export interface LocalS3 {
  readonly endpoint: string;
  readonly client: S3Client;
  readonly buckets: readonly string[];
  stop(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1: the real S3 HTTP API, files kept under `directory`. */
export async function startLocalS3(options: { directory: string; buckets: readonly string[]; port?: number }): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  wholeObjectsOnly(server, join(dirname(options.directory), `${basename(options.directory)}.incoming`));
  const address = (await server.run()) as AddressInfo;
  keepsIdleConnections((server as unknown as { httpServer: import('node:http').Server }).httpServer);
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    endpoint,
    client,
    buckets: options.buckets,
    async stop() {
      client.destroy();
      await server.close();
    },
  };
}

/** The part of s3rver's file store the guard below replaces. */
interface S3rverStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: Record<string, string> }): Promise<{ size: number; md5: string }>;
  getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<{ content: Readable | null; size: number; range?: { start: number; end: number } } | null>;
}

/**
 * s3rver writes an object over its file in place and answers the PUT once the upload has been read,
 * not once the file is written; a GET stats the file, then streams as many bytes as the stat said.
 * So a GET during or just after a PUT of the same key can get an empty or cut body, or a
 * Content-Length the body never reaches and an aborted response ("Unexpected end of JSON input" in
 * npm start's ingest, seen in CI). Real S3 replaces an object whole. Guard: the PUTs and GETs of one
 * key take turns, a GET reads its body whole before the next PUT starts, and a PUT writes to a file
 * outside the buckets (listings never see it) renamed into place once complete. Local objects are small.
 */
export function wholeObjectsOnly(server: S3rver, incoming: string): void {
  const store = (server as unknown as { store: S3rverStore }).store;
  const getObject = store.getObject.bind(store);
  mkdirSync(incoming, { recursive: true });
  const turns = new Map<string, Promise<unknown>>();
  const inTurn = <T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> => {
    const id = `${bucket}/${key}`;
    const mine = (turns.get(id) ?? Promise.resolve()).then(work, work);
    const settled = mine.then(() => undefined, () => undefined);
    turns.set(id, settled);
    void settled.then(() => turns.get(id) === settled && turns.delete(id));
    return mine;
  };
  store.putObject = async (object) => {
    // The upload is read before the turn is taken: a slow client holds up no reader of the key.
    const bytes = Buffer.isBuffer(object.content) ? object.content : await buffer(object.content);
    const md5 = createHash('md5').update(bytes).digest('hex');
    return inTurn(object.bucket, object.key, async () => {
      const target = store.getResourcePath(object.bucket, object.key, 'object');
      const temporary = join(incoming, randomBytes(8).toString('hex'));
      await writeFile(temporary, bytes);
      await mkdir(dirname(target), { recursive: true });
      await rename(temporary, target);
      await store.putMetadata(object.bucket, object.key, object.metadata, md5);
      return { size: bytes.length, md5 };
    });
  };
  store.getObject = (bucket, key, options) =>
    inTurn(bucket, key, async () => {
      const object = await getObject(bucket, key, options);
      if (!object?.content) return object;
      return Object.assign(object, { content: Readable.from([await buffer(object.content)]) });
    });
}

/**
 * S3 on moto_server instead of s3rver, for tests whose claims rest on S3's semantics (conditional
 * writes answer 412): fresh buckets named after `buckets`, so tests sharing the server share none.
 */
export async function motoS3Buckets(endpoint: string, buckets: readonly string[]): Promise<LocalS3 & { readonly names: Readonly<Record<string, string>> }> {
  const client = new S3Client({ ...motoClientConfig(endpoint), forcePathStyle: true });
  const suffix = randomBytes(5).toString('hex');
  const names = Object.fromEntries(buckets.map((b) => [b, `${b}-${suffix}`]));
  for (const name of Object.values(names)) await client.send(new CreateBucketCommand({ Bucket: name }));
  return {
    endpoint,
    client,
    buckets: Object.values(names),
    names,
    async stop() {
      client.destroy();
    },
  };
}
