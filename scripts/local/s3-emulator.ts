import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { motoClientConfig } from './moto-server.ts';
import S3rver from 's3rver';

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
  const address = (await server.run()) as AddressInfo;
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
