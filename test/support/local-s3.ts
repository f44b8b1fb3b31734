import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalS3, type LocalS3 } from '../../scripts/local/s3-emulator.ts';

/** A fresh s3rver on 127.0.0.1 in a temporary folder, removed on stop. */
export async function freshS3(buckets: readonly string[]): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'paperboy-s3-'));
  const s3 = await startLocalS3({ directory, buckets });
  return {
    ...s3,
    async stop() {
      await s3.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
