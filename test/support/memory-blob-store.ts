import { createHash } from 'node:crypto';
import { PreconditionFailedError, toBytes, type BlobStore, type PutOptions, type StoredObject } from '../../functions/storage/blob-store.ts';

/** In-memory store with S3's conditional-write semantics, for unit tests of domain code. */
export class MemoryBlobStore implements BlobStore {
  readonly objects = new Map<string, StoredObject>();
  writes = 0;

  async get(key: string): Promise<StoredObject | null> {
    return this.objects.get(key) ?? null;
  }

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  async putIfAbsent(key: string, body: Uint8Array | string, options: PutOptions): Promise<'created' | 'exists'> {
    if (this.objects.has(key)) return 'exists';
    await this.put(key, body, options);
    return 'created';
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions & { ifMatch?: string | null }): Promise<void> {
    const current = this.objects.get(key);
    if (options.ifMatch === null && current) throw new PreconditionFailedError(key);
    if (typeof options.ifMatch === 'string' && current?.etag !== options.ifMatch) throw new PreconditionFailedError(key);
    const bytes = toBytes(body);
    const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
    this.objects.set(key, { body: bytes, etag, contentType: options.contentType });
    this.writes++;
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }
}
