import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { motoClientConfig } from '../../scripts/local/moto-server.ts';
import { S3BlobStore } from '../../functions/storage/s3-blob-store.ts';

/** The moto_server of this test run (see moto-global-setup.ts). */
export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

export function motoS3(): S3Client {
  return new S3Client({ ...motoClientConfig(motoEndpoint()), forcePathStyle: true });
}

/** A new, empty bucket on moto for one test: tests share the server, never a bucket. */
export async function freshMotoBucket(client: S3Client, prefix = 'pb'): Promise<S3BlobStore> {
  const name = `${prefix}-${randomBytes(6).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return new S3BlobStore(client, name);
}
