/** The storage the domain code needs; S3 in AWS and locally (through an emulator), a Map in unit tests. */

export interface PutOptions {
  readonly contentType: string;
  readonly cacheControl?: string;
}

export interface StoredObject {
  readonly body: Uint8Array;
  readonly etag: string;
  readonly contentType?: string;
}

export interface BlobStore {
  get(key: string): Promise<StoredObject | null>;
  exists(key: string): Promise<boolean>;
  /** Creates the object only if no object has the key; never overwrites. */
  putIfAbsent(key: string, body: Uint8Array | string, options: PutOptions): Promise<'created' | 'exists'>;
  /**
   * Writes the object. With `ifMatch` the write only succeeds while the stored ETag is that one
   * (`null`: while no object exists), so two writers cannot both win a read-modify-write.
   */
  put(key: string, body: Uint8Array | string, options: PutOptions & { ifMatch?: string | null }): Promise<void>;
  list(prefix: string): Promise<string[]>;
  /** Removes the objects (missing ones are not an error). */
  delete(keys: readonly string[]): Promise<void>;
}

/** A conditional write lost its race; re-read and try again. */
export class PreconditionFailedError extends Error {
  constructor(readonly key: string) {
    super(`precondition failed writing ${key}`);
    this.name = 'PreconditionFailedError';
  }
}

export function toBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
}
