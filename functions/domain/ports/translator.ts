/**
 * The port for machine translation of English titles and abstracts into Simplified Chinese.
 * Off by default; one AWS provider (Amazon Translate) implements it, and tests use a fake.
 */
export interface Translator {
  /** Named in the enrichment record, so a reader can tell machine output from the publisher's. */
  readonly name: string;
  /** Same length and order as `texts`. */
  translate(texts: readonly string[]): Promise<string[]>;
}
