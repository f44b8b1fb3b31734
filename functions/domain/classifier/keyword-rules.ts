import { containsPhrase, phraseText } from './phrases.ts';

/**
 * Ordered keyword rules, the way the digest's publisher assigned categories in 2024: a paper goes to
 * the first category (in the digest's own order) one of whose phrases occurs in its title or
 * abstract, and to the fallback when none does. The rules are learned from labelled days
 * (`scripts/classifier/learn-rules.ts`) and shipped as data (`model.json`).
 */
export interface RuleCategory {
  /** The category name as the digest prints it, e.g. `生成模型`. */
  readonly name: string;
  readonly slug: string;
  readonly phrases: readonly string[];
}

export interface KeywordModel {
  readonly schemaVersion: 1;
  /** What the rules were learned from, for the record. */
  readonly trainedOn: { readonly days: readonly string[]; readonly papers: number };
  readonly categories: readonly RuleCategory[];
  readonly fallback: { readonly name: string; readonly slug: string };
}

export interface Classification {
  readonly name: string;
  readonly slug: string;
  /** The phrase that decided, or null for the fallback. */
  readonly matched: string | null;
}

export function classify(model: KeywordModel, title: string, abstract: string | null): Classification {
  const text = phraseText(title, abstract);
  for (const c of model.categories) {
    for (const phrase of c.phrases) if (containsPhrase(text, phrase)) return { name: c.name, slug: c.slug, matched: phrase };
  }
  return { name: model.fallback.name, slug: model.fallback.slug, matched: null };
}
