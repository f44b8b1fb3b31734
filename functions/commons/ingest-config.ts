import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../domain/ingest-limits.ts';
import { wholeNumberEnv, type LambdaEnv } from './lambda-env.ts';

/** The ceilings from INGEST_MAX_BYTES and INGEST_MAX_PAPERS, defaults for what is unset; a value that is not a positive whole number fails the cold start by name. */
export function ingestLimitsFromEnv(env: LambdaEnv = process.env): IngestLimits {
  return {
    maxBytes: wholeNumberEnv('INGEST_MAX_BYTES', DEFAULT_INGEST_LIMITS.maxBytes, env, 1),
    maxPapers: wholeNumberEnv('INGEST_MAX_PAPERS', DEFAULT_INGEST_LIMITS.maxPapers, env, 1),
    keptWarnings: DEFAULT_INGEST_LIMITS.keptWarnings,
  };
}
