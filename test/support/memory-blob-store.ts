import { createHash } from 'node:crypto';
import { PreconditionFailedError, toBytes, type BlobStore, type PutOptions, type StoredObject } from '../../functions/domain/ports/blob-store.ts';

/**
 * The unit tier's BlobStore: a Map with S3's conditional-write rules (If-Match on the ETag, `null`
 * for "no object yet", create-only puts). Races on real semantics are tested on moto; this is for
 * logic that only needs a store.
 */
export class MemoryBlobStore implements BlobStore {
  readonly objects = new Map<string, StoredObject>();
  /** Called before each conditional write: a test can slip a rival write in here. */
  beforeConditionalPut: ((key: string) => Promise<void> | void) | null = null;

  async get(key: string): Promise<StoredObject | null> {
    return this.objects.get(key) ?? null;
  }

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  async putIfAbsent(key: string, body: Uint8Array | string, options: PutOptions): Promise<'created' | 'exists'> {
    if (this.objects.has(key)) return 'exists';
    this.write(key, body, options);
    return 'created';
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions & { ifMatch?: string | null }): Promise<void> {
    if (options.ifMatch !== undefined) {
      await this.beforeConditionalPut?.(key);
      const current = this.objects.get(key)?.etag ?? null;
      if (current !== options.ifMatch) throw new PreconditionFailedError(key);
    }
    this.write(key, body, options);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.objects.delete(key);
  }

  private write(key: string, body: Uint8Array | string, options: PutOptions): void {
    const bytes = toBytes(body);
    this.objects.set(key, { body: bytes, etag: `"${createHash('md5').update(bytes).digest('hex')}"`, contentType: options.contentType });
  }
}
