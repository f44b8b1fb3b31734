import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import { PreconditionFailedError, toBytes, type BlobStore, type PutOptions, type StoredObject } from '../domain/ports/blob-store.ts';

export class S3BlobStore implements BlobStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async get(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return { body, etag: out.ETag ?? '', ...(out.ContentType ? { contentType: out.ContentType } : {}) };
    } catch (err) {
      if (isStatus(err, 404)) return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isStatus(err, 404)) return false;
      throw err;
    }
  }

  async putIfAbsent(key: string, body: Uint8Array | string, options: PutOptions): Promise<'created' | 'exists'> {
    // S3 honours If-None-Match on PUT; the HEAD first keeps emulators that ignore it from overwriting,
    // and keys that matter here are content-addressed, so a lost race rewrites the same bytes.
    if (await this.exists(key)) return 'exists';
    try {
      await this.put(key, body, { ...options, ifMatch: null });
      return 'created';
    } catch (err) {
      if (err instanceof PreconditionFailedError) return 'exists';
      throw err;
    }
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions & { ifMatch?: string | null }): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: toBytes(body),
          ContentType: options.contentType,
          ...(options.cacheControl ? { CacheControl: options.cacheControl } : {}),
          ...(options.ifMatch === null ? { IfNoneMatch: '*' } : {}),
          ...(typeof options.ifMatch === 'string' ? { IfMatch: options.ifMatch } : {}),
        }),
      );
    } catch (err) {
      if (isStatus(err, 412) || isStatus(err, 409)) throw new PreconditionFailedError(key);
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async delete(keys: readonly string[]): Promise<void> {
    // DeleteObjects takes at most 1,000 keys a call.
    for (let i = 0; i < keys.length; i += 1000) {
      const out = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
      if (out.Errors?.length) throw new Error(`could not delete ${out.Errors.length} objects from ${this.bucket}: ${out.Errors.slice(0, 3).map((e) => `${e.Key} ${e.Code}`).join(', ')}`);
    }
  }
}

function isStatus(err: unknown, status: number): boolean {
  return err instanceof S3ServiceException
    ? err.$metadata.httpStatusCode === status
    : (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === status;
}
