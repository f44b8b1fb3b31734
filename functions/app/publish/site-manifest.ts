import { createHash } from 'node:crypto';

/**
 * The site's manifest (`sitePaths.manifest`): sha256 of every published file, so a publish uploads
 * only what changed (S3 ETags are not content hashes under KMS). Every writer of a site file keeps
 * it true, or the next publish would take its own older bytes for unchanged.
 */
export type Manifest = Record<string, string>;

export const hashOf = (body: string | Uint8Array): string => createHash('sha256').update(body).digest('hex');
