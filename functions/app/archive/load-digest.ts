import type { DayEnrichment } from '../../domain/enrichment.ts';
import { applyEnrichment, emptyEnrichment } from '../../domain/enrichment.ts';
import type { Digest } from '../../domain/model.ts';
import { dataKeys } from '../../domain/storage-layout.ts';
import type { BlobStore } from '../../domain/ports/blob-store.ts';
import { readParsedDocument } from '../ingest/ingest.ts';
import { readJsonOr, type Versioned } from '../stored-json.ts';

export function readEnrichment(store: BlobStore, date: string): Promise<Versioned<DayEnrichment>> {
  return readJsonOr(store, dataKeys.enrichment(date), emptyEnrichment(date));
}

/** A day as readers see it: the parsed digest with the abstracts and translations added since. */
export async function loadDigest(store: BlobStore, parsedKey: string): Promise<Digest> {
  const doc = await readParsedDocument(store, parsedKey);
  const { value } = await readEnrichment(store, doc.digest.date);
  return applyEnrichment(doc.digest, value);
}
