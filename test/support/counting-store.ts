import { PreconditionFailedError, type BlobStore } from '../../functions/domain/ports/blob-store.ts';

/** A BlobStore that counts the conditional writes S3 refused (412), so a test can show the lost-race path was taken. */
export function counting412(inner: BlobStore): BlobStore & { preconditionFailures: () => number } {
  let failures = 0;
  const count = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (err) {
      if (err instanceof PreconditionFailedError) failures++;
      throw err;
    }
  };
  return {
    get: (key) => inner.get(key),
    exists: (key) => inner.exists(key),
    list: (prefix) => inner.list(prefix),
    putIfAbsent: (key, body, options) => inner.putIfAbsent(key, body, options),
    put: (key, body, options) => count(inner.put(key, body, options)),
    delete: (keys) => inner.delete(keys),
    preconditionFailures: () => failures,
  };
}
