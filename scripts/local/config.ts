import { join } from 'node:path';

/** Where local runs keep their emulated buckets and mailbox; ignored by git. */
export const LOCAL_ROOT = process.env.PAPERBOY_LOCAL_DIR ?? join(process.cwd(), '.local');
export const LOCAL_S3_DIR = join(LOCAL_ROOT, 's3');
export const DATA_BUCKET = 'paperboy-data';
export const SITE_BUCKET = 'paperboy-site';
export const SAMPLE_DIGESTS = join(process.cwd(), 'test', 'fixtures', 'digests');
export const SAMPLE_TABLE_DIGESTS = join(process.cwd(), 'test', 'fixtures', 'table');
/** Recorded arXiv answers served on loopback by the local run (see its README). */
export const SAMPLE_ARXIV = join(process.cwd(), 'test', 'fixtures', 'arxiv');
